"""End to end: `cityops demo` fills an empty data directory with a generated register that the
normal server opens and serves: counts, filters, reads by number with and without a token, and
a new report that takes the next free number of the day."""

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, binary, walk_cases  # noqa: E402

CASES = 2000
DAYS = 30
QUIET = ["--log-level", "warn"]
OPEN_STATES = {"reported", "registered", "dispatched", "in_progress", "handled"}


def generate(data_dir, *extra):
    return subprocess.run([binary(), "demo", "--data", data_dir, "--cases", str(CASES),
                           "--days", str(DAYS), *extra, "--log-level", "warn"],
                          capture_output=True, text=True, timeout=600)


def printed_users(stdout):
    users = {}
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and not line.startswith("demo users"):
            users[fields[0]] = (fields[1], fields[2])
    return users


def main():
    t = Checks()
    with tempfile.TemporaryDirectory(prefix="cityops-bulk-") as data_dir:
        done = generate(data_dir)
        t.check(done.returncode == 0, f"demo exits 0: {done.returncode} {done.stderr[-500:]}")
        match = re.search(r"generated (\d+) cases \((\d+) open\) with (\d+) events", done.stdout)
        t.check(match is not None, f"demo prints a summary: {done.stdout[-300:]}")
        if match:
            t.check(int(match.group(1)) == CASES, f"summary counts {CASES} cases")
            t.check(int(match.group(3)) > 3 * CASES, "cases carry their histories")
        users = printed_users(done.stdout)
        t.check("dispatcher" in users, f"demo prints the accounts: {sorted(users)}")

        again = generate(data_dir)
        t.check(again.returncode == 1 and "data_dir_not_empty" in again.stderr,
                f"a second load into the same directory is refused: {again.stderr[-300:]}")

        with Server(demo=False, data_dir=data_dir, extra_args=QUIET) as server:
            status, _, ready = server.get("/readyz")
            t.check(status == 200 and ready.get("cases") == CASES,
                    f"readyz counts {CASES} cases: {status} {ready}")

            items, pages = walk_cases(server, limit=100)
            t.check(len(items) == CASES and pages == CASES // 100,
                    f"every case listed once: {len(items)} in {pages} pages")
            t.check(len({c["number"] for c in items}) == CASES, "numbers are unique")
            states = {}
            for c in items:
                states[c["state"]] = states.get(c["state"], 0) + 1
            closed = states.get("closed", 0)
            opened = sum(states.get(s, 0) for s in OPEN_STATES)
            t.check(closed > CASES // 2, f"most cases are closed: {states}")
            t.check(0 < opened < CASES // 3, f"some cases are open: {states}")

            # Filters answer what they name.
            for query, field, value in [("state=in_progress", "state", "in_progress"),
                                        ("category=06015", "category", "06015"),
                                        ("street=130304002", "street", "130304002")]:
                status, _, page = server.get(f"/api/v1/cases?limit=50&{query}")
                got = page.get("items", []) if status == 200 else []
                t.check(status == 200 and got and all(c[field] == value for c in got),
                        f"{query}: {status}, {len(got)} items")

            sample = items[CASES // 2]
            status, _, case = server.get(f"/api/v1/cases/{sample['number']}")
            t.check(status == 200 and case["number"] == sample["number"], "read by number")
            reporter = case.get("reporter", {}) if status == 200 else {}
            t.check(reporter.get("anonymous") or "*" in reporter.get("phone", ""),
                    f"anonymous readers see masked phones: {reporter}")
            status, _, events = server.get(f"/api/v1/cases/{sample['number']}/events")
            t.check(status == 200 and events["items"][0]["action"] == "report" and
                    events["items"][-1]["version"] == case["version"], "history ends at the row")

            username, password = users.get("dispatcher", ("dispatcher", ""))
            status, _, session = server.post("/api/v1/sessions",
                                             {"username": username, "password": password})
            t.check(status == 201, f"the printed dispatcher password signs in: {status}")
            if status == 201:
                auth = {"Authorization": f"Bearer {session['token']}"}
                status, _, case = server.get(f"/api/v1/cases/{sample['number']}", headers=auth)
                t.check(status == 200 and "allowed_actions" in case, "signed-in read")

            # A new report takes the next number of today's sequence.
            today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y%m%d")
            todays = [c for c in items if c["number"].startswith(f"130304-{today}-")]
            status, _, created = server.post("/api/v1/cases", {
                "category": "06015", "description": "沙滩垃圾较多",
                "location": {"lon": sample["location"]["lon"], "lat": sample["location"]["lat"]},
                "channel": "hotline"})
            t.check(status == 201 and
                    created["number"] == f"130304-{today}-{len(todays) + 1:06d}",
                    f"new report continues today's sequence after {len(todays)}: "
                    f"{status} {created.get('number')}")
            status, _, page = server.get("/api/v1/cases?limit=1&" +
                                         urllib.parse.urlencode({"state": "reported"}))
            t.check(status == 200 and page["items"][0]["number"] == created.get("number"),
                    "the new case heads the list of reported cases")
    t.finish()


if __name__ == "__main__":
    main()
