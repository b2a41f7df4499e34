"""End to end: region versions. A boundary edit takes effect for the next report at once while
filed cases keep their grid; layers answer as they stood on a date; GeoJSON layers round-trip
through export and import; one region shows its parents and children."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server  # noqa: E402

POINT = {"lon": 119.4912, "lat": 39.8125, "datum": "wgs84"}
QUIET = ["--log-level", "warn"]
CST = datetime.timezone(datetime.timedelta(hours=8))


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def token_of(server, users, name):
    username, password = users[name]
    status, _, body = server.post("/api/v1/sessions", {"username": username, "password": password})
    if status != 201:
        raise RuntimeError(f"{username} cannot sign in: {status}")
    return body["token"]


def report(server):
    status, _, body = server.post("/api/v1/cases", {
        "category": "06015", "description": "沙滩垃圾较多", "location": POINT,
        "channel": "hotline", "urgency": "normal"})
    if status != 201:
        raise RuntimeError(f"report answered {status}: {body}")
    return body["case"] if "case" in body else body


def square(lon, lat, half):
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}


def layer(server, name, extra=""):
    status, _, body = server.get(f"/api/v1/regions?layer={name}{extra}")
    if status != 200:
        raise RuntimeError(f"layer {name} answered {status}: {body}")
    return {f["properties"]["code"]: f for f in body["features"]}


def put(server, token, code, body, query=""):
    return server.request("PUT", f"/api/v1/regions/governance_grid/{code}{query}", body=body,
                          headers=bearer(token))


def check_edit(t, server, admin, viewer):
    filed = report(server)
    grid = filed["governance_grid"]
    t.check(grid != "", f"the point lies in a governance grid: {grid}")
    before = layer(server, "governance_grid")[grid]

    # The grid moves out to sea, away from every other grid and from the reported point.
    moved = square(POINT["lon"] + 0.3, POINT["lat"] - 0.1, 0.002)
    status, _, body = put(server, viewer, grid, moved)
    t.check(status == 403, f"only admins edit boundaries: {status}")
    bowtie = {"type": "Polygon", "coordinates": [[[119.50, 39.82], [119.51, 39.83],
                                                  [119.51, 39.82], [119.50, 39.83],
                                                  [119.50, 39.82]]]}
    status, _, body = put(server, admin, grid, bowtie)
    t.check(status == 400 and body.get("code") == "invalid_geometry",
            f"self-intersecting ring refused: {status} {body.get('code')}")
    status, _, body = put(server, admin, grid, {"type": "Feature", "properties": {},
                                                "geometry": moved})
    t.check(status == 200 and len(body["features"]) == 2, f"boundary edited: {status} {body}")
    yesterday = (datetime.datetime.now(CST).date() - datetime.timedelta(days=1)).isoformat()
    status, _, body = put(server, admin, grid, before["geometry"], f"?valid_from={yesterday}")
    t.check(status == 400 and body.get("code") == "valid_from_too_early"
            and body.get("field") == "valid_from", f"valid_from before the start: {body}")

    status, _, again = server.get(f"/api/v1/cases/{filed['number']}")
    t.check(status == 200 and again["governance_grid"] == grid,
            "the filed case keeps the grid it was filed in")
    status, _, where = server.get("/api/v1/regions/locate?lon={lon}&lat={lat}".format(**POINT))
    t.check(status == 200 and where["governance_grid"] != grid, "locate gives the new answer")
    second = report(server)
    t.check(second["governance_grid"] == where["governance_grid"] != grid,
            f"a new report at the same point: {second['governance_grid']}")
    inside = "/api/v1/regions/locate?lon={}&lat={}".format(POINT["lon"] + 0.3,
                                                           POINT["lat"] - 0.1)
    status, _, moved_to = server.get(inside)
    t.check(status == 200 and moved_to["governance_grid"] == grid,
            f"the grid now lies where it was moved: {moved_to.get('governance_grid')}")
    return grid, before, moved


def same_ring(a, b):
    """Equal to the 7 decimals GeoJSON output keeps."""
    return len(a) == len(b) and all(abs(p[0] - q[0]) < 1e-7 and abs(p[1] - q[1]) < 1e-7
                                    for p, q in zip(a, b))


def check_dates(t, server, grid, before, moved):
    today = datetime.datetime.now(CST).date()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    old = layer(server, "governance_grid", f"&at={yesterday}").get(grid)
    new = layer(server, "governance_grid", f"&at={tomorrow}").get(grid)
    t.check(old is not None and old["geometry"] == before["geometry"],
            "at=yesterday answers the old boundary")
    t.check(new is not None and same_ring(new["geometry"]["coordinates"][0][0],
                                          moved["coordinates"][0]),
            "at=tomorrow answers the new boundary")
    if old and new:
        t.check(old["properties"]["valid_to"] == new["properties"]["valid_from"]
                and new["properties"]["valid_to"] is None, "versions meet without a gap")
    status, _, history = server.get(f"/api/v1/regions/{grid}/history")
    t.check(status == 200 and len(history["features"]) == 2, "history lists both versions")
    status, _, body = server.get("/api/v1/regions?layer=governance_grid&at=yesterday")
    t.check(status == 400 and body.get("field") == "at", "a bad date names at")


def strip(feature):
    p = feature["properties"]
    return (p["code"], p["name"], p["parent"], feature["geometry"])


def check_round_trip(t, server, admin):
    status, _, exported = server.get("/api/v1/regions?layer=community")
    t.check(status == 200 and exported["type"] == "FeatureCollection"
            and len(exported["features"]) == 21, "community layer as a FeatureCollection")
    status, _, body = server.post("/api/v1/regions/community", exported, headers=bearer(admin))
    t.check(status == 200 and body["imported"] == 21, f"layer imported: {status} {body}")
    status, _, again = server.get("/api/v1/regions?layer=community")
    t.check(sorted(map(strip, again["features"])) == sorted(map(strip, exported["features"])),
            "export then import gives the same features")

    bad = {"type": "FeatureCollection", "features": [exported["features"][0],
                                                     {**exported["features"][1],
                                                      "properties": {"name": "无编码"}}]}
    status, _, body = server.post("/api/v1/regions/community", bad, headers=bearer(admin))
    t.check(status == 400 and body.get("field") == "features[1].properties.code",
            f"a feature without a code is named: {body}")
    status, _, body = server.post("/api/v1/regions/community",
                                  {"type": "FeatureCollection", "features": []},
                                  headers=bearer(admin))
    t.check(status == 400 and body.get("code") == "empty_layer",
            f"an empty file never empties a layer: {status} {body}")
    status, _, after = server.get("/api/v1/regions?layer=community")
    t.check(len(after["features"]) == 21, "a bad file changes nothing")


def check_hierarchy(t, server):
    status, _, where = server.get("/api/v1/regions/locate?lon={lon}&lat={lat}".format(**POINT))
    unit = where["unit_grid"]
    status, _, body = server.get(f"/api/v1/regions/{unit}")
    # A unit grid id carries its community (12 digits), street (9) and district (6).
    expected = [unit[:12], unit[:9], unit[:6]]
    t.check(status == 200 and [p["code"] for p in body["parents"]] == expected,
            f"parent chain up to the district: {body.get('parents')}")
    status, _, community = server.get(f"/api/v1/regions/{unit[:12]}")
    units = layer(server, "unit_grid", f"&parent={unit[:12]}")
    t.check(status == 200 and {c["code"] for c in community["children"]["unit_grid"]} ==
            set(units), "a community's unit grids as children")
    t.check("governance_grid" in community["children"], "and its governance grids")
    status, _, body = server.get("/api/v1/regions/NOPE")
    t.check(status == 404 and body.get("code") == "unknown_region", "unknown region: 404")


def main():
    t = Checks()
    with Server(extra_args=QUIET) as server:
        users = server.demo_users()
        admin, viewer = token_of(server, users, "admin"), token_of(server, users, "viewer")
        grid, before, moved = check_edit(t, server, admin, viewer)
        check_dates(t, server, grid, before, moved)
        check_round_trip(t, server, admin)
        check_hierarchy(t, server)
    t.finish()


if __name__ == "__main__":
    main()
