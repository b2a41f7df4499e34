"""Bad requests against the demo server: each must be refused with a 4xx
application/problem+json answer carrying a machine code and, where one field is at fault,
that field; none of them may create a case."""

import copy
import json
import os
import socket
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, header, walk_cases  # noqa: E402

t = Checks()

# A valid report inside the demo district (Xishan, near the beach); each row breaks one thing.
GOOD = {"category": "06015", "description": "沙滩上有垃圾",
        "location": {"lon": 119.48, "lat": 39.82, "datum": "wgs84"}, "channel": "hotline",
        "urgency": "normal", "reporter": {"name": "张三", "phone": "13812345678"}}


def without(path):
    body = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = body
    for p in parents:
        node = node[p]
    del node[last]
    return body


def with_value(path, value):
    body = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = body
    for p in parents:
        node = node[p]
    node[last] = value
    return body


# (label, raw body bytes, expected status, expected code, expected field or None)
POST_ROWS = [
    ("malformed JSON", b'{"category": "06015", ', 400, "malformed_json", "body"),
    ("not JSON at all", b"category=06015", 400, "malformed_json", "body"),
    ("empty body", b"", 400, "malformed_json", "body"),
    ("NaN literal", json.dumps(GOOD).replace("119.48", "NaN").encode(), 400, "malformed_json",
     "body"),
    ("array body", b"[]", 400, "invalid_body", None),
    ("string body", b'"hello"', 400, "invalid_body", None),
    ("number body", b"42", 400, "invalid_body", None),
    ("null body", b"null", 400, "invalid_body", None),
]
for field in ("category", "description", "location", "location.lon", "location.lat", "channel"):
    POST_ROWS.append((f"missing {field}", without(field), 400, "missing_field", field))
POST_ROWS += [
    ("null category", with_value("category", None), 400, "missing_field", "category"),
    ("blank description", with_value("description", "  \n\t"), 400, "missing_field",
     "description"),
    ("unknown top-level field", with_value("priority", 1), 400, "unknown_field", "priority"),
    ("unknown location field", with_value("location.alt", 3.0), 400, "unknown_field",
     "location.alt"),
    ("unknown reporter field", with_value("reporter.email", "a@b.c"), 400, "unknown_field",
     "reporter.email"),
    ("unknown category", with_value("category", "99999"), 400, "unknown_category", "category"),
    ("category of letters", with_value("category", "beach"), 400, "unknown_category", "category"),
    ("unknown datum", with_value("location.datum", "wgs-84"), 400, "unknown_datum",
     "location.datum"),
    ("datum not a string", with_value("location.datum", 84), 400, "invalid_type",
     "location.datum"),
    ("unknown channel", with_value("channel", "fax"), 400, "unknown_channel", "channel"),
    ("unknown urgency", with_value("urgency", "high"), 400, "unknown_urgency", "urgency"),
    ("category as number", with_value("category", 6015), 400, "invalid_type", "category"),
    ("description as array", with_value("description", ["x"]), 400, "invalid_type",
     "description"),
    ("location as string", with_value("location", "119.48,39.82"), 400, "invalid_type",
     "location"),
    ("lon as string", with_value("location.lon", "119.48"), 400, "invalid_type", "location.lon"),
    ("lat as bool", with_value("location.lat", True), 400, "invalid_type", "location.lat"),
    ("lon 'NaN' string", with_value("location.lon", "NaN"), 400, "invalid_type", "location.lon"),
    ("lat 'Infinity' string", with_value("location.lat", "Infinity"), 400, "invalid_type",
     "location.lat"),
    ("lon 200", with_value("location.lon", 200), 400, "out_of_range", "location.lon"),
    ("lon -180.5", with_value("location.lon", -180.5), 400, "out_of_range", "location.lon"),
    ("lat -95", with_value("location.lat", -95), 400, "out_of_range", "location.lat"),
    ("lat 90.0001", with_value("location.lat", 90.0001), 400, "out_of_range", "location.lat"),
    ("channel as number", with_value("channel", 1), 400, "invalid_type", "channel"),
    ("urgency as bool", with_value("urgency", True), 400, "invalid_type", "urgency"),
    ("reporter as string", with_value("reporter", "张三"), 400, "invalid_type", "reporter"),
    ("phone with letters", with_value("reporter.phone", "138-CALL-ME"), 400, "invalid_phone",
     "reporter.phone"),
    ("anonymous as string", with_value("reporter.anonymous", "yes"), 400, "invalid_type",
     "reporter.anonymous"),
    ("photos not a list", with_value("photos", "a.jpg"), 400, "invalid_type", "photos"),
    ("empty photo", with_value("photos", [""]), 400, "invalid_photo", "photos[0]"),
    ("description over 4000 bytes", with_value("description", "海" * 1334), 400, "too_long",
     "description"),
    ("point in Beijing", with_value("location", {"lon": 116.397, "lat": 39.909,
                                                 "datum": "wgs84"}),
     422, "outside_district", "location"),
    ("point at sea off the district", with_value("location", {"lon": 119.60, "lat": 39.70}),
     422, "outside_district", "location"),
]

