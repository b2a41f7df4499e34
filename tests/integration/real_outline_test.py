"""The published Beidaihe outline (GCJ-02) imported through the command line, cut into 250 m
unit grids, and served without demo data: reports given in WGS84 and in GCJ-02 must land in
the cell that holds the point once converted with a test-side GCJ-02 formula."""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, binary, require_shared_data  # noqa: E402
import geo_util  # noqa: E402

t = Checks()
POINTS = 30
INSET_M = 900  # keep points far enough from the coast that both readings stay inside


def run(*args):
    proc = subprocess.run([binary(), *args], capture_output=True, text=True, timeout=120)
    t.check(proc.returncode == 0, f"cityops {' '.join(args[:2])} succeeds: {proc.stderr.strip()}")
    return proc


def sample_points(outline, count):
    """Points on a regular lattice over the outline's box, kept when well inside it."""
    x0, y0, x1, y1 = geo_util.bbox(outline)
    points, steps = [], 24
    for i in range(steps):
        for j in range(steps):
            lon = x0 + (x1 - x0) * (i + 0.5) / steps
            lat = y0 + (y1 - y0) * (j + 0.5) / steps
            if geo_util.contains(outline, lon, lat) and \
                    geo_util.boundary_distance_m(outline, lon, lat) > INSET_M:
                points.append((lon, lat))
    stride = max(1, len(points) // count)
    return points[::stride][:count]


def cell_of(cells, lon, lat):
    return [code for code, g in cells.items() if geo_util.covers(g, lon, lat, 0.01)]


def main():
    shared = require_shared_data()
    outline_file = os.path.join(shared, "boundaries", "beidaihe_130304_datav_v3_gcj02.geojson")
    if not os.path.exists(outline_file):
        print(f"SKIP: {outline_file} is absent")
        sys.exit(77)
    with open(outline_file, encoding="utf-8") as f:
        published = json.load(f)
    feature = published["features"][0] if published.get("type") == "FeatureCollection" else published
    outline_gcj = feature["geometry"]

    # The test-side formula: the shift near Beidaihe is about 560 m, and the inverse holds.
    g = geo_util.wgs84_to_gcj02(119.48, 39.82)
    shift = geo_util.distance_m(119.48, 39.82, *g)
    t.check(400 < shift < 700, f"GCJ-02 shifts Beidaihe by about 560 m ({shift:.0f} m)")
    back = geo_util.gcj02_to_wgs84(*g)
    t.check(geo_util.distance_m(119.48, 39.82, *back) < 0.001, "the inverse recovers the point")

    with tempfile.TemporaryDirectory(prefix="cityops-outline-") as data:
        run("import", "defaults", "--data", data)
        run("import", "regions", "--data", data, "--layer", "district", "--datum", "gcj02",
            "--file", outline_file)
        grids = run("grids", "--data", data, "--cell-size", "250")
        print(grids.stdout.strip())

        with Server(demo=False, data_dir=data) as server:
            status, _, ready = server.get("/readyz")
            t.check(status == 200 and ready.get("cases") == 0, f"ready and empty: {ready}")
            _, _, fc = server.get("/api/v1/regions?layer=unit_grid")
            cells = {f["id"]: f["geometry"] for f in fc["features"]}
            t.check(len(cells) > 500, f"hundreds of 250 m cells ({len(cells)})")

            # The stored outline, asked for in GCJ-02, is the published one.
            _, _, district = server.get("/api/v1/regions?layer=district&datum=gcj02")
            served = district["features"][0]["geometry"]
            first_served = geo_util.rings_of(served)[0][0][0]
            first_published = geo_util.rings_of(outline_gcj)[0][0][0]
            t.check(abs(first_served[0] - first_published[0]) < 1e-6
                    and abs(first_served[1] - first_published[1]) < 1e-6,
                    f"the outline round-trips through WGS84: {first_served} vs {first_published}")

            points = sample_points(outline_gcj, POINTS)
            t.check(len(points) >= 25, f"enough sample points inside the outline ({len(points)})")
            for n, (glon, glat) in enumerate(points):
                wlon, wlat = geo_util.gcj02_to_wgs84(glon, glat)
                # 1. The true position, sent in WGS84.
                status, _, a = server.post("/api/v1/cases", body={
                    "category": "06015", "description": f"outline check {n} (WGS84)",
                    "location": {"lon": wlon, "lat": wlat, "datum": "wgs84"},
                    "channel": "inspection"})
                t.check(status == 201, f"point {n} in WGS84 accepted ({status}: {a})")
                if status != 201:
                    continue
                cell = cells.get(a["unit_grid"])
                t.check(cell is not None and geo_util.covers(cell, wlon, wlat, 0.01),
                        f"point {n}: cell {a['unit_grid']} holds the WGS84 point "
                        f"(cells holding it: {cell_of(cells, wlon, wlat)})")
                # 2. The same numbers read as GCJ-02: a point about 560 m away.
                status, _, b = server.post("/api/v1/cases", body={
                    "category": "06015", "description": f"outline check {n} (GCJ-02)",
                    "location": {"lon": wlon, "lat": wlat, "datum": "gcj02"},
                    "channel": "inspection"})
                t.check(status == 201, f"point {n} in GCJ-02 accepted ({status}: {b})")
                if status != 201:
                    continue
                xlon, xlat = geo_util.gcj02_to_wgs84(wlon, wlat)
                stored = b["location"]
                t.check(geo_util.distance_m(stored["lon"], stored["lat"], xlon, xlat) < 0.5,
                        f"point {n}: GCJ-02 input stored at its WGS84 position "
                        f"({stored} vs {xlon:.7f},{xlat:.7f})")
                t.check(b["reported_location"] == {"lon": wlon, "lat": wlat, "datum": "gcj02"},
                        f"point {n}: the reported location is kept as given")
                cell = cells.get(b["unit_grid"])
                t.check(cell is not None and geo_util.covers(cell, xlon, xlat, 0.01),
                        f"point {n}: cell {b['unit_grid']} holds the converted point "
                        f"(cells holding it: {cell_of(cells, xlon, xlat)})")
                t.check(a["unit_grid"] != b["unit_grid"],
                        f"point {n}: the datum changes the cell ({a['unit_grid']})")

            # Refusals: an unknown datum and a point outside the real outline.
            wlon, wlat = geo_util.gcj02_to_wgs84(*points[0])
            status, hdrs, body = server.post("/api/v1/cases", body={
                "category": "06015", "description": "bad datum",
                "location": {"lon": wlon, "lat": wlat, "datum": "bd-09"}, "channel": "web"})
            t.check(status == 400 and body.get("code") == "unknown_datum"
                    and body.get("field") == "location.datum", f"unknown datum refused: {body}")
            # Qinhuangdao's Haigang District centre, north-east of Beidaihe, is not in the district.
            status, _, body = server.post("/api/v1/cases", body={
                "category": "06015", "description": "outside",
                "location": {"lon": 119.60, "lat": 39.935, "datum": "gcj02"}, "channel": "web"})
            t.check(not geo_util.contains(outline_gcj, 119.60, 39.935), "test point is outside")
            t.check(status == 422 and body.get("code") == "outside_district"
                    and body.get("field") == "location", f"outside point refused: {body}")
            status, _, ready = server.get("/readyz")
            t.check(ready.get("cases") == 2 * len(points), "only the accepted reports are stored")
    t.finish()


if __name__ == "__main__":
    main()
