# Shared by bench/reads.sh and bench/startup.sh: a data directory holding a generated register.
# Sourced, not run. Sets `data` and, for a temporary directory, removes it on exit.
#
# CITYOPS_BENCH_DATA=DIR keeps the register in DIR and reuses it on later runs (generating it
# takes minutes); without it a temporary directory is generated and deleted afterwards.
# CITYOPS_BENCH_CASES=N sets the size (default 1000000).

cases="${CITYOPS_BENCH_CASES:-1000000}"
if [[ -n "${CITYOPS_BENCH_DATA:-}" ]]; then
  data="$CITYOPS_BENCH_DATA"
  cleanup_data() { :; }
else
  data="$(mktemp -d /var/tmp/cityops-bench.XXXXXX)"
  cleanup_data() { rm -rf "$data"; }
fi

# The marker is written only after a load finished, so a broken load is never measured.
if [[ -f "$data/bench-register" ]]; then
  echo "register: reusing $data ($(cat "$data/bench-register"))"
elif [[ -e "$data/cityops.db" ]]; then
  echo "$data holds a database without a finished bench register; delete it first" >&2
  exit 1
else
  mkdir -p "$data"
  echo "register: generating $cases cases in $data (df: $(df -h --output=avail "$data" | tail -1))"
  start=$(date +%s.%N)
  ./build/cityops demo --data "$data" --cases "$cases" --days 365 --log-level warn \
    >"$data/bench-demo-users.txt"
  chmod 600 "$data/bench-demo-users.txt"
  seconds=$(python3 -c "print(f'{$(date +%s.%N) - $start:.0f}')")
  summary=$(grep '^generated' "$data/bench-demo-users.txt")
  echo "$summary; $(du -sh "$data" | cut -f1) on disk; $seconds s wall" | tee "$data/bench-register"
fi
