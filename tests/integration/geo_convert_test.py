"""End to end: GET /api/v1/geo/convert between WGS84, GCJ-02, BD-09 and CGCS2000, checked
against the public formulas written here independently (geo_util for GCJ-02, BD-09 below),
with round trips within 0.5 m at Beidaihe and across China, and GCJ-02 equal to WGS84
outside China."""

import math
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server  # noqa: E402

IN_CHINA = {"Beidaihe": (119.4800, 39.8300), "Beijing": (116.3975, 39.9087),
            "Urumqi": (87.6168, 43.8256), "Lhasa": (91.1322, 29.6604),
            "Harbin": (126.6425, 45.7570), "Sanya": (109.5120, 18.2528),
            "Shanghai": (121.4737, 31.2304), "Kashgar": (75.9898, 39.4704)}
OUTSIDE = {"London": (-0.1276, 51.5072), "Tokyo": (139.6917, 35.6895),
           "Sydney": (151.2093, -33.8688)}


def gcj02_to_bd09(lon, lat):
    x_pi = math.pi * 3000.0 / 180.0
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * x_pi)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * x_pi)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def convert(server, lon, lat, src, dst):
    query = urllib.parse.urlencode({"lon": repr(lon), "lat": repr(lat), "from": src, "to": dst})
    status, _, body = server.get(f"/api/v1/geo/convert?{query}")
    if status != 200:
        raise RuntimeError(f"convert {src}->{dst} answered {status}: {body}")
    if set(body) != {"lon", "lat"}:
        raise RuntimeError(f"convert answers lon and lat only: {body}")
    return body["lon"], body["lat"]


def main():
    t = Checks()
    with Server(demo=False) as server:
        for name, (lon, lat) in IN_CHINA.items():
            gcj = convert(server, lon, lat, "wgs84", "gcj02")
            want = geo_util.wgs84_to_gcj02(lon, lat)
            t.check(geo_util.distance_m(*gcj, *want) < 0.05,
                    f"{name}: WGS84 -> GCJ-02 as the public formula: {gcj} vs {want}")
            t.check(geo_util.distance_m(lon, lat, *gcj) > 100,
                    f"{name}: GCJ-02 is offset inside China")
            bd = convert(server, *gcj, "gcj02", "bd09")
            t.check(geo_util.distance_m(*bd, *gcj02_to_bd09(*gcj)) < 0.05,
                    f"{name}: GCJ-02 -> BD-09 as the public formula")
            for datum in ("gcj02", "bd09", "cgcs2000"):
                there = convert(server, lon, lat, "wgs84", datum)
                back = convert(server, *there, datum, "wgs84")
                gap = geo_util.distance_m(lon, lat, *back)
                t.check(gap < 0.5, f"{name}: WGS84 -> {datum} -> WGS84 within 0.5 m: {gap:.4f}")
            same = convert(server, lon, lat, "wgs84", "cgcs2000")
            t.check(same == (lon, lat), f"{name}: CGCS2000 is WGS84 at city scale: {same}")
        for name, (lon, lat) in OUTSIDE.items():
            gcj = convert(server, lon, lat, "wgs84", "gcj02")
            t.check(abs(gcj[0] - lon) < 1e-12 and abs(gcj[1] - lat) < 1e-12,
                    f"{name}: outside China GCJ-02 equals WGS84: {gcj}")

        for query, field in [("lat=39.8&from=wgs84&to=gcj02", "lon"),
                             ("lon=119.4&lat=95&from=wgs84&to=gcj02", "lat"),
                             ("lon=abc&lat=39.8&from=wgs84&to=gcj02", "lon"),
                             ("lon=nan&lat=39.8&from=wgs84&to=gcj02", "lon"),
                             ("lon=119.4&lat=39.8&from=mars&to=gcj02", "from"),
                             ("lon=119.4&lat=39.8&from=wgs84", "to"),
                             ("lon=119.4&lat=39.8&from=wgs84&to=gcj02&x=1", "x")]:
            status, _, body = server.get(f"/api/v1/geo/convert?{query}")
            t.check(status == 400 and body.get("field") == field,
                    f"bad input {query}: {status} {body}")
    t.finish()


if __name__ == "__main__":
    main()
