"""End to end: reports from the phone page (POST /api/v1/reports) and the public lookup of a
case by number (GET /api/v1/public/cases/{number}).

A report with a Pillow-made JPEG becomes one case however often it is retried with its key;
bad forms are refused with the field named and leave the register as it was; the lookup
shows the case's progress and none of the reporter's words, name or phone, nor its point.
"""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server, header  # noqa: E402
from open311_client import multipart  # noqa: E402
from patrol_support import jpeg, login, require_pil  # noqa: E402

DEMO_COMMUNITY = "130304002003"
CATEGORY = "01006"
PHONE, NAME = "13900007777", "王小明"
DESCRIPTION = "路灯井盖被移走了，晚上很危险 ZQX"
BURST = 10  # the anonymous allowance of one address


def post(server, fields, files=(), key=None, headers=None):
    body, content_type = multipart(fields, list(files))
    extra = dict(headers or {}, **{"Content-Type": content_type})
    if key:
        extra["Idempotency-Key"] = key
    return server.request("POST", "/api/v1/reports", raw=body, headers=extra)


def case_count(server, who):
    _, _, body = server.get("/api/v1/stats/dashboard", headers=who)
    return body["today_intake"]


def main():
    require_pil()
    t = Checks()
    with Server() as server:
        clerk = login(server, "intake_clerk")
        worker = login(server, "grid_worker")
        _, _, fc = server.get(f"/api/v1/regions?layer=unit_grid&parent={DEMO_COMMUNITY}")
        lon, lat = geo_util.interior_point(fc["features"][0]["geometry"])
        good = [("category", CATEGORY), ("description", DESCRIPTION), ("lon", lon),
                ("lat", lat), ("phone", PHONE), ("name", NAME), ("address", "联峰路 12 号")]
        start = case_count(server, clerk)
        sent = 0  # anonymous requests so far, against the burst

        # Bad forms, signed in so the anonymous allowance is kept for the rest.
        cases = [
            ("unknown category", [("category", "99999")] + good[1:], [], 400, "category"),
            ("no location", good[:2], [], 400, "lon"),
            ("lon not a number", good[:2] + [("lon", "east"), ("lat", lat)], [], 400, "lon"),
            ("lat out of range", good[:3] + [("lat", 95)], [], 400, "lat"),
            ("outside the district", good[:2] + [("lon", 116.4), ("lat", 39.9)], [], 422,
             "lon"),
            ("blank description", [good[0], ("description", " ")] + good[2:], [], 400,
             "description"),
            ("bad phone", good[:4] + [("phone", "call me")], [], 400, "phone"),
            ("five photos", good, [("photo", f"{i}.jpg", jpeg(100 + i)) for i in range(5)],
             400, "photo"),
            ("not an image", good, [("photo", "a.jpg", jpeg(1)), ("photo", "b.jpg", b"text")],
             415, "photo"),
        ]
        for label, fields, files, code, field in cases:
            status, _, body = post(server, fields, files, headers=worker)
            t.check(status == code and body.get("field") == field,
                    f"{label}: {status} {body.get('code')} field {body.get('field')}")
        t.check(case_count(server, clerk) == start, "refused forms file no case")
        # The good photo of the form refused for its second one was not kept either.
        kept = hashlib.sha256(jpeg(1)).hexdigest() + ".jpg"
        status, _, _ = server.get(f"/api/v1/photos/{kept}/meta", headers=clerk)
        t.check(status == 404, f"no photo of a refused form is kept: {status}")

        # Anonymous, with two photos; the retry answers the same case and files nothing more.
        photos = [("photo", "a.jpg", jpeg(7)), ("photo", "b.jpg", jpeg(8))]
        status, headers, first = post(server, good, photos, key="phone-key-1")
        sent += 1
        t.check(status == 201, f"anonymous report: {status} {first}")
        number = first.get("number", "")
        t.check(first.get("lookup_url") == f"/lookup/{number}", f"lookup_url: {first}")
        t.check(len(first.get("photos", [])) == 2, "two photos stored")
        status, headers, again = post(server, good, photos, key="phone-key-1")
        sent += 1
        t.check(status == 201 and again.get("number") == number,
                f"retry answers the same case: {status} {again.get('number')}")
        t.check(header(headers, "Idempotent-Replayed") == "true", "retry marked as replayed")
        t.check(case_count(server, clerk) == start + 1, "one case for two tries")

        status, _, case = server.get(f"/api/v1/cases/{number}", headers=clerk)
        t.check(case.get("channel") == "mobile_app", f"channel: {case.get('channel')}")
        t.check(case.get("photos") == first.get("photos"), "the case names its photos")
        t.check(case.get("reporter", {}).get("phone") == PHONE, "the phone is kept")
        status, _, events = server.get(f"/api/v1/cases/{number}/events", headers=clerk)
        t.check(events["items"][0]["actor"] == "public", "reported by the public")
        status, _, _ = server.get(f"/api/v1/photos/{first['photos'][0]}/meta",
                                  headers=login(server, "shift_lead"))
        t.check(status == 200, f"a reader of the case sees its photo: {status}")

        # A grid worker's report is on the patrol channel, in the worker's name.
        status, _, mine = post(server, good[:4], key="phone-key-1", headers=worker)
        t.check(status == 201 and mine.get("number") != number, f"worker report: {status}")
        _, _, case = server.get(f"/api/v1/cases/{mine.get('number')}", headers=clerk)
        t.check(case.get("channel") == "grid_patrol", f"worker channel: {case.get('channel')}")
        status, _, body = post(server, good[:4], headers=clerk)
        t.check(status == 403, f"a clerk files through /cases: {status}")

        # The public lookup: progress, and nothing personal.
        status, _, body = server.get(f"/api/v1/public/cases/{number}")
        t.check(status == 200, f"lookup: {status}")
        t.check(body.get("number") == number and body.get("state") == "reported",
                f"lookup body: {body}")
        t.check([h["type"] for h in body.get("history", [])] == ["report"], "history")
        t.check(body.get("closed_at") is None and body.get("due_at"), "due, not closed")
        text = json.dumps(body, ensure_ascii=False)
        for secret in (PHONE, PHONE[-4:], NAME, DESCRIPTION, "ZQX", "联峰路", "public",
                       first["photos"][0][:16], f"{lon:.5f}", f"{lat:.5f}"):
            t.check(secret not in text, f"lookup leaks {secret!r}")
        for key in ("reporter", "description", "location", "photos", "address"):
            t.check(key not in body, f"lookup has no {key}")
        status, _, body = server.get("/api/v1/public/cases/not-a-number")
        t.check(status == 400 and body.get("field") == "number"
                and body.get("code") == "invalid_number", f"garbage number: {status}")
        status, _, body = server.get("/api/v1/public/cases/130304-20000101-000001")
        t.check(status == 404 and body.get("code") == "case_not_found", f"unknown: {status}")

        # Anonymous callers of one address get their burst, then 429.
        statuses = []
        for _ in range(BURST - sent + 2):
            status, headers, body = post(server, good[:2])
            statuses.append(status)
        t.check(statuses[:BURST - sent] == [400] * (BURST - sent), f"burst: {statuses}")
        t.check(statuses[-1] == 429 and body.get("code") == "rate_limited"
                and header(headers, "Retry-After"), f"then 429: {statuses}")
        status, _, _ = post(server, good[:4], headers=worker)
        t.check(status == 201, f"signed-in reporters are not limited: {status}")
    t.finish()


if __name__ == "__main__":
    main()
