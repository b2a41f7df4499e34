"""End to end: 300 real citizen messages filed as patrol reports with generated JPEG photos.

The TipDM Cup 2020 message-board data (../shared/data/cn_complaints) is placed at interior
points of the demo's unit grids, chosen deterministically; every report must become a
grid_patrol case with the message's text, the grid the test computed and the photo sent.
Every other report sends no position: its photo's EXIF GPS block (written here with Pillow)
says where it was taken, and the case must be placed there.
"""

import csv
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server, require_shared_data  # noqa: E402
from patrol_support import jpeg, login, post_report, require_pil, unit_grids  # noqa: E402,E501

MESSAGES = os.path.join("cn_complaints", "tipdm2020_messages_labeled_300.csv")
LABELS = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mappings",
                      "tipdm-labels.csv")
MAX_DESCRIPTION = 4000  # bytes, as the API allows


def description(row):
    """Title and text, cut at a character boundary to the API's limit."""
    text = row["title"].strip() + "\n" + row["detail"].strip()
    data = text.encode()[:MAX_DESCRIPTION]
    return data.decode("utf-8", errors="ignore")


def label_categories():
    with open(LABELS, encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return {row["label"]: row["category"] for row in csv.DictReader(lines)}


def near(location, lon, lat):
    """The case's WGS84 point is where the test put it (EXIF keeps about 3 cm)."""
    if not isinstance(location, dict):
        return False
    return abs(location.get("lon", 0) - lon) < 1e-6 and abs(location.get("lat", 0) - lat) < 1e-6


def main():
    shared = require_shared_data()
    require_pil()
    path = os.path.join(shared, MESSAGES)
    if not os.path.exists(path):
        print(f"SKIP: {path} is absent")
        sys.exit(77)
    with open(path, encoding="utf-8-sig") as f:
        messages = list(csv.DictReader(f))
    categories = label_categories()
    t = Checks()
    t.check(len(messages) == 300, f"300 messages, got {len(messages)}")
    with Server(demo=True, extra_args=["--log-level", "warn"]) as server:
        worker = login(server, "grid_worker")
        grids = unit_grids(server)
        codes = sorted(grids)
        status, _, patrol = server.post("/api/v1/patrols", {}, headers=worker)
        t.check(status == 201, f"patrol started: {status}")
        failures = 0
        for i, row in enumerate(messages):
            grid = codes[(i * 7919) % len(codes)]
            lon, lat = geo_util.interior_point(grids[grid])
            by_exif = i % 2 == 1
            photo = jpeg(i, gps=(lon, lat) if by_exif else None)
            text = description(row)
            fields = [("category", categories[row["label_l1"]]), ("description", text)]
            if not by_exif:
                fields += [("lon", repr(lon)), ("lat", repr(lat)), ("datum", "wgs84")]
            status, _, body = post_report(server, worker, patrol["id"], fields,
                                          [("photo", f"{row['id']}.jpg", photo)],
                                          key=f"msg-{row['id']}")
            case = body.get("case", {}) if isinstance(body, dict) else {}
            ok = (status == 201 and case.get("channel") == "grid_patrol"
                  and case.get("description") == text and case.get("unit_grid") == grid
                  and case.get("photos") == [hashlib.sha256(photo).hexdigest() + ".jpg"]
                  and case.get("attributes", {}).get("patrol_id") == [str(patrol["id"])]
                  and near(case.get("location"), lon, lat))
            if not ok:
                failures += 1
                if failures <= 5:
                    print(f"message {row['id']}: {status} {str(body)[:300]}")
        t.check(failures == 0, f"every message became its case: {failures} failed")
        status, _, body = post_report(server, worker, patrol["id"],
                                      [("category", "06010"), ("description", "无位置")],
                                      [("photo", "x.jpg", jpeg(1000))])
        t.check(status == 400 and body.get("code") == "missing_location",
                f"no position and no EXIF GPS: {status} {body}")
        status, _, listed = server.get("/api/v1/cases?channel=grid_patrol&limit=100",
                                       headers=login(server, "supervisor"))
        t.check(status == 200 and len(listed["items"]) == 100, "the cases list by channel")
    t.finish()


if __name__ == "__main__":
    main()
