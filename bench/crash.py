#!/usr/bin/env python3
"""Crash test of durable intake.

Starts `cityops serve --demo` on a temporary data directory, reports cases from several client
threads (half of them with an Idempotency-Key), kills the server with SIGKILL at a random
moment, restarts it on the same data directory and port, and checks:

  * every report answered 201 is stored, and reads back with the fields it was answered with
    (reporter name and phone compared in clear, read by a signed-in intake clerk);
  * no case number was answered for two different reports, and every answer to one
    Idempotency-Key (first answer, immediate replays, retries after restarts) names one case;
  * keyed reports that got no answer, sent again after the restart, do not create a second
    case: each report (marked by a token in its description) is stored at most once;
  * nothing else appeared: the stored count is the demo cases plus the reports stored, and a
    stored report was either answered 201 or not answered at all;
  * `cityops check` (SQLite's integrity check) passes after some kills and after a clean stop.

Every other restart passes `--demo` again, which must leave a data directory holding data as
it is (the count check would see demo cases loaded twice).

    bench/crash.py --kills 20 --bin build/cityops

Python standard library only; traffic goes to 127.0.0.1 only. Exit status 0 when every check
held, 1 on any failure, 2 when the run could not be set up.
"""

import argparse
import concurrent.futures
import copy
import datetime as dt
import http.client
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CST = dt.timezone(dt.timedelta(hours=8))

# Fields that change after creation without any request: the deadline timer appends
# auto_urge / overdue / escalate events (version, updated_at, escalated), and lights are
# computed from the clock when the case is encoded.
MUTABLE_FIELDS = frozenset({"version", "updated_at", "escalated", "light"})
MUTABLE_STEP_FIELDS = frozenset({"light"})
# Only in the answer to a report (computed at intake, not stored with the case).
ANSWER_ONLY_FIELDS = frozenset({"duplicates", "warnings", "component_suggestions"})
# Only in a signed-in read.
READ_ONLY_FIELDS = frozenset({"allowed_actions"})
IGNORED_FIELDS = MUTABLE_FIELDS | ANSWER_ONLY_FIELDS | READ_ONLY_FIELDS

CATEGORIES = ["06015", "06010", "06036", "07001", "06001", "01001", "03001", "06017"]
CHANNELS = ["hotline", "web", "mobile_app", "grid_patrol", "inspection"]
TEXTS = [
    "海滨浴场附近沙滩垃圾较多，请尽快清理",
    "路灯不亮，夜间行人通行不便",
    "人行道井盖缺失，存在安全隐患",
    "小区门口占道经营，影响通行",
    "绿化带内堆放建筑垃圾，无人清运",
    "公交站牌破损，玻璃碎片散落地面",
    "道路积水严重，车辆无法通行",
]
ADDRESSES = ["", "", "北戴河区保二路附近", "刘庄村东侧", "海宁路与西经路交叉口"]
NAMES = ["王芳", "张伟", "李娜", "刘洋", "陈静", "欧阳明", "赵敏"]
TOKEN = re.compile(r"〔(c[0-9a-f]{6}-\d+-\d+-\d+)〕")
TRANSPORT_ERRORS = (OSError, http.client.HTTPException, ValueError)


class SetupError(Exception):
    """The run could not start (no binary, the server did not come up, no demo accounts)."""


# --- the server process -----------------------------------------------------------------


class ServerProcess:
    """`cityops serve` on one data directory; stdout is drained, stderr goes to a log file."""

    def __init__(self, binary, data_dir, log_path, log_level="warn"):
        self.binary = binary
        self.data_dir = data_dir
        self.log_path = log_path
        self.log_level = log_level
        self.proc = None
        self.port = None
        self.startup_lines = []

    def start(self, port=0, demo=False, timeout=180):
        args = [self.binary, "serve", "--data", self.data_dir, "--listen",
                f"127.0.0.1:{port}", "--log-level", self.log_level]
        if demo:
            args.append("--demo")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log,
                                         stdin=subprocess.DEVNULL)
        lines = queue.Queue()
        threading.Thread(target=self._drain, args=(self.proc, lines), daemon=True).start()
        self.startup_lines = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise SetupError(f"server printed no address within {timeout} s")
            if line is None:
                self.proc.wait()
                return False
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
                return True
            self.startup_lines.append(line)

    @staticmethod
    def _drain(proc, lines):
        for raw in proc.stdout:
            lines.put(raw.decode("utf-8", "replace"))
        lines.put(None)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def stop(self, timeout=30):
        """SIGTERM, then the exit status (SIGKILL after `timeout`: returns None)."""
        if not self.alive():
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def demo_users(self):
        """{role: (username, password)} from the table a first `serve --demo` prints."""
        users, in_table = {}, False
        for line in self.startup_lines:
            if line.startswith("demo users (shown once):"):
                in_table = True
                continue
            fields = line.split()
            if in_table and len(fields) == 3:
                users[fields[0]] = (fields[1], fields[2])
        return users

    def log_lines(self, levels=("error", "critical")):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return [line.rstrip("\n") for line in log
                        if any(f"level={level}" in line for level in levels)]
        except OSError:
            return []


