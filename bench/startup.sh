#!/usr/bin/env bash
# Start-up time and resident memory of `cityops serve` on a large register: the time from exec
# to the first 200 from /readyz (polled every 5 ms), over several runs, and VmRSS/VmHWM once
# ready. The first run follows a drop of nothing: the page cache is whatever the machine has,
# so the figures are warm-cache ones unless the caller drops caches first.
#
# Builds nothing: expects a release build in build/cityops (cmake --build build).
# Usage: bench/startup.sh [runs=5]
# CITYOPS_BENCH_DATA=DIR reuses (or creates once) the register there; see bench/bench_data.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
[[ -x build/cityops ]] || { echo "build first: cmake --build build" >&2; exit 1; }

server=""
stop() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  cleanup_data
}
trap stop EXIT
source bench/bench_data.sh

# A fixed port, so the poller need not wait for the address to be printed.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $(du -h "$data/cityops.db" | cut -f1)"
for run in $(seq "$runs"); do
  python3 - "$port" "$data" <<'PY'
import os, subprocess, sys, time, urllib.request
port, data = sys.argv[1], sys.argv[2]
started = time.monotonic()
proc = subprocess.Popen(["./build/cityops", "serve", "--data", data, "--listen",
                         f"127.0.0.1:{port}", "--log-level", "warn"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ready = None
while ready is None and proc.poll() is None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as res:
            if res.status == 200:
                ready = time.monotonic() - started
    except OSError:
        time.sleep(0.005)
status = {}
with open(f"/proc/{proc.pid}/status") as f:
    for line in f:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            status[key] = int(value.split()[0]) // 1024
proc.terminate()
proc.wait(timeout=30)
if ready is None:
    sys.exit("server exited before it was ready")
print(f"ready after {ready:.3f} s; VmRSS {status['VmRSS']} MB, VmHWM {status['VmHWM']} MB")
PY
done
