#!/usr/bin/env bash
# Sets up this machine, builds CityOps and serves the Beidaihe demo data set.
# Usage: scripts/run-demo.sh [ADDRESS:PORT]   (default 127.0.0.1:8080; data in var/demo)
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
# Paths below the checkout are hashed relative to it, so clones in other folders share hits.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}" CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCITYOPS_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)" --target cityops
./scripts/setup-web.sh
exec ./build/cityops serve --data var/demo --listen "${1:-127.0.0.1:8080}" --demo