# --- HTTP ------------------------------------------------------------------------------


class Client:
    """One keep-alive connection to the server on 127.0.0.1."""

    def __init__(self, port, token=None, timeout=10):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        """(status, headers with lower-case names, parsed JSON or None); raises on transport
        errors (refused, reset, truncated answer, timeout)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        sent = {"Content-Type": "application/json"}
        if self.token:
            sent["Authorization"] = "Bearer " + self.token
        sent.update(headers or {})
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers=sent)
            res = self.conn.getresponse()
            raw = res.read()
            got = {k.lower(): v for k, v in res.getheaders()}
            if res.will_close:
                self.close()
        except BaseException:
            self.close()
            raise
        parsed = json.loads(raw) if raw and "json" in got.get("content-type", "") else None
        return res.status, got, parsed

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def walk(client, query=""):
    """Every case a list query returns, following next_cursor."""
    items, cursor = [], None
    for _ in range(100000):
        path = "/api/v1/cases?limit=100" + (f"&{query}" if query else "")
        if cursor is not None:
            path += "&cursor=" + urllib.parse.quote(cursor, safe="")
        status, _, body = client.call("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body}")
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise RuntimeError("list pagination does not end")


# --- what was sent and answered ---------------------------------------------------------


class Report:
    """One report as sent; `ack` is the first 201 answer's body."""

    def __init__(self, token, body, key, round_no):
        self.token = token
        self.body = body
        self.key = key
        self.round = round_no
        self.ack = None
        self.number = None
        self.refused = None  # the status of a non-201 answer


def differences(expected, actual, personal=None):
    """Names of the fields in which a stored case differs from its acknowledgement, leaving
    out those listed in IGNORED_FIELDS. With `personal` (the reporter as sent), the reporter
    is compared in clear against it instead of against the masked acknowledgement."""
    out = []
    for field in sorted((set(expected) | set(actual)) - IGNORED_FIELDS):
        want, got = expected.get(field), actual.get(field)
        if field == "steps" and isinstance(want, list) and isinstance(got, list):
            want = [{k: v for k, v in s.items() if k not in MUTABLE_STEP_FIELDS} for s in want]
            got = [{k: v for k, v in s.items() if k not in MUTABLE_STEP_FIELDS} for s in got]
        if field == "reporter" and personal is not None:
            want = personal
            got = got if isinstance(got, dict) else {}
        if want != got:
            out.append(field)
    return out


def reporter_in_clear(body):
    reporter = body.get("reporter") or {}
    if reporter.get("anonymous"):
        return {"name": "", "phone": "", "anonymous": True}
    return {"name": reporter.get("name", ""), "phone": reporter.get("phone", ""),
            "anonymous": False}


def answer_matches_request(ack, body):
    """Fields in which a 201 answer does not reflect the report that was sent."""
    loc = body["location"]
    checks = {
        "category": ack.get("category") == body["category"],
        "description": ack.get("description") == body["description"],
        "channel": ack.get("channel") == body["channel"],
        "urgency": ack.get("urgency") == body["urgency"],
        "address": ack.get("address") == body.get("address", ""),
        "reported_location": ack.get("reported_location") == {
            "lon": loc["lon"], "lat": loc["lat"], "datum": loc["datum"]},
        "reporter.anonymous": (ack.get("reporter") or {}).get("anonymous")
        == reporter_in_clear(body)["anonymous"],
        "state": ack.get("state") == "reported",
    }
    return [name for name, ok in checks.items() if not ok]


