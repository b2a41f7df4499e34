# Sourced by the HTTP benchmarks: wrk from Debian (installed when missing) and a built server.
if ! command -v wrk >/dev/null; then
  sudo_cmd=$([[ $(id -u) == 0 ]] || echo sudo)
  $sudo_cmd apt-get install -y -qq wrk >/dev/null 2>&1 ||
    { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk >/dev/null; } ||
    { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
fi
[[ -x build/cityops ]] || { echo "build first: cmake --build build" >&2; exit 1; }

# The server's CPU time (user + system, in clock ticks) read from /proc: the cost of one request
# of each kind explains a ratio better than the rates alone. Needs $server and $seconds.
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# Microseconds of server CPU per request: ticks before, ticks after, requests per second.
per_request_us() {
  python3 -c "print(round(($2 - $1) * 1e6 / $(getconf CLK_TCK) / ($3 * $seconds)))"
}

# Prints a Lua table `points` of demo case locations from the server at $1, so that every
# generated request lands inside the district.
demo_points_lua() {
  python3 - "$1" <<'PY'
import json, sys, urllib.request
cases = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/cases?limit=100"))["items"]
print("points = {" + ",".join("{%f,%f}" % (c["location"]["lon"], c["location"]["lat"])
                               for c in cases) + "}")
PY
}