GET_ROWS = [
    ("unknown list parameter", "/api/v1/cases?colour=red", 400, "unknown_parameter", "colour"),
    ("misspelt filter", "/api/v1/cases?stat=reported", 400, "unknown_parameter", "stat"),
    ("bad cursor", "/api/v1/cases?cursor=abc", 400, "invalid_cursor", "cursor"),
    ("cursor without number", "/api/v1/cases?cursor=1700000000_", 400, "invalid_cursor",
     "cursor"),
    ("cursor with bad epoch", "/api/v1/cases?cursor=x1_130304-20260101-000001", 400,
     "invalid_cursor", "cursor"),
    ("bad state", "/api/v1/cases?state=open", 400, "unknown_state", "state"),
    ("state list with a gap", "/api/v1/cases?state=reported,", 400, "unknown_state", "state"),
    ("bad channel filter", "/api/v1/cases?channel=fax", 400, "unknown_channel", "channel"),
    ("bbox of three numbers", "/api/v1/cases?bbox=119.4,39.8,119.5", 400, "invalid_bbox", "bbox"),
    ("bbox of five numbers", "/api/v1/cases?bbox=119.4,39.8,119.5,39.9,1", 400, "invalid_bbox",
     "bbox"),
    ("bbox min above max", "/api/v1/cases?bbox=119.5,39.8,119.4,39.9", 400, "invalid_bbox",
     "bbox"),
    ("bbox off the globe", "/api/v1/cases?bbox=119.4,39.8,200,39.9", 400, "invalid_bbox", "bbox"),
    ("bbox of words", "/api/v1/cases?bbox=a,b,c,d", 400, "invalid_bbox", "bbox"),
    ("bad from", "/api/v1/cases?from=yesterday", 400, "invalid_time", "from"),
    ("bad to", "/api/v1/cases?to=2026-13-01", 400, "invalid_time", "to"),
    ("limit not a number", "/api/v1/cases?limit=ten", 400, "invalid_limit", "limit"),
    ("limit 0", "/api/v1/cases?limit=0", 400, "invalid_limit", "limit"),
    ("limit 101", "/api/v1/cases?limit=101", 400, "invalid_limit", "limit"),
    ("unknown case", "/api/v1/cases/130304-19990101-000001", 404, "case_not_found", None),
    ("events of unknown case", "/api/v1/cases/nope/events", 404, "case_not_found", None),
    ("unknown route", "/api/v1/nothing", 404, "no_such_route", None),
    ("unknown region layer", "/api/v1/regions?layer=county", 400, "unknown_layer", "layer"),
    ("unknown region datum", "/api/v1/regions?layer=street&datum=utm", 400, "unknown_datum",
     "datum"),
]
DUE = "/api/v1/calendar/due?"
START = "start=" + urllib.parse.quote("2025-09-30T16:00:00+08:00", safe="")
GET_ROWS += [
    ("calendar without start", DUE + "amount=3&unit=working_days", 400, "missing_parameter",
     "start"),
    ("calendar without amount", DUE + START + "&unit=working_days", 400, "missing_parameter",
     "amount"),
    ("calendar without unit", DUE + START + "&amount=3", 400, "missing_parameter", "unit"),
    ("calendar start without offset", DUE + "start=2025-09-30T16:00:00&amount=3&unit=working_days",
     400, "invalid_time", "start"),
    ("calendar start not a time", DUE + "start=soon&amount=3&unit=working_days", 400,
     "invalid_time", "start"),
    ("calendar start on 30 February",
     DUE + "start=2025-02-30T10:00:00%2B08:00&amount=3&unit=working_days", 400, "invalid_time",
     "start"),
    ("calendar amount zero", DUE + START + "&amount=0&unit=working_days", 400, "invalid_amount",
     "amount"),
    ("calendar amount negative", DUE + START + "&amount=-2&unit=natural_hours", 400,
     "invalid_amount", "amount"),
    ("calendar amount words", DUE + START + "&amount=three&unit=working_days", 400,
     "invalid_amount", "amount"),
    ("calendar fractional days", DUE + START + "&amount=1.5&unit=working_days", 400,
     "invalid_amount", "amount"),
    ("calendar absurd amount", DUE + START + "&amount=100000&unit=natural_hours", 400,
     "invalid_amount", "amount"),
    ("calendar NaN amount", DUE + START + "&amount=nan&unit=natural_hours", 400,
     "invalid_amount", "amount"),
    ("calendar unknown unit", DUE + START + "&amount=3&unit=weeks", 400, "unknown_unit", "unit"),
    ("calendar unknown parameter", DUE + START + "&amount=3&unit=working_days&tz=utc", 400,
     "unknown_parameter", "tz"),
]