class Ledger:
    """Everything sent and answered across all rounds, and what the store was seen to hold."""

    def __init__(self, run_id):
        self.run_id = run_id
        self.lock = threading.Lock()
        self.reports = {}       # token -> Report
        self.acked = {}         # number -> token of the report it was answered for
        self.key_number = {}    # Idempotency-Key -> the number its first 201 named
        self.unanswered = set()  # tokens of reports with no answer (they may be stored)
        self.stored = {}        # token -> number, as seen in the store
        self.demo = {}          # demo case number -> the case as first listed
        self.failures = []      # (kind, message)
        self.answers = 0        # 201 answers, replays included
        self.replays = 0        # 201 answers to a key already answered, same number
        self.retried = 0        # unanswered keyed reports sent again after a restart
        self.retried_stored = 0  # ... whose first attempt had been stored (replayed)
        self.refusals = {}      # non-201 status -> count

    def fail(self, kind, message):
        with self.lock:
            self.failures.append((kind, message))

    def new_report(self, round_no, thread, seq, rng, points):
        token = f"{self.run_id}-{round_no}-{thread}-{seq}"
        lon, lat = rng.choice(points)
        body = {
            "category": rng.choice(CATEGORIES),
            "description": f"{rng.choice(TEXTS)}〔{token}〕",
            "location": {"lon": round(lon + rng.uniform(-1e-5, 1e-5), 7),
                         "lat": round(lat + rng.uniform(-1e-5, 1e-5), 7), "datum": "wgs84"},
            "channel": rng.choice(CHANNELS),
            "urgency": "urgent" if rng.random() < 0.1 else "normal",
        }
        address = rng.choice(ADDRESSES)
        if address:
            body["address"] = address
        if rng.random() < 0.1:
            body["reporter"] = {"anonymous": True}
        else:
            body["reporter"] = {"name": rng.choice(NAMES),
                                "phone": f"139{rng.randrange(10 ** 8):08d}"}
        key = f"crash-{token}" if rng.random() < 0.5 else None
        report = Report(token, body, key, round_no)
        with self.lock:
            self.reports[token] = report
        return report

    def record(self, report, status, headers, body, expect_replay=False):
        """Takes one answer to `report`; returns True for a 201."""
        with self.lock:
            if status != 201:
                self.refusals[status] = self.refusals.get(status, 0) + 1
                if report.ack is None:
                    report.refused = status
                    self.unanswered.discard(report.token)
                return False
            self.answers += 1
            number = body.get("number") if isinstance(body, dict) else None
            if not number:
                self.failures.append(("answer", f"201 without a number for {report.token}"))
                return False
            wrong = answer_matches_request(body, report.body)
            if wrong:
                self.failures.append(("answer", f"{number}: the 201 answer does not reflect "
                                                f"report {report.token} in {wrong}"))
            owner = self.acked.get(number)
            if owner is not None and owner != report.token:
                self.failures.append(("number_twice", f"{number} was answered for report "
                                                      f"{owner} and for report {report.token}"))
            else:
                self.acked[number] = report.token
            replayed = headers.get("idempotent-replayed") == "true"
            if report.key is not None:
                first = self.key_number.setdefault(report.key, number)
                if first != number:
                    self.failures.append(("key_twice", f"key {report.key} answered {first} and "
                                                       f"then {number}"))
            if expect_replay and not replayed:
                self.failures.append(("replay", f"replay of key {report.key} ({number}) lacks "
                                                f"Idempotent-Replayed: true"))
            if report.ack is None:
                report.ack = body
                report.number = number
                report.refused = None
                self.unanswered.discard(report.token)
            else:
                if report.number != number:
                    self.failures.append(("key_twice", f"report {report.token} answered "
                                                       f"{report.number} and then {number}"))
                diff = differences(report.ack, body)
                if diff:
                    self.failures.append(("replay", f"{number}: replay differs from the first "
                                                    f"answer in {diff}"))
                self.replays += 1
            return True

    def no_answer(self, report):
        with self.lock:
            if report.ack is None and report.refused is None:
                self.unanswered.add(report.token)


# --- load -------------------------------------------------------------------------------


