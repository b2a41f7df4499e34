#!/usr/bin/env bash
# Read latency with a large register: GET /api/v1/cases/{number} over random stored numbers,
# filtered list pages of 50 (state, street, department, category, date ranges and their
# combinations, the red-light view), and GET /healthz for reference, each with wrk --latency
# at each concurrency. Prints requests/s, p50 and p99 per scenario, and the server's resident
# memory after start-up and after the reads.
#
# Builds nothing: expects a release build in build/cityops (cmake --build build).
# Usage: bench/reads.sh [seconds=10] [connections="1 8"]
# CITYOPS_BENCH_DATA=DIR reuses (or creates once) the register there; see bench/bench_data.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
connections="${2:-1 8}"

source bench/need.sh

work="$(mktemp -d)"
server=""
stop() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
  cleanup_data
}
trap stop EXIT
source bench/bench_data.sh

# A fresh password for the demo dispatcher; the one printed at generation is not needed.
password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
printf '%s\n' "$password" |
  ./build/cityops user passwd --data "$data" --username dispatcher --password-stdin >/dev/null

python3 bench/read_paths.py "$data/cityops.db" "$work" > "$work/scenarios.txt"

./build/cityops serve --data "$data" --listen 127.0.0.1:0 --log-level warn >"$work/out" &
server=$!
for _ in $(seq 600); do grep -q 'http://' "$work/out" && break; sleep 0.05; done
base="$(grep -o 'http://[0-9.:]*' "$work/out" | head -1)"
until curl -sf "$base/readyz" >/dev/null; do sleep 0.05; done
rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$server/status"; }
echo "server $base pid $server; after start-up: $(rss)"

token=$(curl -s -X POST "$base/api/v1/sessions" \
  -d "{\"username\":\"dispatcher\",\"password\":\"$password\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-30s %5s %10s %9s %9s %9s %7s %8s\n' scenario conns req/s p50 p99 max non2xx timeouts
run() {  # name connections url [script]
  local out
  # A slow answer is measured, not dropped: wrk's own limit is 2 s; ours is the whole run.
  out=$(wrk -t1 -c"$2" -d"${seconds}s" --timeout "${seconds}s" --latency ${4:+-s "$4"} "$3")
  awk -v name="$1" -v c="$2" '
    /Requests\/sec/ {rps = $2}
    /^ +Latency +[0-9]/ {max = $4}
    /^ +50%/ {p50 = $2}
    /^ +99%/ {p99 = $2}
    /Non-2xx/ {bad = $5}
    /Socket errors/ {timeouts = $NF}
    END {printf "%-30s %5s %10s %9s %9s %9s %7s %8s\n", name, c, rps, p50, p99, max, bad + 0,
         timeouts + 0}
  ' <<<"$out"
}
while read -r name access first; do
  # Each scenario is checked once by hand first, so a wrong filter cannot pass as a fast one.
  auth=()
  [[ "$access" == token ]] && auth=(-H "Authorization: Bearer $token")
  code=$(curl -s -o "$work/check.json" -w '%{http_code}' "${auth[@]}" "$base$first")
  items=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
print(len(d["items"]) if "items" in d else 1)' "$work/check.json" 2>/dev/null || echo "?")
  echo "# $name: $first -> $code, $items item(s)"
  script="$work/$name.run.lua"
  { cat "$work/$name.lua"; echo "token = \"$([[ "$access" == token ]] && echo "$token")\"";
    cat bench/reads.lua; } >"$script"
  for c in $connections; do run "$name" "$c" "$base" "$script"; done
done <"$work/scenarios.txt"
for c in $connections; do run healthz "$c" "$base/healthz"; done
echo "after the reads: $(rss)"
