#!/usr/bin/env bash
# Installs the web pages' npm packages (exactly as package-lock.json records them) and builds
# the pages into web/dist, which `cityops serve` serves. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../web"

need_major=20
need_minor=19
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js $need_major.$need_minor or later and npm are needed to build web/" >&2
  exit 1
fi
version="$(node -p 'process.versions.node')"
major="${version%%.*}"
minor="$(cut -d. -f2 <<<"$version")"
if ((major < need_major || (major == need_major && minor < need_minor))); then
  echo "Node.js $version is too old: web/ needs $need_major.$need_minor or later" >&2
  exit 1
fi

# node_modules is reinstalled only when the lock file changed since the last install.
stamp=node_modules/.lock-sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
npm run --silent build