def load_round(server, ledger, round_no, points, threads, kill_after, seed):
    """Reports from `threads` clients until SIGKILL at `kill_after` seconds. Returns
    (seconds of load, whether the server was still alive when it was killed)."""
    stop = threading.Event()

    def worker(index):
        rng = random.Random(f"{seed}-{round_no}-{index}")
        client = Client(server.port)
        seq = 0
        while not stop.is_set():
            report = ledger.new_report(round_no, index, seq, rng, points)
            seq += 1
            headers = {"Idempotency-Key": report.key} if report.key else {}
            try:
                status, got, body = client.call("POST", "/api/v1/cases", report.body, headers)
            except TRANSPORT_ERRORS:
                ledger.no_answer(report)
                time.sleep(0.005)
                continue
            if ledger.record(report, status, got, body) and report.key and rng.random() < 0.1:
                try:
                    status, got, body = client.call("POST", "/api/v1/cases", report.body,
                                                    headers)
                except TRANSPORT_ERRORS:
                    continue  # the first answer stands
                if status == 201:
                    ledger.record(report, status, got, body, expect_replay=True)
                else:
                    ledger.fail("replay", f"replay of key {report.key} answered {status}")
        client.close()

    workers = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    started = time.monotonic()
    for w in workers:
        w.start()
    time.sleep(kill_after)
    alive = server.alive()
    server.kill()
    stop.set()
    for w in workers:
        w.join(timeout=30)
    if any(w.is_alive() for w in workers):
        ledger.fail("client", "a client thread did not end after the kill")
    return time.monotonic() - started, alive


# --- recovery and verification ----------------------------------------------------------


def retry_unanswered(client, ledger):
    """Sends again every keyed report that got no answer; each must now be answered, with the
    case stored before the kill if there is one."""
    with ledger.lock:
        pending = sorted((ledger.reports[t] for t in ledger.unanswered
                          if ledger.reports[t].key), key=lambda r: r.token)
    numbers = []
    for report in pending:
        status, got, body = client.call("POST", "/api/v1/cases", report.body,
                                        {"Idempotency-Key": report.key})
        ledger.retried += 1
        if ledger.record(report, status, got, body):
            numbers.append(report.number)
            if got.get("idempotent-replayed") == "true":
                ledger.retried_stored += 1
        elif not 400 <= status < 500:
            # A refusal of the report itself (4xx) is no loss; anything else is.
            ledger.fail("retry", f"retry of key {report.key} answered {status}: {body}")
    return numbers


def replay_sample(client, ledger, rng, count):
    """Replays of keys answered in earlier rounds must name the same case."""
    with ledger.lock:
        keyed = [r for r in ledger.reports.values() if r.key and r.number]
    for report in rng.sample(keyed, min(count, len(keyed))):
        status, got, body = client.call("POST", "/api/v1/cases", report.body,
                                        {"Idempotency-Key": report.key})
        if status != 201:
            ledger.fail("replay", f"replay of key {report.key} answered {status}")
        else:
            ledger.record(report, status, got, body, expect_replay=True)


def read_cases(port, token, ledger, numbers, workers=4):
    """GET /api/v1/cases/{number} signed in, each compared with its acknowledgement and the
    reporter as sent. Returns the number of reads that matched."""
    local = threading.local()

    def read(number):
        if not hasattr(local, "client"):
            local.client = Client(port, token)
        with ledger.lock:
            report = ledger.reports[ledger.acked[number]]
        status, _, body = local.client.call("GET", f"/api/v1/cases/{number}")
        if status == 404:
            ledger.fail("missing", f"{number} (report {report.token}, answered 201) is not "
                                   f"stored: GET answers 404")
            return False
        if status != 200:
            ledger.fail("read", f"GET {number} answered {status}: {body}")
            return False
        diff = differences(report.ack, body, reporter_in_clear(report.body))
        if diff:
            ledger.fail("differs", f"{number} (report {report.token}) differs from its 201 "
                                   f"answer in {diff}")
            return False
        return True

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(read, numbers))


