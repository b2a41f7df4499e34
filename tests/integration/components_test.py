"""End to end: the components inventory and spatial queries. The demo's 57 public toilets;
box, radius and nearest searches checked against distances this test computes itself
(geo_util.distance_m); CSV and GeoJSON imports with good and bad rows reported by line; a case
naming its component; suggestions at intake; nearest cases; case counts per grid and category
checked against counts computed here from the case lists."""

import collections
import datetime
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server, walk_cases  # noqa: E402

TOILET = "03001"
LAMP = "01037"
OPEN_STATES = {"reported", "registered", "dispatched", "in_progress", "handled"}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def tokens_of(server):
    tokens = {}
    for role, (username, password) in server.demo_users().items():
        status, _, body = server.post("/api/v1/sessions",
                                      {"username": username, "password": password})
        if status != 201:
            raise RuntimeError(f"{role} cannot sign in: {status} {body}")
        tokens[role] = body["token"]
    return tokens


def all_components(server, auth):
    """Every component, page by page over offsets, as GeoJSON features."""
    features, offset = [], 0
    while True:
        status, _, body = server.get(f"/api/v1/components?format=geojson&limit=1000"
                                     f"&offset={offset}", headers=auth)
        if status != 200:
            raise RuntimeError(f"component list answered {status}: {body}")
        features.extend(body["features"])
        if len(body["features"]) < 1000:
            return features
        offset += 1000


def point_of(feature):
    return tuple(feature["geometry"]["coordinates"])


def check_demo_inventory(t, server, auth):
    status, _, body = server.get(f"/api/v1/components?category={TOILET}&limit=1000",
                                 headers=auth)
    t.check(status == 200, f"toilets list answers 200, got {status} {body}")
    toilets = body["items"]
    t.check(len(toilets) == 57, f"the demo has 57 public toilets, got {len(toilets)}")
    want_ids = [f"130304{TOILET}{n:06}" for n in range(1, 58)]
    t.check(sorted(c["id"] for c in toilets) == want_ids, "toilet ids are numbered 1 to 57")
    status, _, _ = server.get("/api/v1/components")
    t.check(status == 401, f"the inventory needs a signed-in user, got {status}")
    features = all_components(server, auth)
    kinds = collections.Counter(f["properties"]["category"] for f in features)
    t.check(kinds[LAMP] > 100, f"street lamps along the roads: {kinds[LAMP]}")
    t.check(kinds["01002"] + kinds["01003"] > 50, f"manhole covers along the roads: {kinds}")
    t.check(kinds["01050"] == 1000, f"the demo has 1,000 cameras, got {kinds['01050']}")
    t.check(kinds["01067"] == 16, f"the demo has 16 flood gauges, got {kinds['01067']}")
    watched = [f for f in features if f["properties"]["category"] in ("01050", "01067")]
    t.check(all(f["properties"]["unit_grid"] for f in watched),
            "every camera and flood gauge stands inside a unit grid")
    keepers = {f["properties"]["maintainer_department"] for f in watched}
    t.check(keepers == {"public_security", "water"},
            f"cameras are kept by the police, flood gauges by the water bureau: {keepers}")
    t.check(all(len(f["id"]) == 17 and f["id"].startswith("130304") for f in features),
            "every id has 17 digits and the district code")
    return features, toilets


