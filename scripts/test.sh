#!/usr/bin/env bash
# Sets up this machine, builds CityOps and runs every test: formatting, the C++ unit tests,
# the end-to-end tests against a real server, and the unit tests again under ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths below the checkout are hashed relative to it, so clones in other folders share hits.
export CCACHE_BASEDIR="$PWD"
export CCACHE_NOHASHDIR=true
jobs="$(nproc)"

echo "== format check"
./scripts/check-format.sh

echo "== build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCITYOPS_TESTS=ON >/dev/null
cmake --build build -j "$jobs"

echo "== web pages: npm packages, type check, unit tests, build"
./scripts/setup-web.sh
(cd web && npm run --silent typecheck && npm test --silent)

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCITYOPS_SANITIZE=ON -DCITYOPS_TESTS=ON >/dev/null
cmake --build build-asan -j "$jobs" --target cityops_tests
# The long replay runs in the plain build below; under the sanitizers it would take minutes.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build-asan/cityops_tests \
  --gtest_brief=1 --gtest_filter='-WorkflowReplay.*'

echo "== tests"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== browser tests (Chromium; screenshots in test-output/browser)"
(cd web && CITYOPS_BIN="$PWD/../build/cityops" node --test --test-concurrency=1 e2e/)
