"""Writes one wrk path list per read scenario for bench/reads.sh, drawn from the database.

Usage: read_paths.py DATABASE OUT_DIR [COUNT]

Numbers are drawn uniformly from the stored cases; filter values (departments, streets,
categories, weeks and months) from what the register holds, so every path names real data.
Prints one line per scenario: name, whether it reads with the dispatcher's token, first path.
"""

import datetime as dt
import random
import sqlite3
import sys
import urllib.parse

CST = dt.timezone(dt.timedelta(hours=8))


def main():
    database, out_dir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
    rng = random.Random(130304)
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    top = db.execute("SELECT max(rowid) FROM cases").fetchone()[0]
    rowids = [rng.randint(1, top) for _ in range(count)]
    numbers = []
    for start in range(0, len(rowids), 500):
        chunk = rowids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        numbers += [r[0] for r in db.execute(
            f"SELECT number FROM cases WHERE rowid IN ({marks})", chunk)]
    first, last = db.execute("SELECT min(reported_at), max(reported_at) FROM cases").fetchone()
    departments = [r[0] for r in db.execute(
        "SELECT department FROM cases WHERE rowid IN (%s) GROUP BY department" %
        ",".join(str(r) for r in rowids[:2000]))]
    streets = [r[0] for r in db.execute(
        "SELECT street FROM cases WHERE rowid IN (%s) GROUP BY street" %
        ",".join(str(r) for r in rowids[:2000]))]
    categories = [r[0] for r in db.execute(
        "SELECT category FROM cases WHERE rowid IN (%s) GROUP BY category" %
        ",".join(str(r) for r in rowids[:2000]))]
    db.close()

    def day(epoch):
        return dt.datetime.fromtimestamp(epoch, CST).date()

    first_day, last_day = day(first), day(last)
    span = (last_day - first_day).days

    def window(days):
        start = first_day + dt.timedelta(days=rng.randint(0, max(0, span - days)))
        return {"from": start.isoformat(), "to": (start + dt.timedelta(days=days)).isoformat()}

    def page(**filters):
        return "/api/v1/cases?" + urllib.parse.urlencode({"limit": 50, **filters})

    pick = rng.choice
    scenarios = {
        # name: (with the dispatcher's token, a function giving one path)
        "case_by_number_public": (False, lambda: f"/api/v1/cases/{pick(numbers)}"),
        "case_by_number_dispatcher": (True, lambda: f"/api/v1/cases/{pick(numbers)}"),
        "list_newest": (True, lambda: page()),
        "list_state_open": (True, lambda: page(state=pick(
            ["reported", "registered", "dispatched", "in_progress", "handled"]))),
        "list_street": (True, lambda: page(street=pick(streets))),
        "list_department_in_progress": (True, lambda: page(
            department=pick(departments), state="in_progress")),
        "list_category_week": (True, lambda: page(category=pick(categories), **window(7))),
        "list_closed_month": (True, lambda: page(state="closed", **window(30))),
        "list_street_department_month": (True, lambda: page(
            street=pick(streets), department=pick(departments), **window(30))),
        "list_light_red": (True, lambda: page(light="red")),
        "list_finished": (True, lambda: page(state="closed,rejected,cancelled")),
        "list_public_category": (False, lambda: page(category=pick(categories))),
    }
    for name, (signed_in, make) in scenarios.items():
        paths = [make() for _ in range(min(count, 2000 if name.startswith("list") else count))]
        with open(f"{out_dir}/{name}.lua", "w") as f:
            f.write("paths = {" + ",".join('"%s"' % p for p in paths) + "}\n")
        print(name, "token" if signed_in else "public", paths[0])


if __name__ == "__main__":
    main()