def check_spatial(t, server, auth, features, toilets):
    # A box around the first toilet, compared with the points this test finds inside it.
    lon, lat = toilets[0]["location"]["lon"], toilets[0]["location"]["lat"]
    box = (lon - 0.004, lat - 0.003, lon + 0.004, lat + 0.003)
    want = {f["id"] for f in features
            if box[0] <= point_of(f)[0] <= box[2] and box[1] <= point_of(f)[1] <= box[3]}
    status, headers, body = server.get("/api/v1/components.geojson?limit=1000&bbox=" +
                                       ",".join(repr(v) for v in box), headers=auth)
    t.check(status == 200, f"bbox answers 200, got {status}")
    got = {f["id"] for f in body["features"]} if status == 200 else set()
    t.check(got == want and want, f"bbox: {len(got)} components, the test finds {len(want)}")

    # Radius: every component within 300 m, leaving out those within half a metre of the edge.
    distances = {f["id"]: geo_util.distance_m(lon, lat, *point_of(f)) for f in features}
    status, _, body = server.get(f"/api/v1/components?near={lon!r},{lat!r}&radius=300"
                                 "&limit=1000", headers=auth)
    got = {c["id"] for c in body["items"]} if status == 200 else set()
    inside = {i for i, d in distances.items() if d <= 299.5}
    outside = {i for i, d in distances.items() if d > 300.5}
    t.check(inside <= got and not (got & outside),
            f"radius 300 m: {len(got)} answered, {len(inside)} surely inside")
    for c in body.get("items", []):
        t.check(abs(c["distance_m"] - distances[c["id"]]) < 0.5,
                f"{c['id']}: distance {c['distance_m']} vs {distances[c['id']]:.1f}")

    # Nearest five lamps, in order, as this test ranks them.
    lamps = sorted((d, i) for i, d in distances.items() if i[6:11] == LAMP)
    status, _, body = server.get(f"/api/v1/components?near={lon!r},{lat!r}&nearest=5"
                                 f"&category={LAMP}", headers=auth)
    got = [c["id"] for c in body["items"]] if status == 200 else []
    t.check(got == [i for _, i in lamps[:5]], f"nearest 5 lamps: {got} vs {lamps[:5]}")
    status, _, body = server.get(f"/api/v1/components/nearest?lon={lon!r}&lat={lat!r}"
                                 f"&category={TOILET}&n=2", headers=auth)
    t.check(status == 200 and body["items"][0]["id"] == toilets[0]["id"],
            f"the form's nearest toilet to a toilet is itself: {body}")
    status, _, body = server.get("/api/v1/components?radius=10", headers=auth)
    t.check(status == 400 and body["field"] == "near", f"radius without near: {status} {body}")
    status, _, body = server.get("/api/v1/components?bbox=1,2,3", headers=auth)
    t.check(status == 400 and body["code"] == "invalid_bbox", f"bad bbox: {status} {body}")


def csv_line(id_, category, lon, lat, status="intact", owner="city_mgmt", maint="sanitation",
             name="测试公厕", extra=""):
    return f"{id_},{category},{name},{lon},{lat},wgs84,{status},{owner},{maint},北戴河区{extra}"