def check_listing(client, ledger, since=None):
    """Lists the cases reported since `since` (all cases when None) and checks them against
    the ledger; updates `ledger.stored`. Returns the number of cases listed."""
    query = "from=" + urllib.parse.quote(since, safe="") if since else ""
    items = walk(client, query)
    numbers = [c["number"] for c in items]
    if len(set(numbers)) != len(numbers):
        seen = set()
        twice = sorted({n for n in numbers if n in seen or seen.add(n)})
        ledger.fail("number_twice", f"the list holds these numbers twice: {twice[:10]}")
    by_number = {c["number"]: c for c in items}
    seen_tokens = {}
    for case in items:
        match = TOKEN.search(case.get("description", ""))
        if match is None or not match.group(1).startswith(ledger.run_id):
            if case["number"] not in ledger.demo:
                ledger.fail("unexpected", f"{case['number']} is neither a demo case nor one "
                                          f"of the reports sent")
            continue
        token = match.group(1)
        report = ledger.reports.get(token)
        if report is None:
            ledger.fail("unexpected", f"{case['number']} holds token {token}, never sent")
            continue
        if token in seen_tokens:
            ledger.fail("stored_twice", f"report {token} is stored twice: "
                                        f"{seen_tokens[token]} and {case['number']}")
            continue
        seen_tokens[token] = case["number"]
        if report.number is not None and report.number != case["number"]:
            ledger.fail("stored_twice", f"report {token} was answered {report.number} but is "
                                        f"stored as {case['number']}")
        elif report.number is None and report.refused is not None:
            ledger.fail("refused_stored", f"report {token} was refused with "
                                          f"{report.refused} but is stored as {case['number']}")
        elif report.number is None and report.key is not None:
            ledger.fail("unanswered", f"keyed report {token} is stored as {case['number']} "
                                      f"but its retry did not name it")
        known = ledger.stored.get(token)
        if known is not None and known != case["number"]:
            ledger.fail("stored_twice", f"report {token} was stored as {known}, now as "
                                        f"{case['number']}")
    if since is None:
        gone = sorted(set(ledger.stored) - set(seen_tokens))
        for token in gone[:20]:
            ledger.fail("missing", f"report {token} was stored as {ledger.stored[token]} "
                                   f"and is gone")
        for number, demo_case in ledger.demo.items():
            case = by_number.get(number)
            if case is None:
                ledger.fail("missing", f"demo case {number} is gone")
            elif differences(demo_case, case):
                ledger.fail("differs", f"demo case {number} changed in "
                                       f"{differences(demo_case, case)}")
    ledger.stored.update(seen_tokens)
    # Every answered report reported in the listed period is there, as it was answered.
    for number, token in list(ledger.acked.items()):
        report = ledger.reports[token]
        if since is not None and report.ack.get("reported_at", "") < since:
            continue
        case = by_number.get(number)
        if case is None:
            ledger.fail("missing", f"{number} (report {token}, answered 201) is not listed")
            continue
        diff = differences(report.ack, case)
        if diff:
            ledger.fail("differs", f"{number} (report {token}) is listed with fields that "
                                   f"differ from its 201 answer: {diff}")
    return len(items)


def check_count(client, ledger):
    """The store holds the demo cases and the stored reports, nothing more, and at least every
    answered case."""
    status, _, body = client.call("GET", "/readyz")
    if status != 200:
        ledger.fail("ready", f"/readyz answered {status}: {body}")
        return None
    count = body["cases"]
    expected = len(ledger.demo) + len(ledger.stored)
    if count < len(ledger.demo) + len(ledger.acked):
        ledger.fail("missing", f"{count} cases stored, fewer than the {len(ledger.demo)} demo "
                               f"cases plus {len(ledger.acked)} answered")
    if count != expected:
        ledger.fail("count", f"{count} cases stored; the demo cases and the reports found "
                             f"in the lists make {expected}")
    return count


def verify(server, token, ledger, numbers, since):
    """Every check after a restart. Returns (cases read in full, cases listed)."""
    client = Client(server.port)
    try:
        listed = check_listing(client, ledger, since)
        check_count(client, ledger)
        verified = read_cases(server.port, token, ledger, numbers)
    finally:
        client.close()
    return verified, listed


