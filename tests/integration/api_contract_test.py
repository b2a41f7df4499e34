"""The REST contract of /api/v1 on the demo data set: reporting, reading, listing with
cursors and filters, history, the deadline calculator, idempotent retries, reference data
and the system endpoints. Expected values are computed here, not taken from the server."""

import datetime as dt
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, header, walk_cases  # noqa: E402
import geo_util  # noqa: E402
import work_time  # noqa: E402

NUMBER = re.compile(r"^130304-(\d{8})-(\d{6})$")
RFC3339_CST = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
CST = dt.timezone(dt.timedelta(hours=8))

t = Checks()
responses = []  # every (label, status, headers) seen, for the X-Request-Id check


def call(server, method, path, body=None, headers=None):
    status, hdrs, data = server.request(method, path, body=body, headers=headers)
    responses.append((f"{method} {path}", status, hdrs))
    return status, hdrs, data


def get(server, path, **kw):
    return call(server, "GET", path, **kw)


def report(server, lon, lat, description="沙滩上有大量垃圾和塑料瓶", **extra):
    body = {"category": "06015", "description": description,
            "location": {"lon": lon, "lat": lat, "datum": "wgs84"}, "channel": "hotline",
            "urgency": "normal", "reporter": {"name": "张三", "phone": "13812345678"}}
    body.update(extra.pop("fields", {}))
    return call(server, "POST", "/api/v1/cases", body=body, **extra)


def count_cases(server):
    status, _, body = get(server, "/readyz")
    return body["cases"] if status == 200 else None


