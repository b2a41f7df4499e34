#!/usr/bin/env bash
# Durable intake rate against the server's own /healthz, in one run on one machine.
# Starts a demo server on a temporary data directory, then runs wrk against GET /healthz and
# POST /api/v1/cases (varied, realistic bodies) at each concurrency, and prints the ratio.
# Usage: bench/intake.sh [seconds=10] [concurrencies="8 32"]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
concurrencies="${2:-8 32}"

source bench/need.sh

data="$(mktemp -d)"
out="$(mktemp)"
# The server is stopped and waited for before its data directory goes.
trap 'kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$data" "$out"' EXIT
CITYOPS_THREADS="${CITYOPS_THREADS:-4}" ./build/cityops serve --data "$data" --listen 127.0.0.1:0 --demo --log-level warn >"$out" &
server=$!
for _ in $(seq 100); do grep -q 'http://' "$out" && break; sleep 0.2; done
base="$(grep -o 'http://[0-9.:]*' "$out" | head -1)"

demo_points_lua "$base" > "$data/points.lua"
cat "$data/points.lua" bench/intake.lua > "$data/intake.lua"

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1 /proc/loadavg)"
for c in $concurrencies; do
  before=$(ticks)
  health=$(wrk -t2 -c"$c" -d"${seconds}s" "$base/healthz" | awk '/Requests\/sec/ {print $2}')
  health_us=$(per_request_us "$before" "$(ticks)" "$health")
  before=$(ticks)
  report=$(wrk -t2 -c"$c" -d"${seconds}s" -s "$data/intake.lua" "$base/api/v1/cases")
  intake=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
  intake_us=$(per_request_us "$before" "$(ticks)" "$intake")
  refused=$(awk '/Non-2xx/ {print $5}' <<<"$report")
  ratio=$(python3 -c "print(f'{$intake / $health:.3f}')")
  echo "connections=$c healthz_rps=$health intake_rps=$intake ratio=$ratio" \
    "server_cpu_us_per_request: healthz=$health_us intake=$intake_us non_2xx=${refused:-0}"
done
batches=$(curl -s "$base/metrics" | awk '$1 == "cityops_store_write_batches_total" {print $2}')
writes=$(curl -s "$base/metrics" | awk '$1 == "cityops_store_writes_total" {print $2}')
echo "group commit: $writes writes in $batches transactions"
cases=$(curl -s "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"])')
echo "cases stored: $cases"
