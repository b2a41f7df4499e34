#!/usr/bin/env bash
# Point-to-unit-grid lookup: the server's in-process region index against PostGIS, in one run
# on one machine, on the same polygons and the same points.
#
# Builds bench/point_to_grid (build-bench/, CITYOPS_BENCH=ON), which builds the demo district's
# unit grids as the server does, exports them and a fixed set of random points, and measures
# RegionIndex::locate. Then starts a private PostgreSQL cluster in a temporary directory (unix
# socket only, removed on exit), loads the same grids (GiST index) and points, and times
#   set:       one query resolving every point, each to the smallest covering grid id;
#   per point: a prepared statement executed once per point from one psql session, over the
#              first points of the set (every call a round trip over the unix socket).
# Both PostGIS answers are compared with the in-process ones; any mismatch fails the run.
# Parallel query and JIT are off, so PostgreSQL works on one core, like the benchmark.
#
# Usage: bench/point-to-grid.sh [points=200000] [per_point=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
points="${1:-200000}"
per_point="${2:-20000}"
((per_point <= points)) || { echo "per_point must not exceed points" >&2; exit 2; }

sudo_cmd=""
[[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
scripts/setup-deps.sh
missing=()
for p in libbenchmark-dev postgresql-15 postgresql-15-postgis-3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  install=($sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}")
  # Refresh the package lists only when they do not know a package yet.
  "${install[@]}" || { $sudo_cmd apt-get update -qq && "${install[@]}"; }
fi

cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCITYOPS_BENCH=ON \
  -DCITYOPS_TESTS=OFF >/dev/null
cmake --build build-bench -j2 --target point_to_grid

pgbin=/usr/lib/postgresql/15/bin
work="$(mktemp -d)"
# initdb refuses to run as root; root runs the cluster as the postgres account instead.
as_db=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$work"
  as_db=(runuser -u postgres --)
fi
cleanup() {
  if [[ -f "$work/data/postmaster.pid" ]]; then
    "${as_db[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

# In-process: export the input, then measure (median of three runs of at least 2 s each).
mkdir -p "$work/input"
build-bench/point_to_grid --points="$points" --export="$work/input" --benchmark_min_time=2 \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$work/bench.json" --benchmark_out_format=json >/dev/null 2>"$work/bench.err" ||
  { cat "$work/bench.err" >&2; exit 1; }
chmod -R a+rX "$work/input"
read -r inproc inproc_cpu < <(python3 - "$work/bench.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
median = next(r for r in runs if r.get("aggregate_name") == "median")
print(round(median["items_per_second"]), round(1e9 / median["cpu_time"]))
PY
)

# A private cluster: no TCP listener, its socket in the temporary directory, a random port
# number so that its socket name cannot clash with another cluster's.
port=$((20000 + RANDOM % 20000))
"${as_db[@]}" "$pgbin/initdb" -D "$work/data" -U bench -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >/dev/null
"${as_db[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o \
  "-c listen_addresses='' -k $work -p $port -c fsync=off -c shared_buffers=256MB \
   -c temp_buffers=64MB -c max_parallel_workers_per_gather=0 -c jit=off" start >/dev/null
psql=("${as_db[@]}" "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U bench
  -d postgres)

"${psql[@]}" <<SQL
CREATE EXTENSION postgis;
CREATE TABLE grid (id text COLLATE "C" PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL);
\copy grid FROM '$work/input/grids.tsv'
CREATE INDEX grid_geom ON grid USING gist (geom);
CREATE TABLE point (id int PRIMARY KEY, lon float8 NOT NULL, lat float8 NOT NULL,
                    geom geometry(Point, 4326));
\copy point (id, lon, lat) FROM '$work/input/points.tsv'
UPDATE point SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326);
CREATE TABLE expected (id int PRIMARY KEY, grid text COLLATE "C" NOT NULL);
\copy expected FROM '$work/input/located.tsv'
VACUUM ANALYZE;
SQL
versions=$("${psql[@]}" -c "SELECT 'PostgreSQL ' || current_setting('server_version') ||
  ', PostGIS ' || postgis_lib_version() || ', GEOS ' || postgis_geos_version()")

# ST_Covers, not ST_Contains: locate() counts a point on a grid's edge as inside, and where
# grids touch it answers the smallest id. The same join over the first points warms the caches
# and is not counted.
lookup="SELECT p.id, coalesce(min(g.id), '') AS grid FROM point p
  LEFT JOIN grid g ON ST_Covers(g.geom, p.geom)"
# The backend's own CPU time (from /proc) is read around the timed query, so that compilers
# running beside the benchmark do not count against PostGIS.
read -r set_ms set_cpu_s < <("${psql[@]}" <<SQL | awk -v hz="$(getconf CLK_TCK)" '
  /^Time:/ {ms = $2} /^cpu / {t[++n] = $2} END {print ms, (t[2] - t[1]) / hz}'
CREATE TEMP TABLE warm AS $lookup WHERE p.id < $per_point GROUP BY p.id;
SELECT pg_backend_pid() AS backend \gset
\setenv BACKEND :backend
\! awk '{print "cpu", \$14 + \$15}' /proc/\$BACKEND/stat
\timing on
CREATE TEMP TABLE answer AS $lookup GROUP BY p.id;
\timing off
\! awk '{print "cpu", \$14 + \$15}' /proc/\$BACKEND/stat
\copy answer TO '$work/set.tsv'
SQL
)
set_rate=$(python3 -c "print(round($points / ($set_ms / 1000)))")
set_cpu=$(python3 -c "print(round($points / $set_cpu_s))")
set_wrong=$("${psql[@]}" <<SQL
CREATE TEMP TABLE answer (id int, grid text COLLATE "C");
\copy answer FROM '$work/set.tsv'
SELECT count(*) FROM expected e FULL JOIN answer a USING (id) WHERE a.grid IS DISTINCT FROM e.grid;
SQL
)

# One EXECUTE per point from one session; the server's clock brackets the loop.
{
  echo "PREPARE locate(float8, float8) AS SELECT coalesce((SELECT min(id) FROM grid"
  echo "  WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(\$1, \$2), 4326))), '');"
  echo "SELECT extract(epoch FROM clock_timestamp());"
  head -n "$per_point" "$work/input/points.tsv" |
    awk -F'\t' '{print "EXECUTE locate(" $2 ", " $3 ");"}'
  echo "SELECT extract(epoch FROM clock_timestamp());"
} >"$work/per-point.sql"
chmod a+r "$work/per-point.sql"
"${psql[@]}" -f "$work/per-point.sql" >"$work/per-point.out"
per_rate=$(python3 - "$work/per-point.out" "$per_point" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
start, end = float(lines[0]), float(lines[int(sys.argv[2]) + 1])
print(round(int(sys.argv[2]) / (end - start)))
PY
)
per_wrong=$(sed -n "2,$((per_point + 1))p" "$work/per-point.out" |
  paste - <(head -n "$per_point" "$work/input/located.tsv" | cut -f2) |
  awk -F'\t' '$1 != $2 {n++} END {print n + 0}')

inside=$(awk -F'\t' '$2 != "" {n++} END {print n + 0}' "$work/input/located.tsv")
grids=$(wc -l <"$work/input/grids.tsv")
echo "input: $grids unit grids, $points points ($inside inside a grid), $versions"
echo "points/s, one core           wall clock   CPU time"
printf '%-28s %10s %10s\n' "in-process RegionIndex::locate" "$inproc" "$inproc_cpu" \
  "PostGIS, one set query" "$set_rate" "$set_cpu" \
  "PostGIS, prepared per point" "$per_rate" "-"
python3 -c "print(f'ratio in-process/PostGIS: set {$inproc / $set_rate:.1f} (wall), \
{$inproc_cpu / $set_cpu:.1f} (CPU); per point {$inproc / $per_rate:.1f} (wall)')"
echo "mismatches: set $set_wrong of $points, per point $per_wrong of first $per_point"
((set_wrong == 0 && per_wrong == 0))
