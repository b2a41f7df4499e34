#!/usr/bin/env bash
# Durable intake rate against the server's own /healthz, in one run on one machine.
# Starts a demo server on a temporary data directory, then runs wrk against GET /healthz and
# POST /api/v1/cases (varied, realistic bodies) at each concurrency, and prints the ratio.
# Usage: bench/intake.sh [seconds=10] [concurrencies="8 32"]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
concurrencies="${2:-8 32}"

command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
[[ -x build/cityops ]] || { echo "build first: cmake --build build" >&2; exit 1; }

data="$(mktemp -d)"
out="$(mktemp)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data" "$out"' EXIT
CITYOPS_THREADS="${CITYOPS_THREADS:-4}" ./build/cityops serve --data "$data" --listen 127.0.0.1:0 --demo --log-level warn >"$out" &
server=$!
for _ in $(seq 100); do grep -q 'http://' "$out" && break; sleep 0.2; done
base="$(grep -o 'http://[0-9.:]*' "$out" | head -1)"

# Report points come from the demo cases, so every body lands inside the district.
python3 - "$base" > "$data/points.lua" <<'PY'
import json, sys, urllib.request
cases = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/cases?limit=100"))["items"]
print("points = {" + ",".join("{%f,%f}" % (c["location"]["lon"], c["location"]["lat"])
                               for c in cases) + "}")
PY
cat "$data/points.lua" bench/intake.lua > "$data/intake.lua"

echo "machine: $(nproc) cores, $(uname -r)"
for c in $concurrencies; do
  health=$(wrk -t2 -c"$c" -d"${seconds}s" "$base/healthz" | awk '/Requests\/sec/ {print $2}')
  report=$(wrk -t2 -c"$c" -d"${seconds}s" -s "$data/intake.lua" "$base/api/v1/cases")
  intake=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
  refused=$(awk '/Non-2xx/ {print $5}' <<<"$report")
  ratio=$(python3 -c "print(f'{$intake / $health:.3f}')")
  echo "connections=$c healthz_rps=$health intake_rps=$intake ratio=$ratio non_2xx=${refused:-0}"
done
cases=$(curl -s "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"])')
echo "cases stored: $cases"
