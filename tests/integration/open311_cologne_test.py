"""End to end with real Open311 data: the 50 Cologne requests are posted through
POST requests (in XML and JSON), read back by id and in lists in both formats and compared
field by field with what was sent; and the services list has the keys and value types of
Bloomington's, so a client written against that city works against this server.

Reads ../shared/data/open311; skips when it is absent.
"""

import csv
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import open311_client as o311  # noqa: E402
from cityops_server import Checks, Server, require_shared_data  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MAPPING = os.path.join(ROOT, "data", "mappings", "open311-cologne-services.csv")


def load_mapping():
    with open(MAPPING, encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["service_name"]: row["service_code"] for row in rows}


def attributes_for(code, description):
    """Answers to the required questions of our services, read from the Cologne text."""
    if code == "06034":
        bike = "fahrrad" in description.lower() or "rad " in description.lower()
        return {"attribute[vehicle_kind]": "bicycle" if bike else "car"}
    if code == "02014":
        return {"attribute[fault]": "dark"}
    return {}


def check_services(server, t, data):
    with open(os.path.join(data, "open311", "bloomington_in_services.json"), encoding="utf-8") as f:
        bloomington = json.load(f)
    status, headers, body = o311.call(server, "GET", f"{o311.BASE}/services.json")
    t.check(status == 200, f"services.json answers 200: {status}")
    t.check(headers.get("Content-Type") == "application/json; charset=utf-8",
            f"services.json content type: {headers.get('Content-Type')}")
    ours = json.loads(body)
    t.check(isinstance(ours, list) and len(ours) > 200, f"services listed: {len(ours)}")

    def shape(service):
        return {key: type(value).__name__ for key, value in service.items()}

    theirs = {json.dumps(shape(s), sort_keys=True) for s in bloomington}
    t.check(len(theirs) == 1, f"Bloomington's services share one shape: {theirs}")
    expected = json.loads(theirs.pop())
    odd = [s for s in ours if shape(s) != expected]
    t.check(not odd, f"every service has Bloomington's keys and value types: {odd[:2]}")
    t.check(any(s["metadata"] for s in ours) and not all(s["metadata"] for s in ours),
            "metadata is true exactly for services with attributes")

    status, headers, body = o311.call(server, "GET", f"{o311.BASE}/services.xml")
    t.check(status == 200 and headers.get("Content-Type") == "text/xml; charset=utf-8",
            f"services.xml answers XML: {status} {headers.get('Content-Type')}")
    root = o311.parse("xml", body)
    items = o311.xml_items(root, "service")
    t.check(root.tag == "services" and len(items) == len(ours),
            f"services.xml lists the same {len(ours)} services: {len(items)}")
    t.check(all(x["service_name"] == j["service_name"] and int(x["service_code"]) ==
                j["service_code"] and x["group"] == j["group"] for x, j in zip(items, ours)),
            "XML and JSON service lists agree")


def post_all(server, t, key, mapping, requests):
    """Posts each Cologne request; returns [(record, sent fields, id, token, format)]."""
    posted = []
    for i, record in enumerate(requests):
        fmt = "xml" if i % 2 else "json"
        code = mapping[record["service_name"]]
        lon, lat = o311.cologne_to_district(record["long"], record["lat"])
        description = record.get("description") or ""
        fields = {"api_key": key, "service_code": code, "lat": repr(lat), "long": repr(lon),
                  "description": description, "address_string": record.get("address") or ""}
        if record.get("media_url"):
            fields["media_url"] = record["media_url"]
        fields.update(attributes_for(code, description))
        for _ in range(10):
            status, headers, body = o311.call(server, "POST", f"{o311.BASE}/requests.{fmt}",
                                              fields)
            if status != 429:
                break
            # The key's allowance (30 at once, 2 a second) is spent: wait as told, as a
            # well-behaved client does.
            time.sleep(int(headers.get("Retry-After", "1")))
        if status != 201:
            t.check(False, f"POST {record['service_request_id']} as {fmt}: {status} {body[:300]}")
            continue
        answer = o311.parse(fmt, body)
        if fmt == "json":
            item = answer[0]
        else:
            t.check(answer.tag == "service_requests", f"POST answer root: {answer.tag}")
            item = o311.xml_items(answer, "request")[0]
        posted.append((record, fields, item["service_request_id"], item["token"], fmt))
    t.check(len(posted) == len(requests), f"all {len(requests)} requests accepted: {len(posted)}")
    return posted


