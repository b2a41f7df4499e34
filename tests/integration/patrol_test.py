"""End to end: a grid worker's patrol on the demo's real Beidaihe outline and unit grids.

WGS84 tracks walk between interior points of the worker's unit grids; the visited grids,
distance and share come back as the test computes them itself. Bad fixes are refused by index,
late and repeated batches are accepted, reports inside and outside the assignment are flagged,
a litter report is handled on the spot and closed by an inspector, and only the worker and
leaders see the track.
"""

import datetime
import hashlib
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server  # noqa: E402
from patrol_support import (bearer, grid_of, jpeg, login, post_report,  # noqa: E402
                            require_pil, unit_grids)

CST = datetime.timezone(datetime.timedelta(hours=8))
STEP_S = 2
SPEED_MPS = 8
LITTER = "06010"       # 暴露垃圾: on the self-handling list
BROKEN_ROAD = "06013"  # 道路破损: a department's work


def iso(t):
    return t.astimezone(CST).isoformat(timespec="seconds")


def parse(text):
    return datetime.datetime.fromisoformat(text)


def walk(points, start, seconds):
    """Fixes every STEP_S seconds along straight legs between points at SPEED_MPS, for at most
    `seconds`: [(time, lon, lat)]."""
    fixes, t = [(start, *points[0])], start
    for (lon1, lat1), (lon2, lat2) in zip(points, points[1:]):
        legs = max(1, int(geo_util.distance_m(lon1, lat1, lon2, lat2) / (SPEED_MPS * STEP_S)))
        for i in range(1, legs + 1):
            t += datetime.timedelta(seconds=STEP_S)
            if (t - start).total_seconds() > seconds:
                return fixes
            f = i / legs
            fixes.append((t, lon1 + (lon2 - lon1) * f, lat1 + (lat2 - lat1) * f))
    return fixes