def check_problem(label, status, hdrs, body, want_status, want_code, want_field):
    content_type = (header(hdrs, "Content-Type") or "").split(";")[0].strip()
    t.check(status == want_status, f"{label}: status {status}, expected {want_status} ({body})")
    t.check(400 <= status < 500, f"{label}: a 4xx answer ({status})")
    t.check(content_type == "application/problem+json", f"{label}: content type {content_type}")
    if not isinstance(body, dict):
        t.check(False, f"{label}: problem body is a JSON object ({body!r})")
        return
    t.check(body.get("code") == want_code, f"{label}: code {body.get('code')}, expected {want_code}")
    t.check(body.get("status") == status, f"{label}: problem status matches the HTTP status")
    if want_field is None:
        t.check("field" not in body or body["field"] in ("", "body"),
                f"{label}: no single field at fault ({body.get('field')})")
    else:
        t.check(body.get("field") == want_field,
                f"{label}: field {body.get('field')}, expected {want_field}")
    t.check(header(hdrs, "X-Request-Id"), f"{label}: X-Request-Id present")


def raw_exchange(server, head, body_chunks, read_first=False):
    """Sends a hand-made request; returns (status, headers, parsed body) of the answer."""
    host, port = server.base.rsplit("/", 1)[-1].split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head)
        data = b""
        if read_first:
            # Wait for the refusal before sending any of the body.
            sock.settimeout(5)
            try:
                data = sock.recv(65536)
            except socket.timeout:
                data = b""
            sock.settimeout(20)
        if not data:
            try:
                for chunk in body_chunks:
                    sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        try:
            while True:
                part = sock.recv(65536)
                if not part:
                    break
                data += part
                if b"\r\n\r\n" in data:
                    head_text, _, rest = data.partition(b"\r\n\r\n")
                    length = [int(l.split(b":")[1]) for l in head_text.split(b"\r\n")
                              if l.lower().startswith(b"content-length:")]
                    if length and len(rest) >= length[0]:
                        break
        except (ConnectionResetError, socket.timeout):
            pass
    head_text, _, rest = data.partition(b"\r\n\r\n")
    lines = head_text.decode("latin-1").split("\r\n")
    if not lines or len(lines[0].split()) < 2:
        return None, {}, None
    status = int(lines[0].split()[1])
    hdrs = dict(l.split(": ", 1) for l in lines[1:] if ": " in l)
    try:
        body = json.loads(rest.decode("utf-8"))
    except ValueError:
        body = rest
    return status, hdrs, body


