"""End to end: the demo's grid staff, the staff directory with phones masked by role, the CSV
import over the API (good rows kept, bad rows reported by line) and `cityops import staff`."""

import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, binary  # noqa: E402

DEMO_STAFF = 5684
DEMO_GRIDS = 207
ROLES = ["grid_leader", "grid_worker", "inspector", "auxiliary_inspector"]
MOBILE = re.compile(r"^1[3-9]\d{9}$")
MASKED = re.compile(r"^1[3-9]\d\*{4}\d{4}$")
QUIET = ["--log-level", "warn"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def tokens_of(server, users, names):
    tokens = {}
    for name in names:
        username, password = users[name]
        status, _, body = server.post("/api/v1/sessions",
                                      {"username": username, "password": password})
        if status != 201:
            raise RuntimeError(f"{username} cannot sign in: {status} {body}")
        tokens[name] = body["token"]
    return tokens


def all_staff(server, token, query=""):
    items, offset = [], 0
    while True:
        status, _, body = server.get(f"/api/v1/staff?limit=1000&offset={offset}{query}",
                                     headers=bearer(token))
        if status != 200:
            raise RuntimeError(f"staff list answered {status}: {body}")
        items.extend(body["items"])
        offset += 1000
        if offset >= body["total"]:
            return items, body["total"]


def post_csv(server, token, text):
    return server.request("POST", "/api/v1/staff/import", raw=text.encode("utf-8"),
                          headers={**bearer(token), "Content-Type": "text/csv; charset=utf-8"})


def check_demo_staff(t, server, tokens):
    staff, total = all_staff(server, tokens["admin"])
    t.check(total == DEMO_STAFF and len(staff) == DEMO_STAFF,
            f"demo has {DEMO_STAFF} staff: total {total}, listed {len(staff)}")
    t.check(len({m["staff_no"] for m in staff}) == len(staff), "staff numbers are unique")

    status, _, layer = server.get("/api/v1/regions?layer=governance_grid")
    grids = {f["properties"]["code"] for f in layer["features"]} if status == 200 else set()
    t.check(len(grids) == DEMO_GRIDS, f"{DEMO_GRIDS} governance grids, got {len(grids)}")
    assigned = {g for m in staff for g in m["grids"]}
    t.check(assigned == grids, "staff cover every governance grid and no other code")

    per_role = collections.Counter(m["role"] for m in staff)
    t.check(set(per_role) == set(ROLES), f"the four staff roles: {dict(per_role)}")
    leaders_per_grid = collections.Counter(g for m in staff if m["role"] == "grid_leader"
                                           for g in m["grids"])
    t.check(all(leaders_per_grid[g] == 1 for g in grids), "every grid has exactly one leader")
    workers_per_grid = collections.Counter(g for m in staff if m["role"] == "grid_worker"
                                           for g in m["grids"])
    t.check(all(workers_per_grid[g] > 0 for g in grids), "every grid has grid workers")
    for role in ROLES:
        status, _, body = server.get(f"/api/v1/staff?role={role}&limit=1",
                                     headers=bearer(tokens["admin"]))
        t.check(status == 200 and body["total"] == per_role[role],
                f"role filter {role}: {body.get('total')} == {per_role[role]} counted")
    grid = sorted(grids)[0]
    in_grid = [m for m in staff if grid in m["grids"]]
    listed, count = all_staff(server, tokens["admin"], f"&grid={grid}")
    t.check(count == len(in_grid) and {m["staff_no"] for m in listed} ==
            {m["staff_no"] for m in in_grid}, f"grid filter {grid}")
    return staff


def check_masking(t, server, tokens, staff):
    t.check(all(MASKED.match(m["phone"]) for m in staff[:200]),
            "admin may not see personal data: phones masked")
    viewer, _ = all_staff(server, tokens["viewer"])
    t.check(all(MASKED.match(m["phone"]) for m in viewer), "viewer sees masked phones only")
    supervisor, _ = all_staff(server, tokens["supervisor"])
    t.check(all(MOBILE.match(m["phone"]) for m in supervisor), "supervisor sees phones in clear")
    clear = {m["staff_no"]: m["phone"] for m in supervisor}
    t.check(all(m["phone"] == clear[m["staff_no"]][:3] + "****" + clear[m["staff_no"]][-4:]
                for m in viewer), "masked phone keeps the first three and last four digits")
    status, _, body = server.get("/api/v1/staff")
    t.check(status == 401, f"staff list needs sign-in: {status}")
    status, _, body = server.get(f"/api/v1/staff/{staff[0]['staff_no']}",
                                 headers=bearer(tokens["viewer"]))
    t.check(status == 200 and MASKED.match(body["phone"]), "one staff member, masked for viewer")


def check_leaders(t, server, tokens, staff):
    linked = {m["username"]: m for m in staff if m["username"]}
    t.check(set(linked) == {"grid_worker", "grid_leader"},
            f"demo accounts linked to staff: {sorted(linked)}")
    worker, leader = linked.get("grid_worker"), linked.get("grid_leader")
    if not worker or not leader:
        return
    t.check(worker["role"] == "grid_worker" and leader["role"] == "grid_leader",
            "grid_worker is a grid worker, grid_leader a grid leader")
    t.check(worker["team"] == leader["team"], "the two share a team")
    team_leaders = {m["staff_no"] for m in staff
                    if m["team"] == worker["team"] and m["role"] == "grid_leader"}
    status, _, body = server.get(f"/api/v1/staff/{worker['staff_no']}",
                                 headers=bearer(tokens["admin"]))
    t.check(status == 200 and {x["staff_no"] for x in body["leaders"]} == team_leaders,
            "a worker's leaders are the grid leaders of their team")
    t.check(status == 200 and body["grids"] == worker["grids"], "one staff member has grids")
    status, _, body = server.get("/api/v1/staff/NO-SUCH", headers=bearer(tokens["admin"]))
    t.check(status == 404 and body.get("code") == "unknown_staff", "unknown staff: 404")


def import_file(grid, existing_no):
    lines = [
        "staff_no,name,role,phone,team,grids,username",
        f"T0001,测试甲,grid_worker,13800000001,测试队,{grid},",
        f"T0002,测试乙,grid_leader,0335-1234567,测试队,\"{grid}\",",
        f"T0003,测试丙,captain,13800000003,测试队,{grid},",
        f"T0004,测试丁,inspector,12345,测试队,{grid},",
        "T0005,测试戊,inspector,13800000005,测试队,130304-GG-999,",
        f"T0001,重复,grid_worker,13800000001,测试队,{grid},",
        f"T0006,,grid_worker,13800000006,测试队,{grid},",
        "T0007,测试己,grid_worker,13800000007",
        f"{existing_no},改名,grid_worker,13800000008,测试队,{grid},",
    ]
    expected = {4: ("role", "unknown_role"), 5: ("phone", "invalid_phone"),
                6: ("grids", "unknown_grid"), 7: ("staff_no", "duplicate_staff_no"),
                8: ("name", "empty_name"), 9: ("", "bad_row_width")}
    return "\n".join(lines) + "\n", expected


def check_csv_import(t, server, tokens, staff):
    admin = tokens["admin"]
    grid = staff[0]["grids"][0]
    existing = staff[-1]["staff_no"]
    text, expected = import_file(grid, existing)
    status, _, body = post_csv(server, admin, text)
    t.check(status == 200, f"import answers 200: {status} {body}")
    if status != 200:
        return
    t.check(body["imported"] == 2 and body["updated"] == 1,
            f"two new rows and one update: {body['imported']}, {body['updated']}")
    got = {r["line"]: (r["field"], r["code"]) for r in body["rejected"]}
    t.check(got == expected, f"bad rows by line: {got}")
    t.check(all(r["message"] for r in body["rejected"]), "each refusal has a message")

    _, total = all_staff(server, admin)
    t.check(total == DEMO_STAFF + 2, f"good rows kept: {total}")
    status, _, one = server.get("/api/v1/staff/T0002", headers=bearer(tokens["supervisor"]))
    t.check(status == 200 and one["phone"] == "0335-1234567" and one["grids"] == [grid]
            and one["role"] == "grid_leader", f"imported row as sent: {one}")
    status, _, one = server.get(f"/api/v1/staff/{existing}", headers=bearer(admin))
    t.check(status == 200 and one["name"] == "改名", "an existing staff_no is updated")
    for bad in ("T0003", "T0004", "T0005", "T0006", "T0007"):
        status, _, _ = server.get(f"/api/v1/staff/{bad}", headers=bearer(admin))
        t.check(status == 404, f"bad row {bad} not stored")

    status, _, body = post_csv(server, admin, "staff_no,name,role\nX1,a,grid_worker\n")
    t.check(status == 400 and body.get("code") == "missing_column"
            and body.get("field") == "phone", f"header without columns: {status} {body}")
    status, _, body = post_csv(server, tokens["viewer"], text)
    t.check(status == 403, f"viewer may not import: {status}")
    status, _, body = server.request("POST", "/api/v1/staff/import", raw=text.encode(),
                                     headers=bearer(admin))
    t.check(status == 415, f"import needs text/csv: {status}")
    _, total = all_staff(server, admin)
    t.check(total == DEMO_STAFF + 2, "refused imports change nothing")


def check_cli_import(t, data_dir, grid):
    text, expected = import_file(grid, "GS00001")
    path = os.path.join(data_dir, "staff.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    run = subprocess.run([binary(), "import", "staff", "--data", data_dir, "--file", path],
                         capture_output=True, text=True, timeout=120)
    t.check(run.returncode != 0, f"CLI exits non-zero when lines are bad: {run.returncode}")
    t.check("2 added, 1 updated, 6 lines refused" in run.stdout, f"CLI summary: {run.stdout}")
    for line in expected:
        t.check(f"staff.csv:{line}:" in run.stderr, f"CLI names line {line}")
    with Server(demo=False, data_dir=data_dir, extra_args=QUIET) as server:
        # The demo passwords are gone with the first server; sign in as a new admin.
        subprocess.run([binary(), "user", "add", "--data", data_dir, "--username", "root",
                        "--role", "admin", "--password-stdin"], input="a long passphrase\n",
                       capture_output=True, text=True, timeout=120)
        status, _, body = server.post("/api/v1/sessions",
                                      {"username": "root", "password": "a long passphrase"})
        token = body.get("token", "") if status == 201 else ""
        _, total = all_staff(server, token)
        t.check(total == DEMO_STAFF + 2, f"CLI kept the good rows: {total}")


def main():
    t = Checks()
    with tempfile.TemporaryDirectory(prefix="cityops-staff-") as data_dir:
        with Server(data_dir=data_dir, extra_args=QUIET) as server:
            users = server.demo_users()
            tokens = tokens_of(server, users, ["admin", "viewer", "supervisor"])
            staff = check_demo_staff(t, server, tokens)
            check_masking(t, server, tokens, staff)
            check_leaders(t, server, tokens, staff)
            grid = staff[0]["grids"][0]
        check_cli_import(t, data_dir, grid)
    with Server(extra_args=QUIET) as server:
        tokens = tokens_of(server, server.demo_users(), ["admin", "viewer", "supervisor"])
        staff, _ = all_staff(server, tokens["admin"])
        check_csv_import(t, server, tokens, staff)
    t.finish()


if __name__ == "__main__":
    main()
