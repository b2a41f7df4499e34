"""End to end: the dashboard's counters and the duplicate candidates of a report not yet made.

Every dashboard number is recomputed here from the case listings (GET /api/v1/cases) over the
same scope, with the local day and taxonomy classes worked out by the test; cases filed now
must move today's counters by exactly their number.
"""

import datetime as dt
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server, walk_cases  # noqa: E402
from patrol_support import login  # noqa: E402
from workflow_test import TAXONOMY_ROWS  # noqa: E402

CST = dt.timezone(dt.timedelta(hours=8))
OPEN_STATES = "reported,registered,dispatched,in_progress,handled"
CATEGORY = "01006"
DEMO_COMMUNITY = "130304002003"


def walk(server, headers, query):
    items, cursor = [], None
    while True:
        path = f"/api/v1/cases?limit=100&{query}"
        if cursor:
            path += "&cursor=" + urllib.parse.quote(cursor, safe="")
        status, _, body = server.get(path, headers=headers)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body}")
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def expected(server, headers):
    """The dashboard as the listings say it should be."""
    today = dt.datetime.now(CST).date()
    tomorrow = today + dt.timedelta(days=1)
    day = walk(server, headers, f"from={today}&to={tomorrow}")
    hours = [0] * 24
    classes = {}
    for c in day:
        hours[dt.datetime.fromisoformat(c["reported_at"]).astimezone(CST).hour] += 1
        row = TAXONOMY_ROWS[c["category"]]
        key = (row["class_code"], row["class_name"])
        classes[key] = classes.get(key, 0) + 1
    red = walk(server, headers, "light=red")
    red_open = [c for c in red if c["state"] in OPEN_STATES.split(",")]
    by_dept = {}
    for c in red_open:
        by_dept[c["department"]] = by_dept.get(c["department"], 0) + 1
    lights = {light: len([c for c in walk(server, headers, f"light={light}")
                          if c["state"] in OPEN_STATES.split(",")])
              for light in ("green", "yellow")}
    lights["red"] = len(red_open)
    return {
        "date": str(today),
        "today_intake": len(day),
        "intake_by_hour": hours,
        "by_class": sorted([{"code": k[0], "name": k[1], "count": n} for k, n in classes.items()],
                           key=lambda r: (-r["count"], r["code"])),
        "open": len(walk(server, headers, "state=" + OPEN_STATES)),
        "overdue": len(red_open),
        "overdue_by_department": sorted(by_dept.items(), key=lambda kv: (-kv[1], kv[0])),
        "open_by_light": lights,
    }


def on_time_share(server, headers):
    """Steps finished in the last 30 days that finished in time, from the cases' own steps."""
    since = dt.datetime.now(CST) - dt.timedelta(days=30)
    done = on_time = 0
    for c in walk(server, headers, ""):
        for step in c.get("steps", []):
            if step["finished_at"] and step["on_time"] is not None and \
                    dt.datetime.fromisoformat(step["finished_at"]) >= since:
                done += 1
                on_time += 1 if step["on_time"] else 0
    return None if done == 0 else on_time / done


def compare(t, server, headers, who):
    # A light may turn while the listings are read: one retry settles it.
    for attempt in range(2):
        status, _, got = server.get("/api/v1/stats/dashboard", headers=headers)
        want = expected(server, headers)
        got_dept = [(d["code"], d["count"]) for d in got.get("overdue_by_department", [])]
        same = status == 200 and all(got.get(k) == v for k, v in want.items()
                                     if k != "overdue_by_department") \
            and got_dept == want["overdue_by_department"]
        if same:
            break
    t.check(status == 200, f"{who}: dashboard answers 200: {status}")
    for key, value in want.items():
        if key == "overdue_by_department":
            t.check(got_dept == value, f"{who}: overdue_by_department {got_dept} != {value}")
        else:
            t.check(got.get(key) == value, f"{who}: {key} {got.get(key)} != {value}")
    rate, share = got.get("on_time_rate"), on_time_share(server, headers)
    t.check(rate == share or (rate is not None and share is not None
                              and abs(rate - share) < 1e-9),
            f"{who}: on_time_rate {rate} != {share}")
    return got