def check_report_and_read(server, unit_grids, streets, departments):
    # A point well inside a unit grid, and one 50 m north of it in the same district.
    grid_ids = sorted(unit_grids)
    first_grid = unit_grids[grid_ids[len(grid_ids) // 2]]
    lon, lat = geo_util.interior_point(first_grid)
    today_before = dt.datetime.now(CST).strftime("%Y%m%d")
    status, hdrs, first = report(server, lon, lat)
    today_after = dt.datetime.now(CST).strftime("%Y%m%d")
    t.check(status == 201, f"report answers 201 (got {status}: {first})")
    if status != 201:
        return None
    match = NUMBER.match(first.get("number", ""))
    t.check(match is not None, f"number format: {first.get('number')}")
    t.check(match is not None and match.group(1) in (today_before, today_after),
            f"number carries today's date in UTC+8 ({today_before}): {first['number']}")
    t.check(header(hdrs, "Location") == "/api/v1/cases/" + first["number"], "Location header")
    t.check(first.get("state") == "reported", "state is reported")
    t.check(first.get("version") == 1, "version is 1")
    t.check(re.fullmatch(r"\d{15}", first.get("unit_grid", "")) is not None,
            f"unit_grid has 15 digits: {first.get('unit_grid')}")
    t.check(first["unit_grid"].startswith("130304"), "unit grid lies in district 130304")
    cell = unit_grids.get(first["unit_grid"])
    t.check(cell is not None and geo_util.covers(cell, lon, lat),
            "the returned unit grid's polygon contains the reported point")
    containing_streets = [code for code, g in streets.items() if geo_util.contains(g, lon, lat)]
    t.check(first.get("street") in containing_streets,
            f"street {first.get('street')} is the street polygon holding the point "
            f"{containing_streets}")
    t.check(first["unit_grid"][:9] == first.get("street"), "unit grid id starts with the street")
    t.check(first.get("department") in departments, f"department {first.get('department')} exists")
    t.check(RFC3339_CST.match(first.get("due_at", "")) is not None,
            f"due_at is RFC 3339 in +08:00: {first.get('due_at')}")
    t.check(isinstance(first.get("duplicates"), list), "duplicates is a list")
    t.check(first.get("warnings") == [], f"no calendar warnings for a {today_after[:4]} report")
    # 06015 (dirty beach) allows 0.5 working hours to register a normal report.
    reported_at = work_time.parse(first["reported_at"])
    expected_due = work_time.rfc3339(work_time.add_working_hours(reported_at, 0.5))
    t.check(first.get("step_limit") == "0.5wh", f"register limit 0.5wh: {first.get('step_limit')}")
    t.check(first["due_at"] == expected_due,
            f"due_at = reported_at + 0.5 working hours: {first['due_at']} vs {expected_due}")

    # Duplicates: 50 m away the first case is offered, 2 km away it is not.
    near = geo_util.offset_m(lon, lat, 50, 0)
    status, _, second = report(server, *near, description="同一片沙滩仍有垃圾")
    t.check(status == 201, f"second report answers 201 ({status})")
    dup = [d for d in second.get("duplicates", []) if d.get("number") == first["number"]]
    t.check(len(dup) == 1, f"a report 50 m away lists the first as a duplicate: "
                           f"{second.get('duplicates')}")
    if dup:
        t.check(45 <= dup[0].get("distance_m", 0) <= 55,
                f"duplicate distance about 50 m: {dup[0].get('distance_m')}")
    far_point = None
    for code in grid_ids:
        p = geo_util.interior_point(unit_grids[code])
        if 1900 <= geo_util.distance_m(lon, lat, *p) <= 2100:
            far_point = p
            break
    t.check(far_point is not None, "found a unit grid about 2 km away")
    if far_point:
        status, _, third = report(server, *far_point, description="另一处沙滩有垃圾")
        t.check(status == 201, f"third report answers 201 ({status})")
        t.check(all(d.get("number") != first["number"] for d in third.get("duplicates", [])),
                "a report 2 km away does not list the first")
        t.check(second["number"] != first["number"] != third["number"], "numbers differ")

    # Reading it back gives the same data; the phone and name are masked.
    status, _, read = get(server, "/api/v1/cases/" + first["number"])
    t.check(status == 200, f"GET case answers 200 ({status})")
    for key in ("number", "state", "version", "category", "unit_grid", "street", "department",
                "due_at", "reported_at", "channel", "urgency", "description", "location",
                "governance_grid", "community"):
        t.check(read.get(key) == first.get(key), f"GET returns the same {key}: "
                                                 f"{read.get(key)} vs {first.get(key)}")
    t.check(read.get("reporter", {}).get("phone") == "138****5678",
            f"phone masked: {read.get('reporter')}")
    t.check(read.get("reporter", {}).get("name") == "张*", f"name masked: {read.get('reporter')}")
    t.check("13812345678" not in str(read), "the full phone number never appears")
    t.check(abs(read["location"]["lon"] - lon) < 1e-9 and abs(read["location"]["lat"] - lat) < 1e-9,
            "the stored WGS84 point is the one reported")

    status, _, events = get(server, f"/api/v1/cases/{first['number']}/events")
    t.check(status == 200, f"events answer 200 ({status})")
    items = events.get("items", []) if status == 200 else []
    t.check(len(items) == 1 and items[0].get("action") == "report"
            and items[0].get("to_state") == "reported" and items[0].get("from_state") is None
            and items[0].get("version") == 1, f"one report event: {items}")
    status, _, _ = get(server, "/api/v1/cases/130304-20000101-999999")
    t.check(status == 404, f"an unknown number is 404 ({status})")
    return first


def check_listing(server):
    query = "category=06015"
    everything, _ = walk_cases(server, query, limit=100)
    numbers = [c["number"] for c in everything]
    t.check(len(numbers) > 20, f"enough 06015 cases to page through ({len(numbers)})")
    t.check(len(set(numbers)) == len(numbers), "limit=100 walk has no repeats")
    t.check(all(c["category"] == "06015" for c in everything),
            "the category filter holds")
    keys = [(c["reported_at"], c["number"]) for c in everything]
    t.check(keys == sorted(keys, reverse=True), "newest first, then number descending")
    for limit in (1, 7, 13):
        pages, cursor, walked, last_cursor_null = 0, None, [], False
        while True:
            path = f"/api/v1/cases?{query}&limit={limit}"
            if cursor:
                path += "&cursor=" + urllib.parse.quote(cursor, safe="")
            status, _, body = get(server, path)
            if status != 200:
                t.check(False, f"page {pages} at limit {limit}: {status}")
                break
            pages += 1
            t.check(len(body["items"]) <= limit, f"page size at most {limit}")
            walked.extend(c["number"] for c in body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                last_cursor_null = True
                break
            t.check(len(body["items"]) == limit, "a page followed by another is full")
            if pages > len(numbers) + 2:
                break
        t.check(last_cursor_null, f"next_cursor null on the last page (limit {limit})")
        t.check(walked == numbers, f"limit {limit} walk equals the limit 100 walk "
                                   f"(no repeats, no gaps): {len(walked)} vs {len(numbers)}")
        expected_pages = max(1, -(-len(numbers) // limit))
        t.check(pages in (expected_pages, expected_pages + 1), f"{pages} pages at limit {limit}")
    for limit, want in (("1", 200), ("100", 200), ("0", 400), ("101", 400), ("-1", 400)):
        status, _, body = get(server, f"/api/v1/cases?limit={limit}")
        t.check(status == want, f"limit={limit} answers {want} (got {status})")
        if want == 200 and status == 200:
            t.check(len(body["items"]) == min(int(limit), 10 ** 6), f"limit={limit} item count")

    # Every filter, compared with filtering the whole register here.
    all_cases, _ = walk_cases(server)
    t.check(len(all_cases) == count_cases(server), "full walk covers /readyz cases")
    sample = all_cases[len(all_cases) // 3]
    times = sorted(work_time.parse(c["reported_at"]) for c in all_cases)
    t_from, t_to = times[len(times) // 4], times[len(times) // 2]
    lons = sorted(c["location"]["lon"] for c in all_cases)
    lats = sorted(c["location"]["lat"] for c in all_cases)
    box = (lons[len(lons) // 4], lats[len(lats) // 4], lons[3 * len(lons) // 4],
           lats[3 * len(lats) // 4])
    filters = [
        ("channel=hotline", lambda c: c["channel"] == "hotline"),
        ("channel=web", lambda c: c["channel"] == "web"),
        ("street=" + sample["street"], lambda c: c["street"] == sample["street"]),
        ("grid=" + sample["unit_grid"], lambda c: c["unit_grid"] == sample["unit_grid"]),
        ("grid=" + sample["governance_grid"],
         lambda c: c["governance_grid"] == sample["governance_grid"]),
        ("department=" + sample["department"], lambda c: c["department"] == sample["department"]),
        ("from=" + urllib.parse.quote(work_time.rfc3339(t_from)) + "&to="
         + urllib.parse.quote(work_time.rfc3339(t_to)),
         lambda c: t_from <= work_time.parse(c["reported_at"]) < t_to),
        ("bbox=" + ",".join(repr(v) for v in box),
         lambda c: box[0] <= c["location"]["lon"] <= box[2]
         and box[1] <= c["location"]["lat"] <= box[3]),
        ("state=reported,closed&channel=grid_patrol",
         lambda c: c["state"] in ("reported", "closed") and c["channel"] == "grid_patrol"),
    ]
    for query, keep in filters:
        got, _ = walk_cases(server, query, limit=37)
        expected = [c["number"] for c in all_cases if keep(c)]
        t.check(len(expected) > 0, f"filter {query} has something to find")
        t.check(all(keep(c) for c in got), f"filter {query}: every item matches")
        t.check([c["number"] for c in got] == expected,
                f"filter {query}: exactly the matching cases ({len(got)} vs {len(expected)})")


def check_calendar(server):
    cases = [
        # The documented example: 1-8 October 2025 off, Saturday 11 October worked.
        ("2025-09-30T16:00:00+08:00", "3", "working_days", "2025-10-11T16:00:00+08:00"),
        # 1.5 h left on 30 September, then nothing until Thursday 9 October 08:30.
        ("2025-09-30T16:00:00+08:00", "3", "working_hours", "2025-10-09T10:00:00+08:00"),
        # Across the lunch break; and ending exactly at the end of the day.
        ("2025-06-03T11:00:00+08:00", "2", "working_hours", "2025-06-03T14:30:00+08:00"),
        ("2025-06-03T16:30:00+08:00", "1", "working_hours", "2025-06-03T17:30:00+08:00"),
        ("2025-06-03T11:30:00+08:00", "0.5", "working_hours", "2025-06-03T12:00:00+08:00"),
        # Friday evening: next office moment is Monday 08:30, one working day later Tuesday.
        ("2025-12-26T18:00:00+08:00", "1", "working_days", "2025-12-30T08:30:00+08:00"),
        # Saturday 14 February 2026 is worked, 15-23 February is the Spring Festival.
        ("2026-02-13T10:00:00+08:00", "2", "working_days", "2026-02-24T10:00:00+08:00"),
        # Natural hours ignore nights and holidays; a UTC start is shown in +08:00.
        ("2025-09-30T16:00:00+08:00", "24", "natural_hours", "2025-10-01T16:00:00+08:00"),
        ("2025-09-30T08:00:00Z", "10", "natural_hours", "2025-10-01T02:00:00+08:00"),
        ("2026-10-01T09:00:00+08:00", "0.5", "natural_hours", "2026-10-01T09:30:00+08:00"),
    ]
    for start, amount, unit, due in cases:
        independent = work_time.rfc3339(work_time.add(work_time.parse(start), float(amount), unit))
        t.check(independent == due, f"test-side model agrees with the hand count {due}: "
                                    f"{independent}")
        path = (f"/api/v1/calendar/due?start={urllib.parse.quote(start, safe='')}"
                f"&amount={amount}&unit={unit}")
        status, _, body = get(server, path)
        t.check(status == 200 and body.get("due") == due,
                f"{amount} {unit} from {start} is due {due} (got {status} {body})")
        if status == 200:
            t.check(body.get("warnings") == [], f"no warnings for {start}")
    # A generated table of starts across 2025-2026, compared with the test-side model.
    mismatches = []
    for i in range(40):
        start = dt.datetime(2025, 1, 1, tzinfo=work_time.CST) + dt.timedelta(
            days=17 * i + 3, hours=(7 * i) % 24, minutes=(13 * i) % 60)
        for amount, unit in (((i % 9) + 1, "working_days"), ((i % 13) * 0.5 + 0.5, "working_hours")):
            if start.year > 2026 or work_time.add(start, amount, unit).year > 2026:
                continue
            want = work_time.rfc3339(work_time.add(start, amount, unit))
            path = (f"/api/v1/calendar/due?start={urllib.parse.quote(work_time.rfc3339(start), safe='')}"
                    f"&amount={amount}&unit={unit}")
            status, _, body = get(server, path)
            if status != 200 or body.get("due") != want:
                mismatches.append((work_time.rfc3339(start), amount, unit, want, body))
    t.check(not mismatches, f"deadlines match the test-side calendar: {mismatches[:3]}")
    # 2027 has no published calendar: the answer says so.
    status, _, body = get(server, "/api/v1/calendar/due?start=2027-03-01T09:00:00%2B08:00"
                                  "&amount=2&unit=working_days")
    t.check(status == 200 and body.get("warnings"), f"a 2027 start carries warnings: {body}")
    t.check(status == 200 and 2027 in body.get("unpublished_years", []), "2027 is unpublished")
    t.check(status == 200 and body.get("due") == "2027-03-03T09:00:00+08:00",
            f"2027 falls back to the weekly rule: {body.get('due')}")


def check_idempotency(server, lon, lat):
    before = count_cases(server)
    key = "replay-key-5f2c"
    s1, h1, b1 = report(server, lon, lat, headers={"Idempotency-Key": key})
    s2, h2, b2 = report(server, lon, lat, headers={"Idempotency-Key": key})
    t.check(s1 == 201 and s2 in (200, 201), f"both tries accepted ({s1}, {s2})")
    t.check(b1.get("number") == b2.get("number"), f"same key, same number: "
                                                 f"{b1.get('number')} {b2.get('number')}")
    t.check(header(h2, "Idempotent-Replayed") == "true", "the retry is marked as replayed")
    t.check(count_cases(server) == before + 1, "the case count grows by one only")
    s3, _, b3 = report(server, lon, lat, headers={"Idempotency-Key": key + "-other"})
    t.check(s3 == 201 and b3.get("number") != b1.get("number"), "another key, another case")
    t.check(count_cases(server) == before + 2, "a new key adds a case")
    # The same key with another report is refused, naming the key, and writes nothing.
    s4, _, b4 = report(server, lon, lat, description="另一件事：路灯不亮",
                       headers={"Idempotency-Key": key})
    t.check(s4 == 409 and b4.get("code") == "idempotency_key_reused" and
            b4.get("field") == "Idempotency-Key", f"a reused key is refused: {s4} {b4}")
    t.check(count_cases(server) == before + 2, "a refused reuse adds no case")
    # A replay offers no case reported after the first answer as a possible duplicate.
    s5, _, b5 = report(server, lon, lat, headers={"Idempotency-Key": key})
    later = [d for d in b5.get("duplicates", []) if d["reported_at"] > b1["reported_at"]]
    t.check(s5 in (200, 201) and not later and
            b3["number"] not in [d["number"] for d in b5.get("duplicates", [])],
            f"a replay offers no later duplicates: {later}")


def main():
    with Server(demo=True) as server:
        status, _, grids = get(server, "/api/v1/regions?layer=unit_grid")
        unit_grids = {f["id"]: f["geometry"] for f in grids["features"]}
        status, _, street_fc = get(server, "/api/v1/regions?layer=street")
        streets = {f["id"]: f["geometry"] for f in street_fc["features"]}
        _, _, deps = get(server, "/api/v1/departments")
        departments = {d["code"] for d in deps["items"]}

        # Reference data.
        t.check(street_fc.get("type") == "FeatureCollection" and len(streets) == 4,
                f"4 streets ({len(streets)})")
        status, _, gg = get(server, "/api/v1/regions?layer=governance_grid")
        t.check(status == 200 and gg.get("type") == "FeatureCollection", "governance grids")
        codes = sorted(f["id"] for f in gg.get("features", []))
        t.check(codes == [f"130304-GG-{i:03d}" for i in range(1, 208)],
                f"207 governance grids GG-001..GG-207 ({len(codes)})")
        t.check(all(f["type"] == "Feature" and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
                    for f in gg.get("features", [])), "every grid is a polygon feature")
        status, _, cats = get(server, "/api/v1/categories?q=" + urllib.parse.quote("井盖"))
        names = [c["name"] for c in cats.get("items", [])]
        t.check(status == 200 and names and all("井盖" in n or any("井盖" in k for k in c["keywords"])
                                                 for n, c in zip(names, cats["items"])),
                f"categories matching 井盖 are about manhole covers: {names[:5]}")
        t.check({"供水井盖", "污水井盖", "雨水井盖"} <= set(names),
                f"water, sewage and rain manhole covers found: {names}")

        first = check_report_and_read(server, unit_grids, streets, departments)
        check_listing(server)
        check_calendar(server)
        if first:
            check_idempotency(server, first["location"]["lon"], first["location"]["lat"])

        # System endpoints.
        status, _, body = get(server, "/healthz")
        t.check(status == 200, f"/healthz 200 ({status})")
        status, hdrs, text = get(server, "/metrics")
        t.check(status == 200 and "cityops_http_requests_total" in text,
                "/metrics exposes cityops_http_requests_total")
        # Every case written so far went through the group committer: at least the demo's
        # reports, and never fewer transactions than one or more writes each.
        counts = {}
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if name in ("cityops_store_write_batches_total", "cityops_store_writes_total"):
                counts[name] = float(value)
        _, _, ready = get(server, "/readyz")
        t.check(counts.get("cityops_store_writes_total", 0) >= ready["cases"] and
                0 < counts.get("cityops_store_write_batches_total", 0) <=
                counts.get("cityops_store_writes_total", 0),
                f"/metrics counts group-committed writes and batches: {counts}")
        status, hdrs, _ = get(server, "/healthz", headers={"X-Request-Id": "abc-123"})
        t.check(header(hdrs, "X-Request-Id") == "abc-123", "a client's X-Request-Id is kept")
        get(server, "/no/such/thing")
        missing = [(label, status) for label, status, hdrs in responses
                   if not header(hdrs, "X-Request-Id")]
        t.check(not missing, f"every answer has X-Request-Id ({len(responses)} answers): "
                             f"{missing[:3]}")
    t.finish()


if __name__ == "__main__":
    main()