def self_check(server, token, ledger):
    """Runs the verification on doctored copies of the ledger and returns the mutations the
    verifier failed to notice: a changed field, a lost case, one number answered for two
    reports, a reporter's phone as sent."""
    answered = [r for r in ledger.reports.values() if r.number]
    if len(answered) < 2:
        return ["self-check needs two answered reports"]
    first, second = answered[0], answered[1]
    missed = []

    def trial(name, kinds, doctor, numbers):
        trial_ledger = copy.copy(ledger)
        trial_ledger.lock = threading.Lock()
        trial_ledger.failures = []
        trial_ledger.reports = {t: copy.copy(r) for t, r in ledger.reports.items()}
        trial_ledger.acked = dict(ledger.acked)
        trial_ledger.stored = dict(ledger.stored)
        trial_ledger.key_number = dict(ledger.key_number)
        doctor(trial_ledger)
        verify(server, token, trial_ledger, numbers, since=None)
        if not any(kind in kinds for kind, _ in trial_ledger.failures):
            missed.append(name)

    def changed_field(led):
        report = led.reports[first.token]
        report.ack = dict(report.ack, description=report.ack["description"] + "。")

    def lost_case(led):
        number = first.number[:-6] + "999999"
        fake = copy.copy(first)
        fake.token, fake.number = first.token + "-lost", number
        fake.ack = dict(first.ack, number=number)
        led.reports[fake.token] = fake
        led.acked[number] = fake.token

    def number_twice(led):
        report = led.reports[second.token]
        led.record(report, 201, {}, dict(second.ack, number=first.number,
                                         description=second.ack["description"]))

    def phone_changed(led):
        report = led.reports[first.token]
        report.body = copy.deepcopy(report.body)
        report.body["reporter"] = {"name": "王芳", "phone": "13900000000"}

    trial("changed field", {"differs"}, changed_field, [first.number])
    trial("lost case", {"missing"}, lost_case, [first.number[:-6] + "999999"])
    trial("number answered twice", {"number_twice"}, number_twice, [])
    trial("reporter as sent", {"differs"}, phone_changed, [first.number])
    return missed


# --- the run ----------------------------------------------------------------------------


def integrity_check(binary, data_dir, ledger, when):
    res = subprocess.run([binary, "check", "--data", data_dir], capture_output=True, text=True,
                         timeout=300)
    if res.returncode != 0 or "integrity: ok" not in res.stdout:
        ledger.fail("integrity", f"cityops check {when} exited {res.returncode}: "
                                 f"{res.stdout.strip()} {res.stderr.strip()}")
        return False
    return True


def after_restart(server, ledger, users, token, round_no, rng, before, new_numbers, since,
                  full, sample):
    """Checks the session, retries unanswered keyed reports, replays old keys and verifies.
    Returns (token, retried numbers, numbers read, reads that matched, listed, full)."""
    client = Client(server.port, token)
    try:
        status, _, _ = client.call("GET", "/api/v1/me")
        if status != 200:
            ledger.fail("session", f"round {round_no}: the intake clerk's session is gone "
                                   f"after the restart (GET /api/v1/me answered {status})")
            token = sign_in(client, users)
        client.token = None  # reports and replays come from the public
        retried = retry_unanswered(client, ledger)
        replay_sample(client, ledger, rng, 20)
    finally:
        client.close()
    older = list(ledger.acked)[:before]
    to_read = new_numbers + retried + rng.sample(older, min(sample, len(older)))
    verified, listed = verify(server, token, ledger, to_read, None if full else since)
    return token, retried, to_read, verified, listed, full


def restart(server, port, notes, demo):
    """Starts the server again on the same port (a new one if that stays taken). With `demo`,
    `--demo` is passed again: on a data directory that holds data it must change nothing."""
    for _ in range(10):
        if server.start(port=port, demo=demo):
            return
        time.sleep(0.3)
    notes.append(f"port {port} stayed taken after a kill; restarted on a new port")
    if not server.start(port=0, demo=demo):
        raise SetupError("the server does not start again on its data directory")


def sign_in(client, users):
    if "intake_clerk" not in users:
        raise SetupError("no intake_clerk among the demo accounts printed on the first start")
    username, password = users["intake_clerk"]
    status, _, body = client.call("POST", "/api/v1/sessions",
                                  {"username": username, "password": password})
    if status != 201:
        raise SetupError(f"sign-in as {username} answered {status}: {body}")
    return body["token"]


def now_cst(offset_seconds=0):
    t = dt.datetime.now(CST) + dt.timedelta(seconds=offset_seconds)
    return t.replace(microsecond=0).isoformat()