def compare(t, label, item, record, fields, number, names):
    """One request read back against what was sent."""
    code = fields["service_code"]
    sent_description = fields["description"] or names[code]
    checks = {
        "service_request_id": item["service_request_id"] == number,
        "service_code": item["service_code"] == code,
        "service_name": item["service_name"] == names[code],
        "description": item["description"] == sent_description,
        "address": (item["address"] or "") == fields["address_string"],
        "lat": abs(float(item["lat"]) - float(fields["lat"])) < 1e-9,
        "long": abs(float(item["long"]) - float(fields["long"])) < 1e-9,
        "media_url": (item.get("media_url") or None) == (fields.get("media_url") or None),
        "status": item["status"] == "open",
        "requested_datetime": (item["requested_datetime"] or "").endswith("+08:00"),
        "expected_datetime": (item["expected_datetime"] or "").endswith("+08:00"),
        "status_notes": bool(item["status_notes"]),
        "agency_responsible": bool(item["agency_responsible"]),
    }
    wrong = [k for k, ok in checks.items() if not ok]
    t.check(not wrong, f"{label} {record['service_request_id']} -> {number}: {wrong} {item}")
    personal = {"first_name", "last_name", "email", "phone", "reporter"} & set(item)
    t.check(not personal, f"{label}: no personal data: {personal}")


def main():
    data = require_shared_data()
    with open(os.path.join(data, "open311", "cologne_sagsuns_georeport_v2_requests_r311.json"),
              encoding="utf-8") as f:
        requests = json.load(f)
    mapping = load_mapping()
    t = Checks()
    with Server() as server:
        check_services(server, t, data)
        status, _, body = o311.call(server, "GET", f"{o311.BASE}/services.json")
        names = {f"{s['service_code']:05d}": s["service_name"] for s in json.loads(body)}
        t.check(set(mapping.values()) <= set(names), "every mapped code is one of our services")

        key = o311.create_key(server.data_dir, "cologne-replay")
        posted = post_all(server, t, key, mapping, requests)

        for record, fields, number, token, fmt in posted:
            for read_fmt in ("json", "xml"):
                status, _, body = o311.call(server, "GET",
                                            f"{o311.BASE}/requests/{number}.{read_fmt}")
                if status != 200:
                    t.check(False, f"GET {number}.{read_fmt}: {status}")
                    continue
                answer = o311.parse(read_fmt, body)
                item = answer[0] if read_fmt == "json" else o311.xml_items(answer, "request")[0]
                compare(t, f"by id ({read_fmt})", item, record, fields, number, names)
            status, _, body = o311.call(server, "GET", f"{o311.BASE}/tokens/{token}.json")
            t.check(status == 200 and json.loads(body)[0]["service_request_id"] == number,
                    f"token {token} leads to {number}: {status}")

        by_number = {number: (record, fields) for record, fields, number, _, _ in posted}
        for read_fmt in ("json", "xml"):
            status, _, body = o311.call(server, "GET", f"{o311.BASE}/requests.{read_fmt}")
            answer = o311.parse(read_fmt, body)
            items = answer if read_fmt == "json" else o311.xml_items(answer, "request")
            listed = {item["service_request_id"]: item for item in items}
            t.check(set(by_number) <= set(listed),
                    f"the default list ({read_fmt}) holds all 50: "
                    f"{len(set(by_number) & set(listed))}")
            for number, (record, fields) in by_number.items():
                if number in listed:
                    compare(t, f"in list ({read_fmt})", listed[number], record, fields, number,
                            names)
        # Filtered lists: by service code, paged, by the transformed points' bounding box.
        abandoned = {n for n, (_, f) in by_number.items() if f["service_code"] == "06034"}
        status, _, body = o311.call(server, "GET",
                                    f"{o311.BASE}/requests.json?service_code=6034,08002")
        got = {i["service_request_id"] for i in json.loads(body)}
        wanted = {n for n, (_, f) in by_number.items() if f["service_code"] in ("06034", "08002")}
        t.check(wanted <= got and all(i["service_code"] in ("06034", "08002")
                                      for i in json.loads(body)),
                f"service_code filter: {len(got)} listed, {len(wanted)} expected at least")
        t.check(len(abandoned) == 28, f"28 abandoned vehicles among the 50: {len(abandoned)}")
        pages = []
        for page in (1, 2, 3):
            _, _, body = o311.call(server, "GET", f"{o311.BASE}/requests.json?service_code=06034"
                                   f"&page_size=10&page={page}")
            pages.append([i["service_request_id"] for i in json.loads(body)])
        flat = [n for p in pages for n in p]
        t.check([len(p) for p in pages] == [10, 10, 8] and len(set(flat)) == 28,
                f"pages of 10 cover the 28 once: {[len(p) for p in pages]}")
        lons = [float(f["long"]) for _, f in by_number.values()]
        lats = [float(f["lat"]) for _, f in by_number.values()]
        box = f"{min(lons)},{min(lats)},{max(lons)},{max(lats)}"
        _, _, body = o311.call(server, "GET", f"{o311.BASE}/requests.json?bbox={box}")
        t.check(set(by_number) <= {i["service_request_id"] for i in json.loads(body)},
                "the 50 points' bounding box finds all 50")
    t.finish()


if __name__ == "__main__":
    main()
