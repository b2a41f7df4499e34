"""Place search and address resolution against the demo server: answers come in WGS84, agree
with the gazetteer file converted from GCJ-02 by the test's own formula, land in the demo
regions, and bad requests are refused with problem codes."""

import csv
import io
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, header  # noqa: E402
import geo_util  # noqa: E402

t = Checks()
SOURCE = os.environ.get("CITYOPS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
PLACES = os.path.join(SOURCE, "data", "gazetteer", "beidaihe-places.csv")
# Tight enough to catch a point left in GCJ-02, which lies about 560 m from its WGS84 position.
SAME_POINT_M = 50


def csv_points():
    """{name: (lon, lat) in WGS84} for the places (not roads) of the file, read here."""
    with open(PLACES, encoding="utf-8") as f:
        rows = csv.DictReader(io.StringIO("".join(l for l in f if not l.startswith("#"))))
        points = {}
        for row in rows:
            if row["kind"] != "road":
                t.check(row["datum"] == "gcj02", f"{row['name']} is given in GCJ-02")
                lon, lat = map(float, row["geometry"].split())
                points[row["name"]] = geo_util.gcj02_to_wgs84(lon, lat)
        return points


def resolve(server, address, **extra):
    query = urllib.parse.urlencode({"address": address, **extra})
    return server.get("/api/v1/geo/resolve?" + query)


def refused(label, answer, status, code, field):
    got_status, headers, body = answer
    t.check(got_status == status, f"{label}: status {got_status}, wanted {status}")
    t.check("problem+json" in (header(headers, "Content-Type") or ""), f"{label}: a problem")
    if isinstance(body, dict):
        t.check(body.get("code") == code, f"{label}: code {body.get('code')}, wanted {code}")
        t.check(body.get("field") == field, f"{label}: field {body.get('field')}, wanted {field}")


def main():
    points = csv_points()
    geziwo = points["鸽子窝公园"]
    with Server() as server:
        # The picker finds the park by part of its name, in WGS84.
        query = urllib.parse.urlencode({"q": "鸽子"})
        status, _, body = server.get("/api/v1/geo/places?" + query)
        t.check(status == 200, f"place search answers 200 ({status})")
        found = [i for i in body.get("items", []) if i["name"] == "鸽子窝公园"]
        t.check(len(found) == 1, "the search finds 鸽子窝公园")
        if found:
            gap = geo_util.distance_m(found[0]["lon"], found[0]["lat"], *geziwo)
            t.check(gap < SAME_POINT_M, f"the picker's point is the file's, in WGS84 ({gap:.1f} m)")
            t.check(found[0]["kind"] == "park" and found[0]["datum"] == "wgs84", "kind and datum")
        status, _, body = server.get("/api/v1/geo/places?q=%E8%B7%AF&limit=3")  # 路
        t.check(status == 200 and len(body["items"]) == 3, "limit caps the search")

        # A place with details after its name.
        status, _, body = resolve(server, "河北省秦皇岛市北戴河区鸽子窝公园南门")
        t.check(status == 200, f"the park resolves ({status}: {body})")
        if status == 200:
            gap = geo_util.distance_m(body["lon"], body["lat"], *geziwo)
            t.check(gap < SAME_POINT_M, f"鸽子窝公园 resolves to its own point ({gap:.1f} m)")
            t.check(body["name"] == "鸽子窝公园", f"named as the park ({body['name']})")
            t.check(body["precision"] == "place", f"precision place ({body['precision']})")
            t.check(body["street"].startswith("130304"), f"it lies in a street ({body['street']})")

        # Road forms: an intersection, and a number written with full-width digits and space.
        status, _, body = resolve(server, "海宁路与东经路交叉口")
        t.check(status == 200 and body.get("precision") == "intersection", "an intersection")
        t.check(status == 200 and body.get("unit_grid", "") != "", "the crossing is in a grid")
        status, _, body = resolve(server, "东经路\u3000１００号附近")
        t.check(status == 200 and body.get("precision") == "house_number", "a house number")
        t.check(status == 200 and body.get("matched") == "东经路100号", "the number is read")

        # A demo community resolves to a point inside its own polygon.
        status, _, regions = server.get("/api/v1/regions?layer=community")
        community = regions["features"][0]
        status, _, body = resolve(server, community["properties"]["name"])
        t.check(status == 200 and body.get("code") == community["id"], "a community by name")
        if status == 200:
            t.check(geo_util.contains(community["geometry"], body["lon"], body["lat"]),
                    "the community's point lies inside it")

        # Refusals.
        refused("unknown address", resolve(server, "火星路1号"), 400, "unresolved_address",
                "address")
        refused("no address", server.get("/api/v1/geo/resolve"), 400, "missing_parameter",
                "address")
        refused("blank address", resolve(server, " \u3000"), 400, "missing_parameter", "address")
        refused("address not UTF-8", server.get("/api/v1/geo/resolve?address=%FF"), 400,
                "invalid_encoding", "address")
        refused("unknown parameter on resolve", resolve(server, "鸽子窝公园", datum="gcj02"),
                400, "unknown_parameter", "datum")
        refused("unknown parameter on search", server.get("/api/v1/geo/places?q=a&x=1"), 400,
                "unknown_parameter", "x")
        refused("no query", server.get("/api/v1/geo/places"), 400, "missing_parameter", "q")
        refused("limit 0", server.get("/api/v1/geo/places?q=a&limit=0"), 400, "invalid_limit",
                "limit")

        # Both endpoints are described.
        status, _, doc = server.get("/api/v1/openapi.json")
        t.check("/api/v1/geo/places" in doc["paths"] and "/api/v1/geo/resolve" in doc["paths"],
                "the OpenAPI description lists both endpoints")
    t.finish()


if __name__ == "__main__":
    main()
