# Sourced by the HTTP benchmarks: wrk from Debian (installed when missing) and a built server.
if ! command -v wrk >/dev/null; then
  sudo_cmd=$([[ $(id -u) == 0 ]] || echo sudo)
  $sudo_cmd apt-get install -y -qq wrk >/dev/null 2>&1 ||
    { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk >/dev/null; } ||
    { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
fi
[[ -x build/cityops ]] || { echo "build first: cmake --build build" >&2; exit 1; }
