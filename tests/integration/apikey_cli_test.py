"""End to end: `cityops apikey create|list|revoke` on a fresh data directory, then beside a
running server on the same directory."""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, binary  # noqa: E402

KEY = re.compile(r"co_[0-9a-f]{40}")
RFC3339_CST = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00"


def apikey(data_dir, *args):
    return subprocess.run([binary(), "apikey", *args, "--data", data_dir], capture_output=True,
                          text=True, timeout=120)


def listed_lines(t, data_dir):
    done = apikey(data_dir, "list")
    t.check(done.returncode == 0, f"apikey list exits 0: {done.stderr}")
    return [line for line in done.stdout.splitlines() if line.strip()]


def line_of(lines, name):
    found = [line for line in lines if line.split()[0] == name]
    return found[0] if len(found) == 1 else ""


def check_create(t, data_dir):
    done = apikey(data_dir, "create", "--name", "partner.one", "--department", "city_mgmt")
    t.check(done.returncode == 0, f"create exits 0: {done.returncode} {done.stderr}")
    t.check(done.stdout.count("\n") == 1 and KEY.fullmatch(done.stdout.rstrip("\n")) is not None,
            f"create prints the key alone on one line: {done.stdout!r}")
    key = done.stdout.strip()

    again = apikey(data_dir, "create", "--name", "partner.one")
    t.check(again.returncode != 0 and again.stdout == "",
            f"a taken name fails with nothing on stdout: {again.returncode} {again.stdout!r}")
    t.check("api_key_name_taken" in again.stderr and again.stderr.count("\n") == 1,
            f"a taken name is told in one line: {again.stderr!r}")

    second = apikey(data_dir, "create", "--name", "partner.two")
    t.check(second.returncode == 0 and second.stdout.strip() != key,
            f"a second key is another key: {second.stderr}")
    return key, second.stdout.strip()


def check_refusals(t, data_dir):
    before = listed_lines(t, data_dir)
    for label, args, code in (
            ("empty name", ("create", "--name", ""), "invalid_api_key_name"),
            ("name with a space", ("create", "--name", "partner one"), "invalid_api_key_name"),
            ("name with a slash", ("create", "--name", "a/b"), "invalid_api_key_name"),
            ("65-character name", ("create", "--name", "k" * 65), "invalid_api_key_name"),
            ("malformed department", ("create", "--name", "p3", "--department", "Water Works"),
             "bad_department"),
            ("revoke unknown name", ("revoke", "--name", "ghost"), "unknown_api_key"),
            ("create without --name", ("create",), "--name"),
            ("revoke without --name", ("revoke",), "--name")):
        done = apikey(data_dir, *args)
        t.check(done.returncode != 0 and done.stdout == "" and code in done.stderr,
                f"{label}: non-zero exit naming {code}, nothing on stdout; got "
                f"{done.returncode} {done.stdout!r} {done.stderr!r}")
    t.check(listed_lines(t, data_dir) == before, "refused commands change nothing")


def check_list_and_revoke(t, data_dir, keys):
    lines = listed_lines(t, data_dir)
    t.check(len(lines) == 2, f"list: one line per key, got {lines}")
    text = "\n".join(lines)
    for key in keys:
        t.check(key not in text and key[3:] not in text, "list never shows a key")
    one = line_of(lines, "partner.one")
    t.check(re.fullmatch(rf"partner\.one\s+city_mgmt\s+{RFC3339_CST}\s+active", one) is not None,
            f"list shows name, department, time, state: {one!r}")
    two = line_of(lines, "partner.two")
    t.check(re.fullmatch(rf"partner\.two\s+-\s+{RFC3339_CST}\s+active", two) is not None,
            f"a key without a department shows '-': {two!r}")

    done = apikey(data_dir, "revoke", "--name", "partner.one")
    t.check(done.returncode == 0, f"revoke exits 0: {done.stderr}")
    lines = listed_lines(t, data_dir)
    one = line_of(lines, "partner.one")
    t.check(re.fullmatch(rf"partner\.one\s+city_mgmt\s+{RFC3339_CST}\s+revoked {RFC3339_CST}",
                         one) is not None, f"list shows the key revoked, with when: {one!r}")
    t.check(line_of(lines, "partner.two").endswith("active"), "the other key stays active")
    again = apikey(data_dir, "revoke", "--name", "partner.one")
    t.check(again.returncode == 0 and line_of(listed_lines(t, data_dir), "partner.one") == one,
            "revoking twice succeeds and keeps the first time")


def check_beside_a_server(t):
    """The command line writes to the database a running server has open (WAL)."""
    with tempfile.TemporaryDirectory(prefix="cityops-apikey-live-") as data_dir:
        with Server(demo=False, data_dir=data_dir, extra_args=["--log-level", "warn"]) as server:
            done = apikey(data_dir, "create", "--name", "live.partner")
            t.check(done.returncode == 0 and KEY.fullmatch(done.stdout.strip()) is not None,
                    f"create beside a running server: {done.returncode} {done.stderr}")
            done = apikey(data_dir, "revoke", "--name", "live.partner")
            t.check(done.returncode == 0, f"revoke beside a running server: {done.stderr}")
            line = line_of(listed_lines(t, data_dir), "live.partner")
            t.check(" revoked " in line, f"list beside a running server: {line!r}")
            status, _, _ = server.get("/healthz")
            t.check(status == 200, f"the server still answers: {status}")


def main():
    t = Checks()
    with tempfile.TemporaryDirectory(prefix="cityops-apikey-") as root:
        # A directory that does not exist yet: the command creates it and its database.
        data_dir = os.path.join(root, "fresh")
        keys = check_create(t, data_dir)
        check_refusals(t, data_dir)
        check_list_and_revoke(t, data_dir, keys)
    check_beside_a_server(t)
    t.finish()


if __name__ == "__main__":
    main()
