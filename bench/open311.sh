#!/usr/bin/env bash
# Open311 POST requests rate against the server's own /healthz, in one run on one machine.
# Starts a demo server on a temporary data directory with a partner key whose allowance is
# out of reach, then runs wrk against GET /healthz and POST /open311/v2/requests.json at each
# concurrency, and prints the ratio and the server's CPU time per request.
# Usage: bench/open311.sh [seconds=10] [concurrencies="8 32"]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
concurrencies="${2:-8 32}"

source bench/need.sh

data="$(mktemp -d)"
out="$(mktemp)"
trap 'kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$data" "$out"' EXIT
# The allowance would otherwise refuse most of the load: the benchmark measures the work.
printf '[open311]\nrate_per_minute = 1000000\nburst = 1000000\n' > "$data/cityops.toml"
key="$(./build/cityops apikey create --data "$data" --name bench 2>/dev/null)"
CITYOPS_THREADS="${CITYOPS_THREADS:-4}" ./build/cityops serve --data "$data" --listen 127.0.0.1:0 \
  --demo --log-level warn >"$out" &
server=$!
for _ in $(seq 100); do grep -q 'http://' "$out" && break; sleep 0.2; done
base="$(grep -o 'http://[0-9.:]*' "$out" | head -1)"

{ demo_points_lua "$base"; echo "key = \"$key\""; } > "$data/points.lua"
cat "$data/points.lua" bench/open311.lua > "$data/open311.lua"

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1 /proc/loadavg)"
for c in $concurrencies; do
  before=$(ticks)
  health=$(wrk -t2 -c"$c" -d"${seconds}s" "$base/healthz" | awk '/Requests\/sec/ {print $2}')
  health_us=$(per_request_us "$before" "$(ticks)" "$health")
  before=$(ticks)
  report=$(wrk -t2 -c"$c" -d"${seconds}s" -s "$data/open311.lua" "$base/open311/v2/requests.json")
  posts=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
  posts_us=$(per_request_us "$before" "$(ticks)" "$posts")
  refused=$(awk '/Non-2xx/ {print $5}' <<<"$report")
  ratio=$(python3 -c "print(f'{$posts / $health:.3f}')")
  echo "connections=$c healthz_rps=$health open311_post_rps=$posts ratio=$ratio" \
    "server_cpu_us_per_request: healthz=$health_us post=$posts_us non_2xx=${refused:-0}"
done
cases=$(curl -s "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"])')
echo "cases stored: $cases"
