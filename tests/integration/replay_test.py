"""Replays real public complaints through POST /api/v1/cases on the demo server: 2,000 NYC
311 service requests (2011) and 300 messages from a Chinese city's message board. How
records are mapped to categories and moved into the district is described in docs/replay.md.
"""

import concurrent.futures
import csv
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, require_shared_data, walk_cases  # noqa: E402
import geo_util  # noqa: E402

SOURCE = os.environ.get("CITYOPS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
MAPPINGS = os.path.join(SOURCE, "data", "mappings")
RFC3339_CST = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
NUMBER = re.compile(r"^130304-\d{8}-\d{6}$")
THREADS = 4
MAX_DESCRIPTION = 4000
NYC_CHANNELS = {"PHONE": "hotline", "ONLINE": "web", "MOBILE": "mobile_app"}

t = Checks()


def read_mapping(name):
    """A project mapping file: '#' comment lines, then a CSV header and rows."""
    with open(os.path.join(MAPPINGS, name), encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    return [list(r) for r in csv.reader(rows)][1:]


def truncate_utf8(text, limit):
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def tipdm_category(title, label, labels, keywords):
    """The longest keyword found in the title wins (earliest in the file on a tie);
    without one, the label's category."""
    best = None
    for keyword, category in keywords:
        if keyword in title and (best is None or len(keyword) > len(best[0])):
            best = (keyword, category)
    return best[1] if best else labels[label]


class GridIndex:
    """Unit grids bucketed by 0.01° squares, for test-side point lookups."""

    def __init__(self, features):
        self.ids = sorted(f["id"] for f in features)
        self.geometry = {f["id"]: f["geometry"] for f in features}
        self.buckets = {}
        for code, g in self.geometry.items():
            x0, y0, x1, y1 = geo_util.bbox(g)
            for i in range(int(x0 * 100), int(x1 * 100) + 1):
                for j in range(int(y0 * 100), int(y1 * 100) + 1):
                    self.buckets.setdefault((i, j), []).append(code)

    def find(self, lon, lat):
        for code in self.buckets.get((int(lon * 100), int(lat * 100)), []):
            if geo_util.contains(self.geometry[code], lon, lat):
                return code
        return None

    def fallback_point(self, index):
        """A fixed point inside the unit grid picked by the record's index."""
        code = self.ids[(index * 7919) % len(self.ids)]
        return geo_util.interior_point(self.geometry[code])


def nyc_reports(path, district_box, grids):
    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    categories = dict(read_mapping("nyc311-complaint-types.csv"))
    located = [(float(r["Longitude"]), float(r["Latitude"])) for r in records
               if r["Longitude"] and r["Latitude"]]
    n_lon0, n_lon1 = min(p[0] for p in located), max(p[0] for p in located)
    n_lat0, n_lat1 = min(p[1] for p in located), max(p[1] for p in located)
    d_lon0, d_lat0, d_lon1, d_lat1 = district_box
    reports, moved, placed = [], 0, 0
    for index, r in enumerate(records):
        point = None
        if r["Longitude"] and r["Latitude"]:
            lon = d_lon0 + (float(r["Longitude"]) - n_lon0) / (n_lon1 - n_lon0) * (d_lon1 - d_lon0)
            lat = d_lat0 + (float(r["Latitude"]) - n_lat0) / (n_lat1 - n_lat0) * (d_lat1 - d_lat0)
            if grids.find(lon, lat):
                point = (lon, lat)
                moved += 1
        if point is None:
            point = grids.fallback_point(index)
            placed += 1
        where = ", ".join(x for x in (r["Incident Address"], r["City"]) if x)
        description = f"{r['Complaint Type']}: {r['Descriptor']}"
        if where:
            description += f" at {where}"
        description += f" (NYC 311 #{r['Unique Key']}, {r['Created Date']})"
        reports.append({
            "source": f"nyc311 #{r['Unique Key']}",
            "body": {"category": categories[r["Complaint Type"]],
                     "description": truncate_utf8(description, MAX_DESCRIPTION),
                     "location": {"lon": point[0], "lat": point[1], "datum": "wgs84"},
                     "channel": NYC_CHANNELS.get(r["Open Data Channel Type"], "hotline"),
                     "urgency": "normal"}})
    return reports, moved, placed


def tipdm_reports(path, grids, offset):
    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    labels = dict(read_mapping("tipdm-labels.csv"))
    keywords = [tuple(r) for r in read_mapping("tipdm-keywords.csv")]
    reports = []
    for index, r in enumerate(records):
        lon, lat = grids.fallback_point(offset + index)
        reports.append({
            "source": f"tipdm #{r['id']}",
            "body": {"category": tipdm_category(r["title"], r["label_l1"], labels, keywords),
                     "description": truncate_utf8(r["title"] + "\n" + r["detail"],
                                                  MAX_DESCRIPTION),
                     "location": {"lon": lon, "lat": lat, "datum": "wgs84"},
                     "channel": "web", "urgency": "normal"}})
    return reports


def main():
    shared = require_shared_data()
    nyc_path = os.path.join(shared, "nyc311", "nyc311_2011_subset_2000rows.csv")
    cn_path = os.path.join(shared, "cn_complaints", "tipdm2020_messages_labeled_300.csv")
    for path in (nyc_path, cn_path):
        if not os.path.exists(path):
            print(f"SKIP: {path} is absent")
            sys.exit(77)

    # Hand-checked facts about the mapping rule.
    labels = dict(read_mapping("tipdm-labels.csv"))
    keywords = [tuple(r) for r in read_mapping("tipdm-keywords.csv")]
    t.check(tipdm_category("夜间施工扰民严重", "城乡建设", labels, keywords) == "08001",
            "施工扰民 (4 characters) wins over 扰民")
    t.check(tipdm_category("小区门口", "交通运输", labels, keywords) == labels["交通运输"],
            "without a keyword the label decides")
    t.check(truncate_utf8("海" * 1500, 4000) == "海" * 1333, "truncation keeps whole characters")

    started = time.monotonic()
    with Server(demo=True) as server:
        _, _, district = server.get("/api/v1/regions?layer=district")
        district_box = geo_util.bbox(district["features"][0]["geometry"])
        _, _, grid_fc = server.get("/api/v1/regions?layer=unit_grid")
        grids = GridIndex(grid_fc["features"])
        _, _, deps = server.get("/api/v1/departments")
        departments = {d["code"] for d in deps["items"]}
        demo_cases, _ = walk_cases(server)

        reports, moved, placed = nyc_reports(nyc_path, district_box, grids)
        t.check(len(reports) == 2000, f"2,000 NYC records ({len(reports)})")
        t.check(moved > 600, f"most located NYC records land inside the district ({moved} moved, "
                             f"{placed} placed on grid points)")
        cn = tipdm_reports(cn_path, grids, len(reports))
        t.check(len(cn) == 300, f"300 Chinese messages ({len(cn)})")
        reports += cn
        t.check(max(len(r["body"]["description"].encode()) for r in cn) == MAX_DESCRIPTION,
                "some Chinese messages are cut to exactly 4000 bytes")

        # Every category the mappings name must be known to the server.
        refs = {}
        for category in sorted({r["body"]["category"] for r in reports}):
            status, _, body = server.get(f"/api/v1/categories/{category}")
            t.check(status == 200, f"mapped category {category} exists ({status})")
            refs[category] = body.get("ref") if status == 200 else None

        def send(report):
            return report, server.post("/api/v1/cases", body=report["body"])

        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(send, reports))
        elapsed = time.monotonic() - started

        acknowledged, numbers, problems = 0, [], []
        for report, (status, _, body) in results:
            label = report["source"]
            if status != 201:
                problems.append(f"{label}: {status} {body}")
                continue
            acknowledged += 1
            numbers.append(body.get("number"))
            sent = report["body"]
            lon, lat = sent["location"]["lon"], sent["location"]["lat"]
            cell = grids.geometry.get(body.get("unit_grid"))
            ok = (NUMBER.match(body.get("number", "")) is not None
                  and re.fullmatch(r"130304\d{9}", body.get("unit_grid", "")) is not None
                  and cell is not None and geo_util.covers(cell, lon, lat)
                  and body.get("department") in departments
                  and RFC3339_CST.match(body.get("due_at", "")) is not None
                  and body.get("due_at") >= body.get("reported_at", "~")
                  and body.get("category") == refs.get(sent["category"])
                  and body.get("channel") == sent["channel"]
                  and body.get("description") == sent["description"]
                  and body.get("state") == "reported")
            if not ok:
                problems.append(f"{label}: unexpected answer {body}")
        t.check(not problems, f"every record is accepted with a well-formed case "
                              f"({len(problems)} problems): {problems[:3]}")
        t.check(acknowledged == len(reports), f"{acknowledged} of {len(reports)} acknowledged")
        t.check(len(set(numbers)) == len(numbers), "every number is unique")

        stored, _ = walk_cases(server)
        t.check(len(stored) == len(demo_cases) + acknowledged,
                f"stored {len(stored)} = demo {len(demo_cases)} + acknowledged {acknowledged}")
        stored_numbers = {c["number"] for c in stored}
        t.check(len(stored_numbers) == len(stored), "the list has no repeats")
        t.check(set(numbers) <= stored_numbers, "every acknowledged number is listed")
        t.check({c["number"] for c in demo_cases} <= stored_numbers, "demo cases are still there")
        status, _, ready = server.get("/readyz")
        t.check(ready.get("cases") == len(stored), "/readyz agrees with the list")
        print(f"replayed {len(reports)} records in {elapsed:.1f} s with {THREADS} threads")
    t.finish()


if __name__ == "__main__":
    main()