def check_import(t, server, tokens, toilet):
    lon, lat = toilet["location"]["lon"], toilet["location"]["lat"]
    good1, good2 = f"130304{TOILET}900001", f"130304{TOILET}900002"
    lines = [
        "id,category,name,lon,lat,datum,status,owner_department,maintainer_department,address",
        csv_line(good1, TOILET, lon + 0.0005, lat),                      # line 2: good
        csv_line(f"130304{TOILET}900003", TOILET, lon, lat) + ",extra",  # 3: 11 columns
        csv_line("13030403001123", TOILET, lon, lat),                   # 4: short id
        csv_line(f"130304{TOILET}900004", LAMP, lon, lat),               # 5: category mismatch
        csv_line(f"130304{TOILET}900005", TOILET, lon, lat, owner="nobody"),  # 6
        csv_line(f"130304{TOILET}900006", TOILET, lon, lat, status="broken"),  # 7
        csv_line(f"130304{TOILET}900007", TOILET, 200, lat),            # 8: lon out of range
        csv_line(f"130304{TOILET}900008", TOILET, 116.39, 39.9),        # 9: Beijing
        csv_line(f"130305{TOILET}900009", TOILET, lon, lat),            # 10: another district
        csv_line(good2, TOILET, lon, lat + 0.0005, status="damaged"),   # 11: good
    ]
    want = {3: ("wrong_column_count", ""), 4: ("invalid_component_id", "id"),
            5: ("category_mismatch", "category"), 6: ("unknown_department", "owner_department"),
            7: ("unknown_status", "status"), 8: ("invalid_coordinate", "lon"),
            9: ("outside_district", "lon"), 10: ("wrong_district", "id")}
    body_bytes = ("\n".join(lines) + "\n").encode()
    csv_type = {"Content-Type": "text/csv"}
    status, _, body = server.request("POST", "/api/v1/components/import", raw=body_bytes,
                                     headers={**csv_type, **bearer(tokens["intake_clerk"])})
    t.check(status == 403, f"only admins import, got {status}")
    admin = bearer(tokens["admin"])
    status, _, body = server.request("POST", "/api/v1/components/import", raw=body_bytes,
                                     headers={**csv_type, **admin})
    t.check(status == 200, f"import answers 200, got {status} {body}")
    t.check(body.get("imported") == 2 and body.get("updated") == 0, f"two imported: {body}")
    got = {r["line"]: (r["code"], r["field"]) for r in body.get("rejected", [])}
    t.check(got == want, f"rejected by line: {got}")
    status, _, body = server.request("POST", "/api/v1/components/import", raw=body_bytes,
                                     headers={**csv_type, **admin})
    t.check(body.get("imported") == 0 and body.get("updated") == 2, f"again: updated: {body}")
    status, _, body = server.get(f"/api/v1/components/{good2}", headers=admin)
    t.check(status == 200 and body["status"] == "damaged" and body["name"] == "测试公厕",
            f"an imported component reads back: {body}")
    status, _, body = server.get(f"/api/v1/components/130304{TOILET}900004", headers=admin)
    t.check(status == 404, f"a refused row is not stored: {status}")
    status, _, body = server.request("POST", "/api/v1/components/import", raw=b"id,name\n1,x\n",
                                     headers={**csv_type, **admin})
    t.check(status == 400 and body["code"] == "invalid_header", f"wrong header: {body}")

    # GeoJSON in GCJ-02: the point is stored in WGS84, as the test converts it.
    gcj = geo_util.wgs84_to_gcj02(lon, lat + 0.001)
    props = {"id": f"130304{TOILET}900010", "category": TOILET, "name": "GeoJSON公厕",
             "status": "intact", "owner_department": "city_mgmt",
             "maintainer_department": "sanitation", "address": ""}
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(gcj)},
         "properties": props},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
         "properties": props}]}
    status, _, body = server.post("/api/v1/components/import?datum=gcj02", doc,
                                  headers={"Content-Type": "application/geo+json", **admin})
    t.check(status == 200 and body["imported"] == 1, f"GeoJSON import: {status} {body}")
    t.check([r.get("feature") for r in body.get("rejected", [])] == [1],
            f"the line feature is refused by index: {body}")
    status, _, body = server.get(f"/api/v1/components/130304{TOILET}900010", headers=admin)
    loc = body.get("location", {})
    t.check(status == 200 and geo_util.distance_m(loc["lon"], loc["lat"], lon, lat + 0.001) < 0.5,
            f"GCJ-02 point stored in WGS84: {loc}")


def report(server, token, **fields):
    body = {"description": "部件测试", "channel": "hotline", **fields}
    return server.post("/api/v1/cases", body, headers=bearer(token))


def check_cases_with_components(t, server, tokens, toilets):
    clerk = tokens["intake_clerk"]
    toilet = toilets[3]
    status, _, body = report(server, clerk, category=TOILET, component=toilet["id"])
    t.check(status == 201, f"a case naming its component: {status} {body}")
    if status == 201:
        t.check(body["component"] == toilet["id"], "the case carries its component")
        d = geo_util.distance_m(body["location"]["lon"], body["location"]["lat"],
                                toilet["location"]["lon"], toilet["location"]["lat"])
        t.check(d < 0.01, f"without a location the component's is used ({d:.3f} m off)")
        _, _, read = server.get(f"/api/v1/cases/{body['number']}")
        t.check(read.get("component") == toilet["id"], "the component reads back")
    status, _, body = report(server, clerk, category=LAMP, component=toilet["id"])
    t.check(status == 400 and body["code"] == "component_category_mismatch",
            f"a lamp case naming a toilet: {status} {body}")
    status, _, body = report(server, clerk, category=TOILET, component=f"130304{TOILET}999999")
    t.check(status == 400 and body["code"] == "unknown_component", f"unknown: {status} {body}")

    # A toilet report 10 m north of a toilet, naming none: the toilet is suggested first.
    lon, lat = geo_util.offset_m(toilet["location"]["lon"], toilet["location"]["lat"], 10, 0)
    status, _, body = report(server, clerk, category=TOILET,
                             location={"lon": lon, "lat": lat, "datum": "wgs84"})
    suggestions = body.get("component_suggestions", [])
    t.check(status == 201 and suggestions and suggestions[0]["id"] == toilet["id"],
            f"intake suggests the nearest toilet: {suggestions}")
    if suggestions:
        want = geo_util.distance_m(lon, lat, toilet["location"]["lon"], toilet["location"]["lat"])
        t.check(abs(suggestions[0]["distance_m"] - want) < 0.5,
                f"suggestion distance {suggestions[0]['distance_m']} vs {want:.1f}")
        t.check(len(suggestions) <= 3 and all(s["distance_m"] <= 50 for s in suggestions),
                "at most 3 suggestions within 50 m")


