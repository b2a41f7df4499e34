"""End to end: Open311 GeoReport v2 beyond the happy path. Refusals in the specification's
error format (each leaving the register unchanged), XML escaping read back by an independent
parser, a photo uploaded with the request, status notes and the public history following the
workflow, and a department's back-office moving its case through servicerequestupdates.
"""

import hashlib
import json
import os
import struct
import sys
import threading
import urllib.parse
import zlib

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
import open311_client as o311  # noqa: E402
from cityops_server import Checks, Server  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# A point well inside the demo district (WGS84), and a category that asks nothing more.
LON, LAT = 119.4800, 39.8350
PLAIN = "06010"  # 暴露垃圾, led by the sanitation department


def png(width=1, height=1, pixels=None):
    """A valid RGB PNG, written here with zlib and struct; one red pixel by default."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    pixels = pixels or b"\xff\x00\x00" * (width * height)
    rows = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def tiny_png():
    return png()


def count_cases(server):
    status, _, body = server.get("/api/v1/cases?channel=open311&limit=100")
    return len(body["items"])


def check_refusals(server, t, key):
    before = count_cases(server)
    good = {"api_key": key, "service_code": PLAIN, "lat": str(LAT), "long": str(LON),
            "description": "路边有垃圾"}
    cases = [
        ("no key", {k: v for k, v in good.items() if k != "api_key"}, 403),
        ("bad key", {**good, "api_key": "co_" + "0" * 40}, 403),
        ("wrong jurisdiction", {**good, "jurisdiction_id": "cologne"}, 404),
        ("no service", {k: v for k, v in good.items() if k != "service_code"}, 400),
        ("unknown service", {**good, "service_code": "99999"}, 400),
        ("latitude out of range", {**good, "lat": "95"}, 400),
        ("latitude not a number", {**good, "lat": "north"}, 400),
        ("no location", {k: v for k, v in good.items() if k not in ("lat", "long")}, 400),
        ("unresolvable address", {**{k: v for k, v in good.items() if k not in ("lat", "long")},
                                  "address_string": "火星大道99号"}, 400),
        ("outside the district", {**good, "lat": "39.0", "long": "116.0"}, 400),
        ("missing required attribute", {**good, "service_code": "06015"}, 400),
        ("attribute value not in the list",
         {**good, "service_code": "06015", "attribute[beach_section]": "copacabana"}, 400),
        ("unknown attribute", {**good, "attribute[colour]": "red"}, 400),
        ("unknown parameter", {**good, "priority": "high"}, 400),
        ("media_url not http", {**good, "media_url": "javascript:alert(1)"}, 400),
        ("a noncharacter that XML cannot carry", {**good, "description": "坏\ufffe字"}, 400),
        ("a control character", {**good, "description": "bell\x07"}, 400),
        ("a repeated parameter", [*good.items(), ("service_code", "06015")], 400),
    ]
    for label, fields, expected in cases:
        for fmt in ("xml", "json"):
            status, headers, body = o311.call(server, "POST", f"{o311.BASE}/requests.{fmt}",
                                              fields)
            ok = status == expected
            if fmt == "xml":
                try:
                    root, code, description = o311.xml_error(body)
                    ok = ok and root == "errors" and code == expected and bool(description)
                except Exception as err:  # noqa: BLE001 - any parse failure is a failure
                    ok, description = False, f"unparsable: {err} {body[:200]}"
            else:
                answer = json.loads(body)
                description = answer[0].get("description") if isinstance(answer, list) else answer
                ok = ok and answer[0]["code"] == expected
            t.check(ok, f"{label} ({fmt}): {status}, expected {expected}: {description}")
    t.check(count_cases(server) == before, "refused requests wrote nothing")

    # A refused request keeps no photo: the media URL its bytes would have is unknown.
    blue = png(pixels=b"\x00\x00\xff")
    body, content_type = o311.multipart([("api_key", key), ("service_code", PLAIN),
                                         ("lat", "10"), ("long", "10")],
                                        [("media", "far.png", blue)])
    status, _, _ = o311.call(server, "POST", f"{o311.BASE}/requests.json", raw=body,
                             content_type=content_type)
    name = hashlib.sha256(blue).hexdigest() + ".png"
    media_status, _, _ = o311.call(server, "GET", f"{o311.BASE}/media/{name}")
    t.check(status == 400 and media_status == 404,
            f"a request outside the district keeps no photo: {status}, media {media_status}")

    for method, path, expected in [("POST", "services.xml", 405), ("PUT", "requests.json", 405),
                                   ("DELETE", "requests/x.xml", 405), ("GET", "", 404),
                                   ("GET", "discovery.json?jurisdiction_id=elsewhere", 404)]:
        status, headers, body = o311.call(server, method, f"{o311.BASE}/{path}")
        if path.endswith("json") or "json?" in path:
            code = json.loads(body)[0]["code"]
        else:
            code = o311.xml_error(body)[1]
        t.check(status == expected and code == expected,
                f"{method} /{path}: {status}, error code {code}, expected {expected}")

    for path, expected in [(f"{o311.BASE}/requests/130304-20000101-999999.xml", 404),
                           (f"{o311.BASE}/tokens/ffff.json", 404),
                           (f"{o311.BASE}/services/99999.xml", 404),
                           (f"{o311.BASE}/services.json?jurisdiction_id=nowhere", 404),
                           (f"{o311.BASE}/requests.json?start_date=2026-01-01T00:00:00%2B08:00"
                            "&end_date=2026-06-01T00:00:00%2B08:00", 400),
                           (f"{o311.BASE}/requests.json?status=maybe", 400),
                           (f"{o311.BASE}/requests.json?page_size=1001", 400),
                           (f"{o311.BASE}/requests.json?bbox=1,2,3", 400),
                           (f"{o311.BASE}/requests.json?lat=39.8&long=119.4", 400),
                           (f"{o311.BASE}/requests.csv", 404)]:
        status, _, body = o311.call(server, "GET", path)
        t.check(status == expected, f"GET {path}: {status}, expected {expected}: {body[:160]}")


def check_escaping_and_media(server, t, key):
    text = "海滩上有碎玻璃 & 塑料 <很多> \"危险\" 'sharp' 100%"
    fields = [("api_key", key), ("service_code", "6015"), ("lat", str(LAT)), ("long", str(LON)),
              ("description", text), ("attribute[beach_section]", "laohushi"),
              ("attribute[litter_kind][]", "glass"), ("attribute[litter_kind][]", "plastic")]
    body, content_type = o311.multipart(fields, [("media", "beach.png", tiny_png())])
    status, _, answer = o311.call(server, "POST", f"{o311.BASE}/requests.xml", raw=body,
                                  content_type=content_type)
    t.check(status == 201, f"multipart POST with a photo: {status} {answer[:200]}")
    if status != 201:
        return None
    number = o311.xml_items(o311.parse("xml", answer), "request")[0]["service_request_id"]
    status, _, answer = o311.call(server, "GET", f"{o311.BASE}/requests/{number}.xml"
                                  "?extensions=true")
    root = o311.parse("xml", answer)
    request = root.find("request")
    t.check(request.findtext("description") == text,
            f"XML escaping round-trips: {request.findtext('description')!r}")
    kinds = [e.text for e in request.find("extended_attributes/attributes/litter_kind")]
    t.check(sorted(kinds) == ["glass", "plastic"], f"multi-value attribute kept: {kinds}")
    media = request.findtext("media_url") or ""
    t.check(media.startswith(server.base + "/open311/v2/media/") and media.endswith(".png"),
            f"the upload has a media_url on this server: {media}")
    path = media[len(server.base):]
    status, headers, data = o311.call(server, "GET", path)
    t.check(status == 200 and data == tiny_png() and headers.get("Content-Type") == "image/png",
            f"the photo is served back byte for byte: {status} {headers.get('Content-Type')}")
    t.check("immutable" in (headers.get("Cache-Control") or ""), "photos are cached for good")
    # A phone's photo is larger than the 1 MiB any other body may have.
    big = png(800, 800, os.urandom(800 * 800 * 3))
    body, content_type = o311.multipart([("api_key", key), ("service_code", PLAIN),
                                         ("lat", str(LAT)), ("long", str(LON))],
                                        [("media", "big.png", big)])
    status, _, answer = o311.call(server, "POST", f"{o311.BASE}/requests.json", raw=body,
                                  content_type=content_type)
    t.check(status == 201 and len(big) > 1 << 20,
            f"a {len(big)}-byte photo is taken: {status} {answer[:200]}")
    body, content_type = o311.multipart([("api_key", key), ("service_code", PLAIN),
                                         ("lat", str(LAT)), ("long", str(LON))],
                                        [("media", "notes.png", b"not an image at all")])
    status, _, answer = o311.call(server, "POST", f"{o311.BASE}/requests.json", raw=body,
                                  content_type=content_type)
    t.check(status == 415, f"a file that is not an image is refused: {status} {answer[:200]}")
    return number


def check_address(server, t, key):
    """A request placed by address lands where the gazetteer file puts the place: its GCJ-02
    point converted here, independently, to WGS84."""
    places = os.path.join(ROOT, "data", "gazetteer", "beidaihe-places.csv")
    with open(places, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split(",") for line in f if not line.startswith("#")]
    lon, lat = (float(v) for v in next(r for r in rows if r[0] == "鸽子窝公园")[4].split())
    want = geo_util.gcj02_to_wgs84(lon, lat)
    for fmt in ("xml", "json"):
        status, _, body = o311.call(server, "POST", f"{o311.BASE}/requests.{fmt}",
                                    {"api_key": key, "service_code": PLAIN,
                                     "address_string": "北戴河区鸽子窝公园南门",
                                     "description": "门口垃圾桶满了"})
        t.check(status == 201, f"a request by address ({fmt}): {status} {body[:200]}")
        if status != 201:
            continue
        answer = o311.parse(fmt, body)
        number = (answer[0] if fmt == "json" else
                  o311.xml_items(answer, "request")[0])["service_request_id"]
        item = read_request(server, number)
        gap = geo_util.distance_m(item["long"], item["lat"], *want)
        t.check(gap < 50 and item["address"] == "北戴河区鸽子窝公园南门",
                f"placed at 鸽子窝公园 ({gap:.0f} m off), address kept: {item['address']}")


def login(server, role):
    username, password = server.demo_users()[role]
    status, _, body = server.post("/api/v1/sessions", {"username": username, "password": password})
    if status != 201:
        raise RuntimeError(f"{role} cannot sign in: {status}")
    return {"Authorization": f"Bearer {body['token']}"}


def read_request(server, number):
    _, _, body = o311.call(server, "GET", f"{o311.BASE}/requests/{number}.json?extensions=true")
    return json.loads(body)[0]


def check_races(server, t, key):
    """Ten back-office updates at once on one case: each is answered, none with a version
    conflict the partner could not resolve, and the case is handled exactly once."""
    status, _, body = o311.call(server, "POST", f"{o311.BASE}/requests.json",
                                {"api_key": key, "service_code": PLAIN, "lat": str(LAT),
                                 "long": str(LON), "description": "并发测试"})
    number = json.loads(body)[0]["service_request_id"]
    lead, dispatcher = login(server, "shift_lead"), login(server, "dispatcher")
    for who, action in ((lead, "register"), (dispatcher, "dispatch")):
        _, _, case = server.get(f"/api/v1/cases/{number}", headers=who)
        server.post(f"/api/v1/cases/{number}/{action}", {"version": case["version"]}, headers=who)
    _, _, case = server.get(f"/api/v1/cases/{number}", headers=lead)
    office = o311.create_key(server.data_dir, "racing-office", case["department"])
    answers = []

    def post(i):
        answers.append(o311.call(server, "POST", f"{o311.BASE}/servicerequestupdates.json",
                                 {"api_key": office, "service_request_id": number,
                                  "status": "fixed", "description": f"已处置 {i}"})[0])
    threads = [threading.Thread(target=post, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    t.check(sorted(answers) == [201] * 10, f"ten updates at once are all taken: {answers}")
    _, _, events = server.get(f"/api/v1/cases/{number}/events", headers=lead)
    actions = [e["action"] for e in events["items"]]
    t.check(actions.count("report_handling") == 1 and actions.count("sign") == 1 and
            actions.count("comment") == 9, f"signed and handled once, nine comments: {actions}")
    status, _, body = o311.call(server, "GET", f"{o311.BASE}/requests/%C3%28.xml")
    root, code, _ = o311.xml_error(body)
    t.check(status == 404 and code == 404, "an error echoing bytes that are not UTF-8 parses")


def check_workflow(server, t, key):
    fields = {"api_key": key, "service_code": PLAIN, "lat": str(LAT), "long": str(LON),
              "description": "小区门口垃圾堆了三天",
              "first_name": "三", "last_name": "张",
              "phone": "13812345678", "email": "zhang@example.invalid"}
    status, _, body = o311.call(server, "POST", f"{o311.BASE}/requests.json", fields)
    number = json.loads(body)[0]["service_request_id"]
    first = read_request(server, number)
    t.check(first["status"] == "open" and first["status_notes"] == "已收到，等待受理",
            f"a new request is open, awaiting intake: {first['status']} {first['status_notes']}")
    text = json.dumps(first, ensure_ascii=False)
    t.check("13812345678" not in text and "张三" not in text and "example.invalid" not in text,
            "the reporter's name, phone and e-mail never appear")
    _, _, case = server.get(f"/api/v1/cases/{number}")
    t.check(case.get("channel") == "open311", f"the case list shows it from open311: {case}")

    lead, dispatcher = login(server, "shift_lead"), login(server, "dispatcher")
    for who, action in ((lead, "register"), (dispatcher, "dispatch")):
        _, _, case = server.get(f"/api/v1/cases/{number}", headers=who)
        status, _, answer = server.post(f"/api/v1/cases/{number}/{action}",
                                        {"version": case["version"]}, headers=who)
        t.check(status == 200, f"{action}: {status} {answer}")
    after = read_request(server, number)
    department = after["extended_attributes"] and case.get("department")
    t.check(after["status"] == "action_scheduled" and "已派遣至" in after["status_notes"],
            f"dispatched: {after['status']} {after['status_notes']}")
    summaries = [n["summary"] for n in after["extended_attributes"]["notes"]]
    t.check(summaries[:3] == ["已收到诉求", "已立案", summaries[2]] and
            summaries[2].startswith("已派遣至"), f"public history as notes: {summaries}")

    # The sanitation department's back-office reports the work done.
    _, _, case = server.get(f"/api/v1/cases/{number}", headers=lead)
    office = o311.create_key(server.data_dir, "sanitation-backoffice", case["department"])
    outsider = o311.create_key(server.data_dir, "citizen-app")
    status, _, body = o311.call(server, "POST", f"{o311.BASE}/servicerequestupdates.json",
                                {"api_key": outsider, "service_request_id": number,
                                 "status": "FIXED", "description": "我看已经清理了"})
    t.check(status == 201, f"another partner's update is a comment: {status} {body[:200]}")
    t.check(read_request(server, number)["extended_attributes"]["state"] == "dispatched",
            "a comment does not move the case")
    status, _, body = o311.call(server, "POST", f"{o311.BASE}/servicerequestupdates.xml",
                                {"api_key": office, "service_request_id": number,
                                 "status": "FIXED", "description": "已清运，现场已冲洗"})
    t.check(status == 201, f"the department's back-office reports it fixed: {status} {body[:200]}")
    handled = read_request(server, number)
    t.check(handled["extended_attributes"]["state"] == "handled" and
            handled["status_notes"].endswith("等待现场核查"),
            f"signed and handled: {handled['extended_attributes']['state']}")
    since = urllib.parse.quote(first["requested_datetime"])
    status, _, body = o311.call(server, "GET",
                                f"{o311.BASE}/servicerequestupdates.xml?start_date={since}")
    updates = [u for u in o311.xml_items(o311.parse("xml", body), "request_update")
               if u["service_request_id"] == number]
    times = [u["updated_datetime"] for u in o311.xml_items(o311.parse("xml", body),
                                                            "request_update")]
    t.check(times == sorted(times), "the updates feed is in time order")
    t.check([u["status"] for u in updates][-2:] == ["in_progress", "in_progress"] and
            any(u["description"] == "我看已经清理了" for u in updates),
            f"the updates feed shows the changes: {[u['status'] for u in updates]}")
    status, _, body = o311.call(server, "POST", f"{o311.BASE}/servicerequestupdates.json",
                                {"api_key": office, "service_request_id": number,
                                 "status": "sideways"})
    t.check(status == 400, f"an unknown status is refused: {status}")


def main():
    t = Checks()
    with Server() as server:
        key = o311.create_key(server.data_dir, "test-partner")
        status, headers, body = o311.call(server, "GET", f"{o311.BASE}/discovery.xml")
        root = o311.parse("xml", body)
        t.check(status == 200 and root.tag == "discovery" and
                root.find("endpoints/endpoint/formats/format") is not None,
                f"discovery.xml: {status} {body[:200]}")
        _, _, body = o311.call(server, "GET", f"{o311.BASE}/services/06015.xml")
        definition = o311.parse("xml", body)
        codes = [a.findtext("code") for a in definition.findall("attributes/attribute")]
        t.check(codes[:1] == ["beach_section"] and
                len(definition.findall("attributes/attribute/values/value")) >= 7,
                f"the dirty-beach definition asks for the beach section: {codes}")
        # A key of its own for each part: each key's allowance is 30 requests at once.
        check_refusals(server, t, key)
        check_escaping_and_media(server, t, o311.create_key(server.data_dir, "media-partner"))
        check_address(server, t, o311.create_key(server.data_dir, "address-partner"))
        check_workflow(server, t, o311.create_key(server.data_dir, "workflow-partner"))
        check_races(server, t, o311.create_key(server.data_dir, "racing-partner"))
    t.finish()


if __name__ == "__main__":
    main()