def check_oversized(server):
    size = 2 * 1024 * 1024
    body = b'{"description":"' + b"x" * (size - 40) + b'"}'
    head = (f"POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-Request-Id: big-body-1\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    status, hdrs, answer = raw_exchange(server, head, [body[i:i + 65536]
                                                       for i in range(0, len(body), 65536)],
                                        read_first=True)
    check_problem("2 MB body (Content-Length)", status, hdrs, answer, 413, "payload_too_large",
                  None)
    # Even a refused body keeps the client's request id, in the header and the problem.
    sent_id = {k.lower(): v for k, v in hdrs.items()}.get("x-request-id") if hdrs else None
    t.check(sent_id == "big-body-1" and isinstance(answer, dict) and
            answer.get("request_id") == "big-body-1",
            f"413 keeps the client's X-Request-Id: {sent_id} {answer}")
    # The same size sent in chunks, without a length up front.
    head = (b"POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    chunks = [b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
              for i in range(0, len(body), 65536)] + [b"0\r\n\r\n"]
    status, hdrs, answer = raw_exchange(server, head, chunks)
    check_problem("2 MB body (chunked)", status, hdrs, answer, 413, "payload_too_large", None)
    # The server keeps serving afterwards.
    status, _, _ = server.get("/healthz")
    t.check(status == 200, "the server answers after oversized bodies")


def main():
    with Server(demo=True) as server:
        status, _, ready = server.get("/readyz")
        before = ready["cases"]
        before_walk = sorted(c["number"] for c in walk_cases(server)[0])
        t.check(len(before_walk) == before, "the list walk agrees with /readyz")

        status, _, created = server.post("/api/v1/cases", body=GOOD)
        t.check(status == 201, f"the unbroken report is accepted ({status}: {created})")
        before += 1

        for label, body, want_status, code, field in POST_ROWS:
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            status, hdrs, answer = server.request("POST", "/api/v1/cases", raw=raw)
            check_problem(label, status, hdrs, answer, want_status, code, field)
        status, hdrs, answer = server.request("POST", "/api/v1/cases?dry_run=1",
                                              raw=json.dumps(GOOD).encode())
        check_problem("unknown parameter on report", status, hdrs, answer, 400,
                      "unknown_parameter", "dry_run")
        status, hdrs, answer = server.request("POST", "/api/v1/cases", raw=json.dumps(GOOD).encode(),
                                              headers={"Idempotency-Key": "k" * 201})
        check_problem("Idempotency-Key too long", status, hdrs, answer, 400,
                      "invalid_idempotency_key", "Idempotency-Key")
        status, hdrs, answer = server.request("DELETE", "/api/v1/cases")
        check_problem("DELETE on the collection", status, hdrs, answer, 405,
                      "method_not_allowed", None)
        t.check(header(hdrs, "Allow") is not None and "POST" in header(hdrs, "Allow"),
                f"405 names the allowed methods: {header(hdrs, 'Allow')}")
        for label, path, want_status, code, field in GET_ROWS:
            status, hdrs, answer = server.get(path)
            check_problem(label, status, hdrs, answer, want_status, code, field)
        check_oversized(server)

        status, _, ready = server.get("/readyz")
        t.check(ready["cases"] == before, f"no bad request created a case: {ready['cases']} "
                                          f"vs {before}")
        after_walk = sorted(c["number"] for c in walk_cases(server)[0])
        t.check(after_walk == sorted(before_walk + [created["number"]]),
                "the register holds exactly the earlier cases and the one good report")
    t.finish()


if __name__ == "__main__":
    main()
