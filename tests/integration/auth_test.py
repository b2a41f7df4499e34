"""End to end: demo accounts, bearer tokens, admin-only account management, `cityops user`."""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, binary  # noqa: E402

ROLES = ["admin", "intake_clerk", "shift_lead", "dispatcher", "department_handler", "inspector",
         "grid_worker", "supervisor", "viewer"]
# Besides one account per role, the demo has its grid worker's team leader (a grid worker).
ACCOUNTS = ROLES + ["grid_leader"]
PERSONAL_DATA_ROLES = {"intake_clerk", "shift_lead", "dispatcher", "supervisor"}
DEMO_COMMUNITY = "130304002003"
RFC3339_CST = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
# Quiet logs keep the server's stdout pipe from filling while nobody reads it.
QUIET = ["--log-level", "warn"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def login(server, username, password):
    return server.post("/api/v1/sessions", {"username": username, "password": password})


def header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def cli(data_dir, *args, stdin=""):
    return subprocess.run([binary(), "user", *args, "--data", data_dir], input=stdin,
                          capture_output=True, text=True, timeout=120)


def region_codes(server, layer):
    status, _, body = server.get(f"/api/v1/regions?layer={layer}&parent={DEMO_COMMUNITY}")
    return {f["properties"]["code"] for f in body["features"]} if status == 200 else set()


def check_demo_logins(t, server, users):
    t.check(sorted(users) == sorted(ACCOUNTS),
            f"one demo account per role and a grid leader: {sorted(users)}")
    tokens = {}
    for role in ROLES:
        username, password = users.get(role, (role, ""))
        t.check(username == role, f"demo username is the role name: {username}")
        t.check(len(password) == 12, f"{role}: demo password has 12 characters")
        status, headers, body = login(server, username, password)
        t.check(status == 201, f"{role}: login answers 201, got {status} {body}")
        if status != 201:
            continue
        t.check(body["token_type"] == "Bearer", f"{role}: token type")
        t.check(re.fullmatch(r"[A-Za-z0-9_-]{43}", body["token"]) is not None,
                f"{role}: token is 32 bytes of base64url")
        t.check(RFC3339_CST.match(body["expires_at"]) is not None,
                f"{role}: expires_at is RFC 3339 at +08:00: {body['expires_at']}")
        t.check(body["user"]["role"] == role and body["user"]["username"] == username,
                f"{role}: user in the answer")
        t.check("password_hash" not in body["user"], f"{role}: no hash in the answer")
        tokens[role] = body["token"]

        status, _, me = server.get("/api/v1/me", headers=bearer(body["token"]))
        t.check(status == 200 and me["username"] == username and me["role"] == role,
                f"{role}: /me answers the principal, got {status} {me}")
        if status == 200:
            t.check(me["may_see_personal_data"] == (role in PERSONAL_DATA_ROLES),
                    f"{role}: personal data flag")
    return tokens


def check_demo_scopes(t, server, tokens):
    _, _, handler = server.get("/api/v1/me", headers=bearer(tokens["department_handler"]))
    t.check(handler.get("department") == "city_mgmt", "demo handler is in city_mgmt")
    t.check(handler.get("street") is None, "city_mgmt is not a street office")
    expected = region_codes(server, "governance_grid") | region_codes(server, "unit_grid")
    t.check(len(region_codes(server, "governance_grid")) > 0, "demo community has governance grids")
    for role in ("grid_worker", "inspector"):
        _, _, me = server.get("/api/v1/me", headers=bearer(tokens[role]))
        t.check(set(me.get("grids", [])) == expected,
                f"{role}: grids are the demo community's governance and unit grids")
    _, _, viewer = server.get("/api/v1/me", headers=bearer(tokens["viewer"]))
    t.check(viewer.get("grids") == [] and viewer.get("department") == "",
            "viewer has neither grids nor department")


def check_refusals(t, server, users):
    admin_name, admin_password = users["admin"]
    wrong = login(server, admin_name, admin_password + "x")
    unknown = login(server, "no_such_user", admin_password)
    for label, (status, headers, body) in (("wrong password", wrong), ("unknown user", unknown)):
        t.check(status == 401 and body.get("code") == "invalid_credentials",
                f"{label}: 401 invalid_credentials, got {status} {body}")
        t.check((header(headers, "WWW-Authenticate") or "").startswith("Bearer"),
                f"{label}: WWW-Authenticate challenge")
    t.check(wrong[2].get("title") == unknown[2].get("title"),
            "unknown user and wrong password answer alike")

    for label, body, code in (
            ("missing password", {"username": "admin"}, "missing_field"),
            ("extra field", {"username": "admin", "password": "x", "otp": "1"}, "unknown_field"),
            ("number password", {"username": "admin", "password": 12345678}, "invalid_type"),
            ("array body", ["admin"], "invalid_body")):
        status, _, answer = server.post("/api/v1/sessions", body)
        t.check(status == 400 and answer.get("code") == code,
                f"login with {label}: 400 {code}, got {status} {answer}")

    for label, headers, code in (
            ("no header", {}, "missing_token"),
            ("basic scheme", {"Authorization": "Basic YWRtaW46eA=="}, "missing_token"),
            ("empty bearer", {"Authorization": "Bearer "}, "missing_token"),
            ("forged token", bearer("A" * 43), "invalid_token"),
            ("malformed token", bearer("not-a-token"), "invalid_token")):
        status, answer_headers, answer = server.get("/api/v1/me", headers=headers)
        t.check(status == 401 and answer.get("code") == code,
                f"/me with {label}: 401 {code}, got {status} {answer}")
        t.check(header(answer_headers, "WWW-Authenticate") is not None,
                f"/me with {label}: challenge header")


def check_logout(t, server, users):
    username, password = users["viewer"]
    _, _, first = login(server, username, password)
    _, _, second = login(server, username, password)
    status, _, _ = server.request("DELETE", "/api/v1/sessions/current",
                                  headers=bearer(first["token"]))
    t.check(status == 204, f"logout answers 204, got {status}")
    status, _, body = server.get("/api/v1/me", headers=bearer(first["token"]))
    t.check(status == 401 and body.get("code") == "invalid_token",
            f"token after logout: 401 invalid_token, got {status} {body}")
    status, _, body = server.request("DELETE", "/api/v1/sessions/current",
                                     headers=bearer(first["token"]))
    t.check(status == 401, f"second logout: 401, got {status}")
    status, _, _ = server.get("/api/v1/me", headers=bearer(second["token"]))
    t.check(status == 200, f"the user's other session still works, got {status}")
    status, _, body = server.request("DELETE", "/api/v1/sessions/current")
    t.check(status == 401 and body.get("code") == "missing_token", "logout without token: 401")


def check_user_management(t, server, tokens):
    admin = bearer(tokens["admin"])
    status, _, body = server.get("/api/v1/users", headers=admin)
    t.check(status == 200 and sorted(u["username"] for u in body["items"]) == sorted(ACCOUNTS),
            f"admin lists the ten demo accounts, got {status}")
    t.check("argon2" not in str(body) and "password" not in str(body), "no hashes listed")

    new_user = {"username": "clerk.zhang", "display_name": "张敏", "role": "intake_clerk",
                "department": "command_center", "password": "hotline-2026"}
    status, headers, body = server.post("/api/v1/users", new_user, headers=admin)
    t.check(status == 201 and body.get("username") == "clerk.zhang"
            and body.get("display_name") == "张敏" and body.get("disabled") is False,
            f"admin creates an account: 201, got {status} {body}")
    t.check(header(headers, "Location") == "/api/v1/users/clerk.zhang", "Location of the account")
    status, _, body = login(server, "clerk.zhang", "hotline-2026")
    t.check(status == 201 and body["user"]["display_name"] == "张敏",
            f"the new account signs in, got {status}")

    for label, change, code, expected in (
            ("taken username", {}, "username_taken", 409),
            ("unknown role", {"username": "x.role", "role": "wizard"}, "unknown_role", 400),
            ("unknown department", {"username": "x.dept", "role": "department_handler",
                                    "department": "moon_base"}, "unknown_department", 400),
            ("grid worker without grids", {"username": "x.grid", "role": "grid_worker",
                                           "department": ""}, "missing_grids", 400),
            ("short password", {"username": "x.pass", "password": "1234567"}, "weak_password",
             400),
            ("bad username", {"username": "X Y"}, "bad_username", 400)):
        status, _, body = server.post("/api/v1/users", {**new_user, **change}, headers=admin)
        t.check(status == expected and body.get("code") == code,
                f"create with {label}: {expected} {code}, got {status} {body}")

    for role in ("dispatcher", "viewer", "supervisor"):
        status, _, body = server.get("/api/v1/users", headers=bearer(tokens[role]))
        t.check(status == 403 and body.get("code") == "forbidden",
                f"{role} lists users: 403 forbidden, got {status} {body}")
        status, _, body = server.post("/api/v1/users", {**new_user, "username": "sneaky"},
                                      headers=bearer(tokens[role]))
        t.check(status == 403 and body.get("code") == "forbidden",
                f"{role} creates a user: 403 forbidden, got {status}")
    status, _, body = server.post("/api/v1/users", {**new_user, "username": "anon"})
    t.check(status == 401 and body.get("code") == "missing_token", "anonymous create: 401")
    status, _, body = server.get("/api/v1/users", headers=admin)
    names = [u["username"] for u in body["items"]]
    t.check(len(names) == len(ACCOUNTS) + 1 and "sneaky" not in names and "anon" not in names,
            f"refused creations wrote nothing: {names}")


def check_cli(t, server):
    data = server.data_dir
    done = cli(data, "add", "--username", "dongshan.li", "--role", "department_handler",
               "--department", "street_dongshan", "--name", "李静", "--password-stdin",
               stdin="dongshan-office\n")
    t.check(done.returncode == 0, f"cli user add exits 0: {done.stderr}")
    status, _, body = login(server, "dongshan.li", "dongshan-office")
    t.check(status == 201, f"an account added on the command line signs in, got {status} {body}")
    token = body.get("token", "")
    _, _, me = server.get("/api/v1/me", headers=bearer(token))
    t.check(me.get("street") == "130304002" and me.get("display_name") == "李静",
            f"street office handler carries its street: {me}")

    before = cli(data, "list").stdout
    for label, args, stdin, code in (
            ("unknown role", ("add", "--username", "cli.x", "--role", "wizard",
                              "--password-stdin"), "long enough\n", "unknown_role"),
            ("short password", ("add", "--username", "cli.x", "--role", "viewer",
                                "--password-stdin"), "short\n", "weak_password"),
            ("no --password-stdin", ("add", "--username", "cli.x", "--role", "viewer"), "",
             "missing_password"),
            ("taken username", ("add", "--username", "dongshan.li", "--role", "viewer",
                                "--password-stdin"), "long enough\n", "username_taken"),
            ("unknown department", ("add", "--username", "cli.x", "--role",
                                    "department_handler", "--department", "moon_base",
                                    "--password-stdin"), "long enough\n", "unknown_department"),
            ("passwd of unknown user", ("passwd", "--username", "ghost", "--password-stdin"),
             "long enough\n", "unknown_user"),
            ("disable unknown user", ("disable", "--username", "ghost"), "", "unknown_user")):
        done = cli(data, *args, stdin=stdin)
        t.check(done.returncode != 0 and code in done.stderr,
                f"cli {label}: non-zero exit naming {code}, got {done.returncode} {done.stderr}")
    listed = cli(data, "list")
    t.check(listed.returncode == 0 and listed.stdout == before, "refused cli commands change nothing")
    lines = [line for line in listed.stdout.splitlines() if line.strip()]
    t.check(len(lines) == len(ACCOUNTS) + 2, f"cli list: one line per account, got {len(lines)}")
    t.check("argon2" not in listed.stdout, "cli list shows no hashes")

    done = cli(data, "passwd", "--username", "dongshan.li", "--password-stdin",
               stdin="new-office-pass\n")
    t.check(done.returncode == 0, f"cli passwd exits 0: {done.stderr}")
    status, _, body = server.get("/api/v1/me", headers=bearer(token))
    t.check(status == 401 and body.get("code") == "invalid_token", "passwd ends old sessions")
    t.check(login(server, "dongshan.li", "dongshan-office")[0] == 401, "old password refused")
    status, _, body = login(server, "dongshan.li", "new-office-pass")
    t.check(status == 201, "new password accepted")

    done = cli(data, "disable", "--username", "dongshan.li")
    t.check(done.returncode == 0, f"cli disable exits 0: {done.stderr}")
    status, _, answer = server.get("/api/v1/me", headers=bearer(body.get("token", "")))
    t.check(status == 401 and answer.get("code") == "user_disabled",
            f"disabled user's token: 401 user_disabled, got {status} {answer}")
    status, _, answer = login(server, "dongshan.li", "new-office-pass")
    t.check(status == 401 and answer.get("code") == "user_disabled", "disabled user cannot log in")


def main():
    t = Checks()
    with tempfile.TemporaryDirectory(prefix="cityops-auth-") as data_dir:
        with Server(demo=True, data_dir=data_dir, extra_args=QUIET) as server:
            users = server.demo_users()
            tokens = check_demo_logins(t, server, users)
            if len(tokens) == len(ROLES):
                check_demo_scopes(t, server, tokens)
                check_refusals(t, server, users)
                check_logout(t, server, users)
                check_user_management(t, server, tokens)
                check_cli(t, server)
        # A second start on the same directory neither prints nor changes the accounts.
        with Server(demo=True, data_dir=data_dir, extra_args=QUIET) as again:
            t.check(again.demo_users() == {}, "demo passwords are shown on the first start only")
            if "admin" in users:
                status, _, _ = login(again, *users["admin"])
                t.check(status == 201, f"demo accounts survive a restart, got {status}")
    t.finish()


if __name__ == "__main__":
    main()