def route(grids, mine):
    """Interior points of three of the worker's grids near each other, nearest first."""
    points = {code: geo_util.interior_point(grids[code]) for code in sorted(mine)}
    first = sorted(points)[len(points) // 2]
    near = sorted(points, key=lambda c: geo_util.distance_m(*points[first], *points[c]))
    return [points[c] for c in near[:3]]


def check_track(t, server, worker, grids, mine):
    status, _, patrol = server.post("/api/v1/patrols", {}, headers=worker)
    t.check(status == 201 and patrol.get("ended_at") is None, f"start: 201, got {status} {patrol}")
    status, _, again = server.post("/api/v1/patrols", {}, headers=worker)
    t.check(status == 409 and again.get("code") == "patrol_open"
            and again.get("patrol_id") == patrol["id"], f"second start: 409 naming it, {again}")
    pid, start = patrol["id"], parse(patrol["started_at"])

    # 100 seconds of walking: the server accepts fixes up to two minutes past its clock.
    fixes = walk(route(grids, mine), start, 100)
    points = [{"t": iso(ts), "lon": lon, "lat": lat, "datum": "wgs84", "accuracy": 8}
              for ts, lon, lat in fixes]
    batches = [points[i:i + 10] for i in range(0, len(points), 10)]
    late = batches.pop(1)
    random.Random(7).shuffle(batches)
    accepted = duplicates = 0
    for batch in batches + [late, batches[0]]:  # out of order, one late, one repeated
        status, _, body = server.post(f"/api/v1/patrols/{pid}/track", {"points": batch},
                                      headers=worker)
        t.check(status == 200 and body["rejected"] == [], f"batch: 200, got {status} {body}")
        accepted += body.get("accepted", 0)
        duplicates += body.get("duplicates", 0)
    t.check(accepted == len(points), f"every fix kept once: {accepted} of {len(points)}")
    t.check(duplicates == len(batches[0]), f"the repeated batch ignored: {duplicates}")

    ts, lon, lat = fixes[len(fixes) // 2]
    far_lon, far_lat = geo_util.offset_m(lon, lat, 5000, 0)
    bad = [
        {"t": iso(ts + datetime.timedelta(seconds=1)), "lon": far_lon, "lat": far_lat},
        {"t": iso(start + datetime.timedelta(hours=2)), "lon": lon, "lat": lat},
        {"t": iso(start - datetime.timedelta(minutes=5)), "lon": lon, "lat": lat},
        {"t": iso(ts), "lon": 200.0, "lat": lat},
        {"t": iso(ts), "lon": lon, "lat": lat, "datum": "osgb36"},
        {"t": "yesterday", "lon": lon, "lat": lat},
        points[3],
    ]
    status, _, body = server.post(f"/api/v1/patrols/{pid}/track", {"points": bad}, headers=worker)
    codes = [(r["index"], r["code"], r["field"]) for r in body.get("rejected", [])]
    t.check(status == 200 and codes == [
        (0, "impossible_speed", "t"), (1, "future_time", "t"), (2, "before_patrol", "t"),
        (3, "out_of_range", "lon"), (4, "unknown_datum", "datum"), (5, "invalid_time", "t")],
        f"bad fixes refused by index: {codes}")
    t.check(body.get("accepted") == 0 and body.get("duplicates") == 1, f"bad batch: {body}")
    status, _, body = server.post(f"/api/v1/patrols/{pid}/track",
                                  {"points": points[:1] * 1001}, headers=worker)
    t.check(status == 400 and body.get("code") == "batch_too_large", f"batch limit: {status}")
    return pid, fixes


def check_coverage(t, server, leader, worker, pid, fixes, grids, mine):
    status, _, ended = server.post(f"/api/v1/patrols/{pid}/end", {}, headers=worker)
    t.check(status == 200 and ended.get("ended_at"), f"end: 200, got {status} {ended}")
    status, _, body = server.post(f"/api/v1/patrols/{pid}/end", {}, headers=worker)
    t.check(status == 409 and body.get("code") == "patrol_ended", f"second end: {status}")

    day = parse(ended["started_at"]).date().isoformat()
    status, _, cov = server.get(f"/api/v1/patrols/coverage?worker=grid_worker&date={day}",
                                headers=leader)
    visited = {grid_of(grids, lon, lat) for _, lon, lat in fixes} - {None}
    distance = sum(geo_util.distance_m(a[1], a[2], b[1], b[2]) for a, b in zip(fixes, fixes[1:]))
    seconds = (parse(ended["ended_at"]) - parse(ended["started_at"])).total_seconds()
    t.check(status == 200, f"coverage: 200, got {status} {cov}")
    t.check(set(cov.get("assigned_unit_grids", [])) == mine, "assigned: the account's unit grids")
    t.check(set(cov.get("visited", [])) == visited & mine and len(visited & mine) >= 2,
            f"visited {cov.get('visited')} == {sorted(visited & mine)}")
    t.check(set(cov.get("unvisited", [])) == mine - visited, "unvisited: the rest")
    t.check(abs(cov.get("share", -1) - len(visited & mine) / len(mine)) < 1e-9, "share")
    t.check(abs(cov.get("distance_m", 0) - distance) < 1.0,
            f"distance {cov.get('distance_m')} vs {distance:.1f}")
    t.check(cov.get("patrol_seconds") == seconds, f"time {cov.get('patrol_seconds')} vs {seconds}")

    status, _, visits = server.get("/api/v1/grids/visits?layer=unit_grid", headers=leader)
    last = {v["grid"]: v for v in visits.get("items", [])}
    t.check(status == 200 and set(last) == visited, f"visits name the visited grids: {status}")
    final = {}
    for ts, lon, lat in fixes:
        final[grid_of(grids, lon, lat)] = iso(ts)
    t.check(all(last[g]["last_visited_at"] == final[g] and last[g]["worker"] == "grid_worker"
                for g in visited if g in last), "each grid's last visit time and worker")


def check_track_access(t, server, leader, worker, others, pid, fixes):
    status, headers, body = server.get(f"/api/v1/patrols/{pid}/track?datum=gcj02", headers=leader)
    feature = body["features"][0] if status == 200 else {}
    coords = feature.get("geometry", {}).get("coordinates", [])
    expected = [geo_util.wgs84_to_gcj02(lon, lat) for _, lon, lat in fixes]
    t.check(status == 200 and feature["geometry"]["type"] == "LineString"
            and len(coords) == len(expected)
            and all(abs(a[0] - b[0]) < 1e-7 and abs(a[1] - b[1]) < 1e-7
                    for a, b in zip(coords, expected)), "the leader's track in GCJ-02")
    t.check(feature.get("properties", {}).get("times") == [iso(ts) for ts, _, _ in fixes],
            "times of the fixes in the properties")
    day = fixes[0][0].astimezone(CST).date().isoformat()
    status, _, body = server.get(f"/api/v1/patrols/tracks?worker=grid_worker&date={day}",
                                 headers=worker)
    t.check(status == 200 and len(body["features"]) == 1, f"the worker's own tracks: {status}")
    for label, headers in others.items():
        status, _, body = server.get(f"/api/v1/patrols/{pid}/track", headers=headers)
        t.check(status == 404, f"{label}: another's track is 404, got {status}")
        status, _, body = server.get(f"/api/v1/patrols/coverage?worker=grid_worker&date={day}",
                                     headers=headers)
        t.check(status == 403 and body.get("code") == "forbidden", f"{label}: coverage 403")
    status, _, _ = server.get(f"/api/v1/patrols/{pid}/track")
    t.check(status == 401, "no token: 401")


def check_reports(t, server, worker, inspector, pid, grids, mine, me):
    inside = geo_util.interior_point(grids[sorted(mine)[0]])
    fields = [("category", LITTER), ("description", "绿化带内有暴露垃圾"),
              ("lon", inside[0]), ("lat", inside[1]), ("datum", "wgs84")]
    status, _, body = post_report(server, worker, pid, fields, [("photo", "a.jpg", jpeg(1))],
                                  key="report-1")
    case = body.get("case", {})
    t.check(status == 201 and case.get("channel") == "grid_patrol"
            and case.get("unit_grid") == sorted(mine)[0] and len(case.get("photos", [])) == 1
            and body.get("outside_assigned_grids") is False, f"report inside: {status} {body}")
    t.check(case.get("attributes", {}).get("patrol_id") == [str(pid)], "linked to the patrol")
    status, headers, again = post_report(server, worker, pid, fields,
                                         [("photo", "a.jpg", jpeg(1))], key="report-1")
    t.check(status == 200 and again["case"]["number"] == case.get("number"), "idempotent replay")

    # The unit grid farthest from the assignment lies in another community, outside it all.
    outside = max(sorted(grids), key=lambda c: geo_util.distance_m(
        *inside, *geo_util.interior_point(grids[c])))
    lon, lat = geo_util.wgs84_to_gcj02(*geo_util.interior_point(grids[outside]))
    status, _, body = post_report(
        server, worker, pid, [("category", BROKEN_ROAD), ("description", "路面破损"),
                              ("lon", lon), ("lat", lat), ("datum", "gcj02")],
        [("photo", "b.jpg", jpeg(2))])
    flagged = body.get("case", {}).get("governance_grid") not in me["grids"]
    t.check(status == 201 and flagged and body.get("outside_assigned_grids") is True
            and body["case"]["unit_grid"] == outside
            and body["case"]["attributes"]["outside_assigned_grids"] == ["true"],
            f"report outside the assignment flagged: {status} {body}")

    on_spot = [("category", BROKEN_ROAD), ("description", "路面坑槽"), ("lon", inside[0]),
               ("lat", inside[1]), ("handled_on_spot", "true"), ("note", "已清理")]
    status, _, body = post_report(server, worker, pid, on_spot, [("photo", "c.jpg", jpeg(3)),
                                                                 ("after_photo", "d.jpg", jpeg(4))])
    t.check(status == 409 and body.get("code") == "self_handling_not_allowed",
            f"a department's matter is not handled on the spot: {status} {body}")
    on_spot[0] = ("category", LITTER)
    status, _, body = post_report(server, worker, pid, on_spot, [("photo", "c.jpg", jpeg(3)),
                                                                 ("after_photo", "d.jpg", jpeg(4))])
    case = body.get("case", {})
    t.check(status == 201 and case.get("state") == "handled" and body.get("self_handled")
            and len(case.get("handling_photos", [])) == 1, f"handled on the spot: {status} {body}")
    status, _, body = server.post(f"/api/v1/cases/{case.get('number')}/verify",
                                  {"version": case.get("version"), "result": "pass"},
                                  headers=inspector)
    t.check(status == 200 and body.get("state") == "closed", f"inspector closes it: {status}")
    status, _, body = post_report(server, worker, pid, fields[:4], [])
    t.check(status == 400 and body.get("code") == "missing_photos", "a report needs a photo")
    for label, change, code in [("unknown category", ("category", "99999"), "unknown_category"),
                                ("outside the district", ("lon", 118.0), "outside_district"),
                                ("a control character", ("description", "a\x01b"),
                                 "invalid_characters")]:
        bad = [change if name == change[0] else (name, value) for name, value in fields]
        status, _, body = post_report(server, worker, pid, bad, [("photo", "e.jpg", jpeg(5))])
        t.check(status in (400, 422) and body.get("code") == code, f"{label}: {status} {body}")
    media = os.path.join(server.data_dir, "photos")
    stored = {name for _, _, names in os.walk(media) for name in names}
    t.check(hashlib.sha256(jpeg(5)).hexdigest() + ".jpg" not in stored
            and hashlib.sha256(jpeg(1)).hexdigest() + ".jpg" in stored,
            "a refused report keeps no photo")


def other_team_leader(server, grids):
    """Signs in a grid leader whose staff record leads a team that is not the worker's."""
    admin = login(server, "admin")
    grid = next(g for g in grids if "-GG-" in g)
    _, _, staff = server.get(f"/api/v1/staff?grid={grid}&limit=1000", headers=admin)
    team = next(m["team"] for m in staff["items"] if m["username"] == "grid_worker")
    _, _, leaders = server.get("/api/v1/staff?role=grid_leader&limit=1000", headers=admin)
    other = next(m for m in leaders["items"] if m["team"] != team)
    server.post("/api/v1/users", {"username": "leader.zhao", "display_name": "赵强",
                                  "role": "grid_worker", "grids": grids,
                                  "password": "patrol-2026-zhao"}, headers=admin)
    row = ",".join([other["staff_no"] + "9", "赵强", "grid_leader", "13800138000",
                    other["team"], ";".join(other["grids"]), "leader.zhao"])
    csv_text = "staff_no,name,role,phone,team,grids,username\n" + row + "\n"
    status, _, body = server.request("POST", "/api/v1/staff/import", raw=csv_text.encode(),
                                     headers={**admin, "Content-Type": "text/csv"})
    assert status == 200 and body.get("imported") == 1, f"leader import: {status} {body}"
    _, _, session = server.post("/api/v1/sessions", {"username": "leader.zhao",
                                                     "password": "patrol-2026-zhao"})
    return bearer(session.get("token", ""))


def main():
    require_pil()
    t = Checks()
    with Server(demo=True, extra_args=["--log-level", "warn"]) as server:
        worker, leader = login(server, "grid_worker"), login(server, "grid_leader")
        inspector = login(server, "inspector")
        others = {"department_handler": login(server, "department_handler")}
        _, _, me = server.get("/api/v1/me", headers=worker)
        status, _, _ = server.post("/api/v1/users", {
            "username": "worker.li", "display_name": "李伟", "role": "grid_worker",
            "grids": me["grids"], "password": "patrol-2026-li"}, headers=login(server, "admin"))
        _, _, session = server.post("/api/v1/sessions", {"username": "worker.li",
                                                         "password": "patrol-2026-li"})
        others["another grid worker"] = bearer(session.get("token", ""))
        others["a grid leader of another team"] = other_team_leader(server, me["grids"])
        grids = unit_grids(server)
        mine = {g for g in me["grids"] if g in grids}
        t.check(len(mine) >= 3, f"the worker has unit grids: {len(mine)}")
        pid, fixes = check_track(t, server, worker, grids, mine)
        check_reports(t, server, worker, inspector, pid, grids, mine, me)
        check_coverage(t, server, leader, worker, pid, fixes, grids, mine)
        check_track_access(t, server, leader, worker, others, pid, fixes)
    t.finish()


if __name__ == "__main__":
    main()