def main():
    t = Checks()
    with Server() as server:
        clerk = login(server, "intake_clerk")
        handler = login(server, "department_handler")
        status, _, fc = server.get(f"/api/v1/regions?layer=unit_grid&parent={DEMO_COMMUNITY}")
        points = [geo_util.interior_point(f["geometry"]) for f in fc["features"]]

        before = compare(t, server, clerk, "clerk before")
        t.check(before["overdue"] > 0, "the demo data has overdue cases")
        t.check(before["on_time_rate"] is not None, "the demo data has finished steps")
        filed = []
        for i in range(3):
            lon, lat = points[i % len(points)]
            status, _, body = server.post(
                "/api/v1/cases",
                {"category": CATEGORY, "description": f"路灯井盖缺失 {i}",
                 "location": {"lon": lon, "lat": lat}, "channel": "hotline"}, headers=clerk)
            t.check(status == 201, f"case {i} filed: {status}")
            filed.append(body)
        after = compare(t, server, clerk, "clerk after")
        hour = dt.datetime.now(CST).hour
        t.check(after["today_intake"] - before["today_intake"] == 3, "three more today")
        t.check(after["intake_by_hour"][hour] - before["intake_by_hour"][hour] == 3,
                "three more this hour")
        t.check(after["open"] - before["open"] == 3, "three more open")
        row = TAXONOMY_ROWS[CATEGORY]
        counts = {c["code"]: c["count"] for c in after["by_class"]}
        old = {c["code"]: c["count"] for c in before["by_class"]}
        t.check(counts.get(row["class_code"], 0) - old.get(row["class_code"], 0) == 3,
                f"class {row['class_code']} grew by three")
        scoped = compare(t, server, handler, "department handler")
        t.check(scoped["open"] < after["open"], "the handler counts only the department's")
        status, _, body = server.get("/api/v1/stats/dashboard")
        t.check(status == 401, f"dashboard needs sign-in: {status}")

        # Similar: the case just filed nearby, not one of another place or category.
        lon, lat = points[0]
        q = urllib.parse.urlencode({"lon": lon, "lat": lat, "category": CATEGORY,
                                    "description": "井盖"})
        status, _, body = server.get(f"/api/v1/cases/similar?{q}", headers=clerk)
        numbers = [i["number"] for i in body.get("items", [])]
        t.check(status == 200 and filed[0]["number"] in numbers,
                f"similar finds the case filed there: {status} {numbers}")
        first = next((i for i in body.get("items", []) if i["number"] == filed[0]["number"]), {})
        t.check(first.get("description") == "路灯井盖缺失 0" and first.get("distance_m") == 0,
                f"similar item: {first}")
        far = urllib.parse.urlencode({"lon": lon + 0.05, "lat": lat, "category": CATEGORY})
        status, _, body = server.get(f"/api/v1/cases/similar?{far}", headers=clerk)
        t.check(status in (200, 422) and filed[0]["number"] not in
                [i["number"] for i in body.get("items", [])], f"not 5 km away: {status}")
        other = urllib.parse.urlencode({"lon": lon, "lat": lat, "category": "06015"})
        status, _, body = server.get(f"/api/v1/cases/similar?{other}", headers=clerk)
        t.check(status == 200 and filed[0]["number"] not in
                [i["number"] for i in body["items"]], "not of another category")
        _, _, listed = server.get(f"/api/v1/cases?limit=1", headers=clerk)
        for query, field in [(f"lat={lat}&category={CATEGORY}", "lon"),
                             (f"lon=abc&lat={lat}&category={CATEGORY}", "lon"),
                             (f"lon={lon}&lat=95&category={CATEGORY}", "lat"),
                             (f"lon={lon}&lat={lat}&category=99999", "category"),
                             (f"lon={lon}&lat={lat}", "category")]:
            status, _, body = server.get(f"/api/v1/cases/similar?{query}", headers=clerk)
            t.check(status == 400 and body.get("field") == field,
                    f"similar {query}: {status} {body.get('field')}")
        status, _, _ = server.get(f"/api/v1/cases/similar?{q}")
        t.check(status == 401, f"similar needs sign-in: {status}")
        status, _, _ = server.get(f"/api/v1/cases/similar?{q}", headers=login(server, "viewer"))
        t.check(status == 403, f"a viewer reports nothing: {status}")
        _, _, again = server.get(f"/api/v1/cases?limit=1", headers=clerk)
        t.check(again["items"][0]["number"] == listed["items"][0]["number"],
                "asking for similar cases files nothing")
    t.finish()


if __name__ == "__main__":
    main()