def check_patch(t, server, tokens, toilet):
    path = f"/api/v1/components/{toilet['id']}"
    status, _, body = server.request("PATCH", path, {"status": "damaged"},
                                     headers=bearer(tokens["admin"]))
    t.check(status == 200 and body["status"] == "damaged", f"admin sets damaged: {body}")
    status, _, body = server.request("PATCH", path, {"status": "gone"},
                                     headers=bearer(tokens["admin"]))
    t.check(status == 400 and body["code"] == "unknown_status", f"unknown status: {body}")
    _, _, me = server.get("/api/v1/me", headers=bearer(tokens["department_handler"]))
    status, _, body = server.request("PATCH", path, {"status": "intact"},
                                     headers=bearer(tokens["department_handler"]))
    want = 200 if me.get("department") == toilet["maintainer_department"] else 403
    t.check(status == want, f"handler of {me.get('department')}: {status}, want {want}")


def check_case_queries(t, server, tokens):
    cases, _ = walk_cases(server)
    centre = (cases[0]["location"]["lon"], cases[0]["location"]["lat"])
    ranked = sorted((geo_util.distance_m(*centre, c["location"]["lon"], c["location"]["lat"]),
                     c["number"]) for c in cases)
    status, _, body = server.get(f"/api/v1/cases?near={centre[0]!r},{centre[1]!r}&nearest=5")
    got = [c["number"] for c in body.get("items", [])]
    t.check(status == 200 and got == [n for _, n in ranked[:5]],
            f"nearest 5 cases: {got} vs {ranked[:5]}")
    status, _, body = server.get("/api/v1/cases?nearest=5")
    t.check(status == 400 and body["field"] == "near", f"nearest without near: {body}")

    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    start = today - datetime.timedelta(days=60)
    in_period = [c for c in cases if start.isoformat() <= c["reported_at"][:10] <=
                 today.isoformat()]
    auth = bearer(tokens["supervisor"])
    for by in ("unit_grid", "governance_grid", "street", "community", "category"):
        for open_only in (False, True):
            rows = [c for c in in_period if not open_only or c["state"] in OPEN_STATES]
            want = collections.Counter(c[by] for c in rows)
            query = urllib.parse.urlencode({"by": by, "from": start.isoformat(),
                                            "to": today.isoformat(),
                                            **({"state": "open"} if open_only else {})})
            status, _, body = server.get(f"/api/v1/stats/case-counts?{query}", headers=auth)
            got = {r["key"]: r["count"] for r in body.get("items", [])}
            t.check(status == 200 and got == dict(want),
                    f"counts by {by} (open {open_only}): {len(got)} keys vs {len(want)}")
    status, _, body = server.get(f"/api/v1/stats/case-counts?by=street&category={TOILET}"
                                 f"&from={start}&to={today}", headers=auth)
    want = collections.Counter(c["street"] for c in in_period if c["category"] == TOILET)
    t.check({r["key"]: r["count"] for r in body.get("items", [])} == dict(want),
            f"counts of one category: {body}")
    status, _, body = server.get("/api/v1/stats/case-counts?by=street&from=2024-01-01"
                                 "&to=2025-06-01", headers=auth)
    t.check(status == 400 and body["code"] == "invalid_period", f"a long period: {body}")
    status, _, body = server.get(f"/api/v1/stats/case-counts?by=colour&from={start}&to={today}",
                                 headers=auth)
    t.check(status == 400 and body["field"] == "by", f"unknown grouping: {body}")


def main():
    t = Checks()
    with Server(demo=True) as server:
        tokens = tokens_of(server)
        auth = bearer(tokens["admin"])
        features, toilets = check_demo_inventory(t, server, auth)
        check_spatial(t, server, auth, features, toilets)
        check_import(t, server, tokens, toilets[0])
        check_cases_with_components(t, server, tokens, toilets)
        check_patch(t, server, tokens, toilets[5])
        check_case_queries(t, server, tokens)
    t.finish()


if __name__ == "__main__":
    main()