class Result:
    def __init__(self, ledger, rounds, notes):
        self.ledger = ledger
        self.rounds = rounds
        self.notes = notes

    @property
    def failures(self):
        return self.ledger.failures


def run(binary, kills=20, threads=16, min_delay=0.3, max_delay=2.5, seed=None,
        check_every=2, full_every=5, sample=100, self_test=False, inject_loss=False,
        keep=False, log=print):
    """The crash test. With `inject_loss`, the data directory is rolled back after the last
    kill to its state after the kill before it, as if the server had answered reports it
    never made durable: the run must then report failures."""
    if not os.path.exists(binary):
        raise SetupError(f"cityops binary not found at {binary}")
    seed = seed if seed is not None else random.randrange(10 ** 9)
    rng = random.Random(seed)
    ledger = Ledger("c" + f"{rng.randrange(16 ** 6):06x}")
    notes = []
    rounds = []
    tmp = tempfile.mkdtemp(prefix="cityops-crash-")
    data_dir = os.path.join(tmp, "data")
    server = ServerProcess(binary, data_dir, os.path.join(tmp, "server.log"))
    log(f"crash test: seed {seed}, {kills} kills, {threads} clients, data in {data_dir}")
    started_at = time.monotonic()
    try:
        if not server.start(port=0, demo=True):
            raise SetupError(f"the first start failed: {server.log_lines()[-5:]}")
        port = server.port
        client = Client(port)
        users = server.demo_users()
        token = sign_in(client, users)
        demo = walk(client)
        points = [(c["location"]["lon"], c["location"]["lat"]) for c in demo[:100]]
        ledger.demo = {c["number"]: c for c in demo}
        check_count(client, ledger)
        client.close()
        log(f"  first start: {len(demo)} demo cases on port {port}")
        snapshot = None
        for round_no in range(1, kills + 1):
            since = now_cst(-2)
            kill_after = rng.uniform(min_delay, max_delay)
            before = len(ledger.acked)
            seconds, alive = load_round(server, ledger, round_no, points, threads, kill_after,
                                        seed)
            if not alive:
                ledger.fail("server", f"round {round_no}: the server had exited by itself "
                                      f"(status {server.proc.returncode})")
            new_numbers = [n for n in list(ledger.acked)[before:]]
            unanswered = sum(1 for t in ledger.unanswered if ledger.reports[t].round == round_no)
            checked = bool(check_every) and round_no % check_every == 0
            if inject_loss and round_no == kills and snapshot:
                shutil.rmtree(data_dir)
                shutil.copytree(snapshot, data_dir)
                log("  data directory rolled back to its state after the previous kill")
            integrity = None
            if checked:
                integrity = integrity_check(binary, data_dir, ledger, f"after kill {round_no}")
            if inject_loss:
                snapshot = os.path.join(tmp, "snapshot")
                shutil.rmtree(snapshot, ignore_errors=True)
                shutil.copytree(data_dir, snapshot)
            t0 = time.monotonic()
            restart(server, port, notes, demo=round_no % 2 == 0)
            port = server.port
            restart_s = time.monotonic() - t0
            try:
                token, retried, to_read, verified, listed, full = after_restart(
                    server, ledger, users, token, round_no, rng, before, new_numbers, since,
                    full=round_no == kills or bool(full_every and round_no % full_every == 0),
                    sample=sample)
                if self_test and round_no == 1:
                    missed = self_check(server, token, ledger)
                    for name in missed:
                        ledger.fail("self_check", f"the verifier did not notice: {name}")
                    log(f"  self-check: {4 - len(missed)} of 4 doctored ledgers caught")
            except (*TRANSPORT_ERRORS, RuntimeError) as err:
                ledger.fail("server", f"round {round_no}: the restarted server did not answer "
                                      f"the checks: {err!r}")
                break
            rounds.append({"round": round_no, "kill_after": kill_after, "load_s": seconds,
                           "answered": len(ledger.acked) - before, "unanswered": unanswered,
                           "retried": len(retried), "restart_s": restart_s,
                           "verified": verified, "listed": listed, "full": full,
                           "integrity": integrity})
            done = {None: "", True: "; integrity ok", False: "; INTEGRITY CHECK FAILED"}
            log(f"  kill {round_no}/{kills} after {kill_after:.2f} s: "
                f"{len(new_numbers)} new cases answered, {unanswered} unanswered "
                f"({len(retried)} keyed, retried); restart {restart_s:.1f} s; "
                f"read {verified}/{len(to_read)}, listed {listed}"
                f"{' (all)' if full else ''}{done[integrity]}; "
                f"failures so far {len(ledger.failures)}")
        rc = server.stop()
        if rc != 0:
            how = f"killed by signal {-rc}" if rc is not None and rc < 0 else f"status {rc}"
            notes.append(f"the server did not exit cleanly on SIGTERM ({how})")
        integrity_check(binary, data_dir, ledger, "after the final stop")
    finally:
        server.kill()
        errors = server.log_lines()
        if errors:
            notes.append(f"{len(errors)} error lines in the server log, e.g. {errors[0]}")
        if keep:
            log(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    notes.append(f"{time.monotonic() - started_at:.0f} s in all")
    return Result(ledger, rounds, notes)


def summary(result):
    led = result.ledger
    stored_unanswered = len([t for t in led.stored if led.reports[t].number is None])
    full = [r["round"] for r in result.rounds if r["full"]]
    checks = [r["round"] for r in result.rounds if r["integrity"] is not None]
    verdict = "all found with their fields" if not led.failures else "FAILURES below"
    lines = [
        f"kills: {len(result.rounds)}",
        f"acknowledged new cases: {len(led.acked)} (201 answers {led.answers}, "
        f"of which idempotent replays {led.replays})",
        f"verified: {verdict}; each listed after the restart that followed its answer, every "
        f"case listed after restarts {full}, count checked after every restart; "
        f"{sum(r['verified'] for r in result.rounds)} reads one by one, reporter in clear, "
        f"matched",
        f"retried unanswered keyed reports: {led.retried} ({led.retried_stored} had been "
        f"stored and were replayed, the others were created once)",
        f"unanswered reports without a key: {len(led.unanswered)}, of which stored "
        f"{stored_unanswered}",
        f"cases stored: {len(led.demo)} demo + {len(led.stored)} reported",
        f"integrity checks: after kills {checks} and after the final stop",
        f"refused answers: {led.refusals or 'none'}",
    ]
    lines += [f"note: {n}" for n in result.notes]
    kinds = {}
    for kind, message in led.failures:
        kinds.setdefault(kind, []).append(message)
    lines.append(f"failures: {len(led.failures)}" +
                 (f" {dict((k, len(v)) for k, v in kinds.items())}" if kinds else ""))
    for kind, messages in kinds.items():
        lines += [f"FAIL [{kind}] {m}" for m in messages[:10]]
        if len(messages) > 10:
            lines.append(f"FAIL [{kind}] ... and {len(messages) - 10} more")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(REPO, "build", "cityops"))
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--min-delay", type=float, default=0.3,
                        help="earliest kill, seconds into a round's load")
    parser.add_argument("--max-delay", type=float, default=2.5,
                        help="latest kill, seconds into a round's load (at most 3)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--check-every", type=int, default=2,
                        help="run `cityops check` after every Nth kill (0: only at the end)")
    parser.add_argument("--full-every", type=int, default=5,
                        help="list every case after every Nth restart (and after the last)")
    parser.add_argument("--sample", type=int, default=100,
                        help="cases from earlier rounds read one by one after each restart")
    parser.add_argument("--self-test", action="store_true",
                        help="also check that the verifier notices doctored records")
    parser.add_argument("--inject-loss", action="store_true",
                        help="roll the data back after the last kill: the run must fail")
    parser.add_argument("--keep", action="store_true", help="keep the data directory and log")
    args = parser.parse_args()
    if not 0 < args.min_delay <= args.max_delay <= 3:
        parser.error("need 0 < --min-delay <= --max-delay <= 3")
    try:
        result = run(args.bin, kills=args.kills, threads=args.threads, min_delay=args.min_delay,
                     max_delay=args.max_delay, seed=args.seed, check_every=args.check_every,
                     full_every=args.full_every, sample=args.sample, self_test=args.self_test,
                     inject_loss=args.inject_loss, keep=args.keep)
    except SetupError as err:
        print(f"crash test could not run: {err}", file=sys.stderr)
        return 2
    print(summary(result))
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
