"""End to end: the case workflow over HTTP with the demo accounts.

A case is walked from report to callback (with a return, an extension, a failed check and a
callback); refusals are checked role by role; suspension, merging, cancelling and reopening,
the readers' scopes, personal data and the list filters are checked against values computed
here: step deadlines from the category limits in the GB/T 47678.5 taxonomy file and an
independent model of official working time (work_time.py).
"""

import csv
import datetime as dt
import os
import subprocess
import sys
import struct
import time
import urllib.parse
import zlib

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
import work_time as wt  # noqa: E402
from cityops_server import Checks, Server, binary  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TAXONOMY = os.path.join(ROOT, "data", "reference", "taxonomy-gbt47678.5-2026.csv")
DEMO_COMMUNITY = "130304002003"
HANDLER_DEPARTMENT = "city_mgmt"
ROLES = ["admin", "intake_clerk", "shift_lead", "dispatcher", "department_handler", "inspector",
         "grid_worker", "supervisor", "viewer"]
PERSONAL_DATA_ROLES = ["intake_clerk", "shift_lead", "dispatcher", "supervisor"]
PHONE, MASKED_PHONE = "13812345678", "138****5678"
NAME, MASKED_NAME = "张三", "张*"
# Manhole cover of a street lamp: led by city_mgmt; working hours, then working days for the
# handling step; natural hours when urgent; a dissatisfied callback reopens it.
WALK_CATEGORY = "01006"
# Festive decorations damaged: led by city_mgmt; a dissatisfied callback does not reopen it.
NO_REOPEN_CATEGORY = "06044"
CALLBACK_LIMIT = "3wd"  # the one callback limit, whatever the category
UNITS = {"wh": "working_hours", "wd": "working_days", "nh": "natural_hours"}
STEP_NAMES = ("register", "dispatch", "handle", "verify")


# ---------------------------------------------------------------- reference values

def load_taxonomy():
    """Rows by category reference: a bare code names the component when a component and a
    matter share the code (docs/reference-data.md), "matter:CODE" the matter."""
    with open(TAXONOMY, encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    out = {f"{row['kind']}:{row['code']}": row for row in rows}
    for row in rows:
        if row["kind"] == "component" or row["code"] not in out:
            out[row["code"]] = row
    return out


TAXONOMY_ROWS = load_taxonomy()


def limit_text(category, urgency, step):
    if step == "callback":
        return CALLBACK_LIMIT
    return TAXONOMY_ROWS[category][f"{step}_{urgency}"]


def due_after(start_text, limit):
    """The due time of a step of `limit` ("1wh", "3wd", "0.5nh") started at `start_text`."""
    amount, unit = float(limit[:-2]), UNITS[limit[-2:]]
    return wt.rfc3339(wt.add(wt.parse(start_text), amount, unit))


def counted_seconds(start, end, unit):
    """Office seconds between two instants (all seconds for natural hours)."""
    if end <= start:
        return 0
    if unit == "natural_hours":
        return int((end - start).total_seconds())
    start, end = start.astimezone(wt.CST), end.astimezone(wt.CST)
    total, day = 0, start.date()
    while day <= end.date():
        if wt.is_working_day(day):
            for a, b in wt.PERIODS:
                lo = max(dt.datetime.combine(day, a, wt.CST), start)
                hi = min(dt.datetime.combine(day, b, wt.CST), end)
                if hi > lo:
                    total += int((hi - lo).total_seconds())
        day += dt.timedelta(days=1)
    return total


def shifted(due_text, seconds, unit):
    """A due time moved later by `seconds` of counted time."""
    if seconds <= 0:
        return due_text
    if unit == "natural_hours":
        return wt.rfc3339(wt.parse(due_text) + dt.timedelta(seconds=seconds))
    return wt.rfc3339(wt.add_working_hours(wt.parse(due_text), seconds / 3600))


def now_cst():
    return dt.datetime.now(wt.CST)


# ---------------------------------------------------------------- HTTP helpers

def bearer(token):
    return {"Authorization": f"Bearer {token}"}


class Desk:
    """The demo accounts signed in, and the requests the checks make."""

    def __init__(self, server, t):
        self.server, self.t = server, t
        self.users = server.demo_users()
        self.tokens = {}
        for role in ROLES:
            username, password = self.users[role]
            status, _, body = server.post("/api/v1/sessions",
                                          {"username": username, "password": password})
            t.check(status == 201, f"{role} signs in with the printed password: {status}")
            self.tokens[role] = body.get("token", "") if status == 201 else ""
        self.locations = self._demo_points()

    def _demo_points(self):
        status, _, fc = self.server.get(
            f"/api/v1/regions?layer=unit_grid&parent={DEMO_COMMUNITY}")
        if status != 200 or not fc.get("features"):
            raise SystemExit(f"no unit grids in the demo community: {status}")
        return [geo_util.interior_point(f["geometry"]) for f in fc["features"]]

    def photo(self, seed):
        """Uploads a one-pixel PNG of its own colour as the department handler; its name."""
        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
        pixel = bytes([0, seed % 256, (seed * 7) % 256, (seed * 13) % 256])
        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(pixel)) + chunk(b"IEND", b""))
        status, _, body = self.server.request("POST", "/api/v1/photos", raw=png,
                                              headers=self.headers("department_handler"))
        if status not in (200, 201):
            raise RuntimeError(f"photo upload answered {status}: {body}")
        return body["name"]

    def headers(self, who):
        if who is None:
            return {}
        if isinstance(who, dict):
            return who
        return bearer(self.tokens[who])

    def read(self, number, who=None):
        status, _, body = self.server.get(f"/api/v1/cases/{number}", headers=self.headers(who))
        if status != 200 and who is None:
            raise RuntimeError(f"GET case {number} answered {status}: {body}")
        return body if who is None else (status, body)

    def events(self, number, who=None):
        status, _, body = self.server.get(f"/api/v1/cases/{number}/events",
                                          headers=self.headers(who))
        if who is None:
            if status != 200:
                raise RuntimeError(f"events of {number} answered {status}: {body}")
            return body["items"]
        return status, body

    def report(self, category=WALK_CATEGORY, urgency="normal", point=0, who="intake_clerk"):
        lon, lat = self.locations[point % len(self.locations)]
        status, _, body = self.server.post(
            "/api/v1/cases",
            {"category": category, "description": "路灯井盖破损，有行人绊倒的危险",
             "location": {"lon": lon, "lat": lat, "datum": "wgs84"}, "channel": "hotline",
             "urgency": urgency, "reporter": {"name": NAME, "phone": PHONE}},
            headers=self.headers(who))
        if status != 201:
            raise RuntimeError(f"report answered {status}: {body}")
        return body

    def act(self, who, number, action, version=None, **fields):
        if version is None:
            version = self.read(number)["version"]
        body = {"version": version, **fields}
        status, _, answer = self.server.post(f"/api/v1/cases/{number}/{action}", body,
                                             headers=self.headers(who))
        return status, answer

    def must(self, who, number, action, **fields):
        status, answer = self.act(who, number, action, **fields)
        if status != 200:
            raise RuntimeError(f"{action} of {number} by {who} answered {status}: {answer}")
        return answer

    def advance(self, number, state):
        """Takes a fresh case along the plain path until it is in `state`."""
        path = [("registered", "shift_lead", "register", {}),
                ("dispatched", "dispatcher", "dispatch", {"department": HANDLER_DEPARTMENT}),
                ("in_progress", "department_handler", "sign", {}),
                ("handled", "department_handler", "report_handling",
                 {"note": "已更换井盖", "photos": [self.photo(1)]}),
                ("closed", "inspector", "verify", {"result": "pass"})]
        case = self.read(number)
        for target, who, action, fields in path:
            if case["state"] == state:
                break
            case = self.must(who, number, action, **fields)
        return case

    def new_case(self, state="reported", **report_args):
        number = self.report(**report_args)["number"]
        return self.advance(number, state)

    def list_all(self, query="", who=None, limit=100):
        """Every item of a list query, following next_cursor; (items, pages)."""
        items, pages, cursor = [], 0, None
        while True:
            path = f"/api/v1/cases?limit={limit}" + (f"&{query}" if query else "")
            if cursor is not None:
                path += "&cursor=" + urllib.parse.quote(cursor, safe="")
            status, _, body = self.server.get(path, headers=self.headers(who))
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}: {body}")
            items.extend(body["items"])
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None or pages > 1000:
                return items, pages


# ---------------------------------------------------------------- 1. the whole walk

class Walk:
    """Takes one case through every step, checking each answer against the expected case."""

    COUNTERS = ("rework_count", "return_count", "extension_count", "reopen_count",
                "suspension_count")

    def __init__(self, desk, case, urgency="normal"):
        self.desk, self.t = desk, desk.t
        self.number = case["number"]
        self.category = case["category"]
        self.urgency = urgency
        self.counters = {name: 0 for name in self.COUNTERS}
        limit = limit_text(self.category, urgency, "register")
        self.steps = [{"step": "register", "started_at": case["reported_at"], "limit": limit,
                       "due_at": due_after(case["reported_at"], limit), "finished_at": None,
                       "on_time": None}]
        self.events = [{"action": "report", "from_state": None, "to_state": "reported",
                        "step_due_at": None, "on_time": None, "version": 1}]
        self.t.check(case["state"] == "reported" and case["version"] == 1,
                     f"walk: report answers state reported at version 1: {case['state']} "
                     f"{case['version']}")
        self.t.check(case["due_at"] == self.steps[0]["due_at"],
                     f"walk: register due {case['due_at']}, expected {self.steps[0]['due_at']} "
                     f"({limit} from {case['reported_at']})")
        self.check_steps(case, "report")

    def step(self, who, action, to_state, starts=None, finishes=True, new_due=None,
             counters=(), **fields):
        before = self.desk.read(self.number)
        status, after = self.desk.act(who, self.number, action, **fields)
        label = f"walk {action}"
        self.t.check(status == 200, f"{label}: 200, got {status} {after}")
        if status != 200:
            raise RuntimeError(f"{label} refused; the walk cannot go on")
        event = after.get("event", {})
        at = event.get("at", "")
        self.t.check(after["state"] == to_state,
                     f"{label}: state {after['state']}, expected {to_state}")
        self.t.check(after["version"] == before["version"] + 1,
                     f"{label}: version {before['version']} -> {after['version']}")
        self.t.check(event.get("action") == action and event.get("version") == after["version"]
                     and event.get("from_state") == before["state"]
                     and event.get("to_state") == to_state and event.get("actor") == who,
                     f"{label}: the answer carries its event: {event}")
        for name in counters:
            self.counters[name] += 1
        for name, value in self.counters.items():
            self.t.check(after[name] == value, f"{label}: {name} {after[name]}, expected {value}")

        current = self.steps[-1]
        if finishes and current["finished_at"] is None:
            current["finished_at"] = at
            current["on_time"] = True
        if starts:
            limit = limit_text(self.category, self.urgency, starts)
            self.steps.append({"step": starts, "started_at": at, "limit": limit,
                               "due_at": due_after(at, limit), "finished_at": None,
                               "on_time": None})
        elif new_due:
            current["due_at"] = new_due
        expected_due = self.steps[-1]["due_at"]
        self.t.check(after["due_at"] == expected_due,
                     f"{label}: due {after['due_at']}, expected {expected_due}"
                     + (f" ({self.steps[-1]['limit']} from {at})" if starts else ""))
        self.events.append({"action": action, "from_state": before["state"],
                            "to_state": to_state, "step_due_at": before["due_at"],
                            "on_time": True if finishes else None,
                            "version": after["version"]})

        stored = self.desk.read(self.number)
        self.t.check(stored["state"] == to_state and stored["version"] == after["version"]
                     and stored["due_at"] == expected_due,
                     f"{label}: a fresh read agrees: {stored['state']} v{stored['version']} "
                     f"due {stored['due_at']}")
        self.check_steps(stored, label)
        return after

    def check_steps(self, case, label):
        steps = case.get("steps", [])
        self.t.check(len(steps) == len(self.steps),
                     f"{label}: {len(steps)} steps listed, expected {len(self.steps)}: "
                     f"{[s.get('step') for s in steps]}")
        for i, (got, want) in enumerate(zip(steps, self.steps)):
            for key in ("step", "started_at", "limit", "due_at", "finished_at", "on_time"):
                self.t.check(got.get(key) == want[key],
                             f"{label}: step {i} ({want['step']}) {key} {got.get(key)!r}, "
                             f"expected {want[key]!r}")
            finished = want["finished_at"] is not None
            # A step that has just started is green; a finished one has no light.
            light = "none" if finished else "green"
            self.t.check(got.get("light") == light,
                         f"{label}: step {i} ({want['step']}) light {got.get('light')}, "
                         f"expected {light}")
        if self.steps and self.steps[-1]["finished_at"] is None:
            self.t.check(case.get("light") == "green",
                         f"{label}: the case's light {case.get('light')}, expected green")

    def check_events(self, readers):
        everything = self.desk.events(self.number)
        views = [e.get("actor") for e in everything if e.get("action") == "view_personal_data"]
        self.t.check(views == readers,
                     f"walk: clear reads of the reporter are in the history: {views}")
        items = [e for e in everything if e.get("action") != "view_personal_data"]
        got = [(e.get("action"), e.get("from_state"), e.get("to_state")) for e in items]
        want = [(e["action"], e["from_state"], e["to_state"]) for e in self.events]
        self.t.check(got == want, f"walk: events in order {got}, expected {want}")
        for got_event, want_event in zip(items, self.events):
            for key in ("version", "step_due_at", "on_time"):
                self.t.check(got_event.get(key) == want_event[key],
                             f"walk: event {want_event['action']} v{want_event['version']} "
                             f"{key} {got_event.get(key)!r}, expected {want_event[key]!r}")
        return items


def check_walk(desk):
    t = desk.t
    case = desk.report(point=0)
    walk = Walk(desk, case)
    number = walk.number
    walk.step("shift_lead", "register", "registered", starts="dispatch")
    walk.step("dispatcher", "dispatch", "dispatched", starts="handle",
              department=HANDLER_DEPARTMENT)
    walk.step("department_handler", "return", "registered", starts="dispatch",
              counters=["return_count"], reason="井盖属于供水公司，非本单位职责")
    events = desk.events(number)
    t.check(events[-1].get("note") == "井盖属于供水公司，非本单位职责",
            f"walk: the return's reason is the event's note: {events[-1].get('note')}")

    after = walk.step("dispatcher", "dispatch", "dispatched", starts="handle",
                      department=HANDLER_DEPARTMENT,
                      co_departments=["sanitation", "water_supply", HANDLER_DEPARTMENT])
    t.check(after["department"] == HANDLER_DEPARTMENT
            and after["co_departments"] == ["sanitation", "water_supply"],
            f"walk: re-dispatch names the lead and the co-departments (the lead once): "
            f"{after['department']} {after['co_departments']}")
    after = walk.step("department_handler", "sign", "in_progress", finishes=False)
    t.check(after["step"] == "handle", f"walk: signing keeps the handling step: {after['step']}")

    # Extension: a day after the current due time, on a whole minute.
    due = wt.parse(after["due_at"])
    until = wt.rfc3339((due + dt.timedelta(days=1)).replace(second=0))
    after = walk.step("department_handler", "request_extension", "in_progress", finishes=False,
                      reason="需协调供水公司停水后施工", until=until)
    request = after.get("extension_request") or {}
    t.check(request.get("until") == until and request.get("requested_by") == "department_handler",
            f"walk: the request waits for approval: {request}")
    t.check("approve_extension" in desk.read(number, "shift_lead")[1].get("allowed_actions", []),
            "walk: the shift lead may approve now")
    after = walk.step("shift_lead", "approve_extension", "in_progress", finishes=False,
                      new_due=until, counters=["extension_count"])
    t.check(after["extension_request"] is None, "walk: approval clears the request")

    photos = [desk.photo(2), desk.photo(3)]
    after = walk.step("department_handler", "report_handling", "handled", starts="verify",
                      note="已更换井盖并设置警示", photos=photos)
    t.check(after["handling_photos"] == photos,
            f"walk: handling photos kept: {after['handling_photos']}")
    t.check(after["event"].get("attachments") == photos,
            f"walk: the event lists the photos: {after['event'].get('attachments')}")
    walk.step("inspector", "verify", "in_progress", starts="handle", counters=["rework_count"],
              result="fail", note="井盖不平整，需返工")
    walk.step("department_handler", "report_handling", "handled", starts="verify",
              note="重新安装井盖", photos=[desk.photo(4)])
    walk.step("inspector", "verify", "closed", starts="callback", result="pass")
    after = walk.step("intake_clerk", "callback", "closed", satisfaction="satisfied")
    t.check(after["satisfaction"] == "satisfied", f"walk: satisfaction {after['satisfaction']}")
    t.check(after["light"] == "none", f"walk: a finished case has no light: {after['light']}")
    t.check(desk.read(number, "intake_clerk")[1].get("allowed_actions") == ["comment"],
            "walk: nothing more to do after the callback but comment")
    walk.check_events(["shift_lead", "intake_clerk"])
    return number


# ---------------------------------------------------------------- 2. refusals

class Refusals:
    def __init__(self, desk):
        self.desk, self.t = desk, desk.t

    def expect(self, label, who, number, action, status, code, field=None, allowed=None,
               version_delta=0, **fields):
        before = self.desk.read(number)
        got_status, answer = self.desk.act(who, number, action,
                                           version=before["version"] + version_delta, **fields)
        ok = got_status == status and answer.get("code") == code
        if field is not None:
            ok = ok and answer.get("field") == field
        self.t.check(ok, f"{label}: {status} {code} field={field}, got {got_status} {answer}")
        if allowed is not None:
            # Every role but the viewer may comment on a case, whatever its state.
            allowed = sorted(set(allowed) | {"comment"})
            got = answer.get("allowed_actions")
            self.t.check(got is not None and sorted(got) == allowed,
                         f"{label}: allowed_actions {got}, expected {allowed}")
            self.t.check(answer.get("state") == before["state"],
                         f"{label}: the problem names the state {answer.get('state')}")
        after = self.desk.read(number)
        self.t.check(after["version"] == before["version"] and after["state"] == before["state"]
                     and after["due_at"] == before["due_at"],
                     f"{label}: case unchanged (v{before['version']} {before['state']} -> "
                     f"v{after['version']} {after['state']})")
        return answer


def check_refusals(desk, closed_number):
    t, r = desk.t, Refusals(desk)
    reported = desk.new_case("reported", point=1)["number"]
    registered = desk.new_case("registered", point=2)["number"]
    dispatched = desk.new_case("dispatched", point=3)["number"]
    in_progress = desk.new_case("in_progress", point=4)["number"]
    handled = desk.new_case("handled", point=5)["number"]

    # Wrong role: 403 forbidden_role, whatever the state allows.
    wrong_roles = [
        (reported, "register", ["intake_clerk", "dispatcher", "supervisor", "viewer", "admin",
                                "inspector", "grid_worker"], {}),
        (reported, "reject", ["dispatcher", "viewer"], {"reason": "重复"}),
        (reported, "merge", ["intake_clerk"], {"target": in_progress}),
        (registered, "dispatch", ["shift_lead", "supervisor", "department_handler"],
         {"department": HANDLER_DEPARTMENT}),
        (dispatched, "sign", ["dispatcher", "shift_lead", "inspector"], {}),
        (dispatched, "return", ["shift_lead", "dispatcher"], {"reason": "非本单位"}),
        (in_progress, "report_handling", ["inspector", "dispatcher"], {"note": "已处理"}),
        (in_progress, "request_extension", ["shift_lead", "supervisor"],
         {"reason": "x", "until": "2027-06-01T10:00:00+08:00"}),
        (in_progress, "approve_extension", ["department_handler", "dispatcher", "intake_clerk"],
         {}),
        (in_progress, "cancel", ["dispatcher", "supervisor", "department_handler"],
         {"reason": "x"}),
        (in_progress, "suspend", ["supervisor", "dispatcher"], {"reason": "x"}),
        (in_progress, "supervise", ["dispatcher", "shift_lead"], {}),
        (in_progress, "urge", ["shift_lead", "viewer"], {}),
        (handled, "verify", ["department_handler", "shift_lead", "supervisor", "grid_worker"],
         {"result": "pass"}),
        (closed_number, "callback", ["shift_lead", "viewer", "dispatcher"],
         {"satisfaction": "satisfied"}),
    ]
    for number, action, roles, fields in wrong_roles:
        for role in roles:
            r.expect(f"{role} may not {action}", role, number, action, 403, "forbidden_role",
                     **fields)

    # Right role, wrong state: 409 invalid_state and what the role may do instead.
    r.expect("register a registered case", "shift_lead", registered, "register", 409,
             "invalid_state", allowed=["suspend", "cancel"])
    r.expect("dispatch a reported case", "dispatcher", reported, "dispatch", 409,
             "invalid_state", allowed=["urge"], department=HANDLER_DEPARTMENT)
    r.expect("report handling before signing", "department_handler", dispatched,
             "report_handling", 409, "invalid_state",
             allowed=["sign", "return", "request_extension"], note="已处理")
    r.expect("sign twice", "department_handler", in_progress, "sign", 409, "invalid_state",
             allowed=["report_handling", "request_extension"])
    r.expect("verify before handling", "inspector", in_progress, "verify", 409, "invalid_state",
             allowed=[], result="pass")
    r.expect("approve without a request", "shift_lead", in_progress, "approve_extension", 409,
             "invalid_state", allowed=["suspend", "cancel"])
    r.expect("resume a running case", "shift_lead", in_progress, "resume", 409, "invalid_state",
             allowed=["suspend", "cancel"])
    r.expect("callback on an open case", "intake_clerk", handled, "callback", 409,
             "invalid_state", allowed=[], satisfaction="satisfied")
    r.expect("callback on a reported case", "intake_clerk", reported, "callback", 409,
             "invalid_state", allowed=[], satisfaction="satisfied")
    r.expect("cancel a closed case", "shift_lead", closed_number, "cancel", 409,
             "invalid_state", allowed=[], reason="作废")
    r.expect("second callback", "intake_clerk", closed_number, "callback", 409,
             "invalid_state", allowed=[], satisfaction="satisfied")

    # A version the client did not see.
    for delta in (-1, 1, 100):
        r.expect(f"register at version {delta:+d}", "shift_lead", reported, "register", 409,
                 "stale_version", field="version", version_delta=delta)
    r.expect("sign at an old version", "department_handler", dispatched, "sign", 409,
             "stale_version", field="version", version_delta=-1)

    for name in ("approve", "close", "REGISTER", "delete"):
        r.expect(f"unknown action {name}", "shift_lead", reported, name, 400, "unknown_action")

    # Actions that need a reason.
    for label, who, number, action in (
            ("return", "department_handler", dispatched, "return"),
            ("reject", "shift_lead", reported, "reject"),
            ("cancel", "shift_lead", in_progress, "cancel"),
            ("suspend", "shift_lead", in_progress, "suspend")):
        r.expect(f"{label} without a reason", who, number, action, 400, "missing_reason",
                 field="reason")
        r.expect(f"{label} with a blank reason", who, number, action, 400, "missing_reason",
                 field="reason", reason=" \t ")

    # Merging.
    answer = r.expect("merge into an unknown case", "shift_lead", reported, "merge", 422,
                      "unknown_target", field="target", target="130304-20991231-999999")
    t.check(400 <= answer.get("status", 0) < 500, "merge into an unknown case is a client error")
    r.expect("merge into itself", "shift_lead", reported, "merge", 400, "invalid_target",
             field="target", target=reported)
    r.expect("merge without target", "shift_lead", reported, "merge", 400, "missing_target",
             field="target")
    r.expect("merge into a closed case", "shift_lead", reported, "merge", 409, "target_closed",
             field="target", target=closed_number)
    target = desk.read(closed_number)
    t.check(reported not in target["merged_cases"], "the closed target did not take the case")

    # Extension times.
    due = wt.parse(desk.read(in_progress)["due_at"])
    yesterday = wt.rfc3339(now_cst() - dt.timedelta(days=1))
    r.expect("extension until the past", "department_handler", in_progress, "request_extension",
             400, "until_in_past", field="until", reason="需要更多时间", until=yesterday)
    r.expect("extension until the current due time", "department_handler", in_progress,
             "request_extension", 400, "until_not_later", field="until", reason="需要更多时间",
             until=wt.rfc3339(due))
    r.expect("extension until without offset", "department_handler", in_progress,
             "request_extension", 400, "invalid_time", field="until", reason="需要更多时间",
             until="2027-01-01T10:00:00")
    r.expect("extension without until", "department_handler", in_progress, "request_extension",
             400, "missing_until", field="until", reason="需要更多时间")

    # Tokens.
    for label, headers, code in (
            ("no token", {}, "missing_token"),
            ("forged token", bearer("A" * 43), "invalid_token"),
            ("forged token of another shape", bearer("forged.token.value"), "invalid_token")):
        r.expect(f"register with {label}", headers, reported, "register", 401, code)

    username, password = desk.users["shift_lead"]
    _, _, session = desk.server.post("/api/v1/sessions",
                                     {"username": username, "password": password})
    token = session["token"]
    status, _, _ = desk.server.request("DELETE", "/api/v1/sessions/current",
                                       headers=bearer(token))
    t.check(status == 204, f"sign out answers 204, got {status}")
    r.expect("register after signing out", bearer(token), reported, "register", 401,
             "invalid_token")

    check_disabled_user(desk, r, reported)
    return {"reported": reported, "registered": registered, "dispatched": dispatched,
            "in_progress": in_progress, "handled": handled}


def check_disabled_user(desk, r, reported):
    t = desk.t
    admin = bearer(desk.tokens["admin"])
    account = {"username": "lead.wang", "display_name": "王班长", "role": "shift_lead",
               "department": "command_center", "password": "night-shift-2026"}
    status, _, body = desk.server.post("/api/v1/users", account, headers=admin)
    t.check(status == 201, f"admin creates a shift lead: {status} {body}")
    status, _, session = desk.server.post(
        "/api/v1/sessions", {"username": "lead.wang", "password": "night-shift-2026"})
    t.check(status == 201, f"the new shift lead signs in: {status}")
    token = session.get("token", "")
    status, _, me = desk.server.get("/api/v1/me", headers=bearer(token))
    t.check(status == 200 and me.get("role") == "shift_lead", f"the new token works: {status}")
    result = subprocess.run([binary(), "user", "disable", "--data", desk.server.data_dir,
                             "--username", "lead.wang"], capture_output=True, text=True,
                            timeout=120)
    t.check(result.returncode == 0, f"cityops user disable: {result.returncode} {result.stderr}")
    before = desk.read(reported)
    status, answer = desk.act(bearer(token), reported, "register")
    t.check(status == 401 and answer.get("code") in ("user_disabled", "invalid_token"),
            f"register by a disabled account: 401, got {status} {answer}")
    after = desk.read(reported)
    t.check((after["version"], after["state"]) == (before["version"], before["state"]),
            "register by a disabled account: case unchanged")
    status, _, body = desk.server.get("/api/v1/me", headers=bearer(token))
    t.check(status == 401, f"/me of a disabled account: 401, got {status}")
    status, _, body = desk.server.post(
        "/api/v1/sessions", {"username": "lead.wang", "password": "night-shift-2026"})
    t.check(status == 401, f"a disabled account cannot sign in again: {status} {body}")


# ---------------------------------------------------------------- 3. suspend and resume

def check_suspension(desk, label, case):
    t = desk.t
    number = case["number"]
    unit = UNITS[case["step_limit"][-2:]]
    before = desk.read(number)
    after = desk.must("shift_lead", number, "suspend", reason="等待供电部门停电配合")
    suspended_at = after["event"]["at"]
    t.check(after["suspended"] is True and after["state"] == before["state"]
            and after["version"] == before["version"] + 1
            and after["suspension_count"] == before["suspension_count"] + 1,
            f"{label}: suspended in place: {after['state']} v{after['version']} "
            f"suspended={after['suspended']} count={after['suspension_count']}")
    t.check(after["light"] == "suspended" and after["steps"][-1]["light"] == "suspended",
            f"{label}: light while suspended: {after['light']}")
    t.check(sorted(after.get("allowed_actions", [])) == ["cancel", "comment", "resume"],
            f"{label}: a suspended case may be resumed or cancelled: "
            f"{after.get('allowed_actions')}")
    items, _ = desk.list_all("suspended=true")
    t.check(number in [i["number"] for i in items],
            f"{label}: ?suspended=true lists the case")
    t.check(all(i["suspended"] is True for i in items),
            f"{label}: ?suspended=true lists only suspended cases "
            f"{[i['number'] for i in items if not i['suspended']]}")
    Refusals(desk).expect(f"{label}: register while suspended", "shift_lead", number,
                          "register", 409, "invalid_state", allowed=["resume", "cancel"])

    time.sleep(2.2)
    resumed = desk.must("shift_lead", number, "resume")
    resumed_at = resumed["event"]["at"]
    seconds = counted_seconds(wt.parse(suspended_at), wt.parse(resumed_at), unit)
    expected = shifted(before["due_at"], seconds, unit)
    t.check(resumed["suspended"] is False and resumed["state"] == before["state"]
            and resumed["version"] == before["version"] + 2,
            f"{label}: resumed: {resumed['state']} v{resumed['version']}")
    t.check(resumed["due_at"] == expected and resumed["steps"][-1]["due_at"] == expected,
            f"{label}: due {before['due_at']} -> {resumed['due_at']}, expected {expected} "
            f"({seconds} s of {unit} suspended from {suspended_at} to {resumed_at})")
    if unit == "natural_hours":
        t.check(seconds >= 2, f"{label}: natural time counts while suspended ({seconds} s)")
    t.check(resumed["light"] != "suspended", f"{label}: light after resuming {resumed['light']}")
    events = desk.events(number)
    t.check([e["action"] for e in events[-2:]] == ["suspend", "resume"]
            and events[-2].get("note") == "等待供电部门停电配合",
            f"{label}: suspend and resume are events: {[e['action'] for e in events[-2:]]}")
    return resumed


# ---------------------------------------------------------------- 4. merge, 5. cancel, reopen

def check_merge(desk):
    t = desk.t
    target = desk.new_case("in_progress", point=6)
    duplicate = desk.report(point=6)
    t.check(target["number"] in [d["number"] for d in duplicate.get("duplicates", [])],
            f"the second report at the same place is offered the first as a duplicate: "
            f"{duplicate.get('duplicates')}")
    number = duplicate["number"]
    after = desk.must("shift_lead", number, "merge", target=target["number"],
                      note="同一井盖")
    t.check(after["state"] == "merged" and after["merged_into"] == target["number"]
            and after["version"] == 2,
            f"merge: {after['state']} into {after['merged_into']} v{after['version']}")
    t.check(after["steps"][-1]["finished_at"] is not None and after["light"] == "none",
            "merge: the registration step is finished")
    read = desk.read(number)
    t.check(read["state"] == "merged" and read["merged_into"] == target["number"],
            "merge: a fresh read of the merged case agrees")
    now = desk.read(target["number"])
    t.check(now["merged_cases"] == [number] and now["supporters"] == target["supporters"] + 1
            and now["supporters"] == 2,
            f"merge: the target counts it: {now['merged_cases']} supporters {now['supporters']}")
    t.check(now["version"] == target["version"] + 1 and now["state"] == "in_progress",
            f"merge: the target moves one version, keeps its state: v{now['version']} "
            f"{now['state']}")
    last = desk.events(target["number"])[-1]
    t.check(last.get("action") == "merge" and number in (last.get("note") or ""),
            f"merge: the target's history records it: {last}")
    Refusals(desk).expect("act on a merged case", "shift_lead", number, "register", 409,
                          "invalid_state", allowed=[])
    # A second duplicate adds a supporter.
    second = desk.report(point=6)["number"]
    desk.must("shift_lead", second, "merge", target=target["number"])
    now = desk.read(target["number"])
    t.check(now["merged_cases"] == [number, second] and now["supporters"] == 3,
            f"merge: two merged cases, three supporters: {now['merged_cases']} "
            f"{now['supporters']}")
    return target["number"]


def check_cancel_and_callbacks(desk):
    t = desk.t
    case = desk.new_case("registered", point=7)
    number = case["number"]
    after = desk.must("shift_lead", number, "cancel", reason="市民撤回诉求")
    t.check(after["state"] == "cancelled" and after["version"] == case["version"] + 1,
            f"cancel: {after['state']} v{after['version']}")
    last = after["steps"][-1]
    t.check(last["finished_at"] is not None and last["on_time"] is None
            and last["light"] == "none",
            f"cancel: the running step stops without a verdict: {last}")
    event = desk.events(number)[-1]
    t.check(event.get("action") == "cancel" and event.get("note") == "市民撤回诉求"
            and event.get("from_state") == "registered" and event.get("to_state") == "cancelled"
            and event.get("on_time") is None and event.get("step_due_at") == case["due_at"],
            f"cancel: event {event}")
    Refusals(desk).expect("dispatch a cancelled case", "dispatcher", number, "dispatch", 409,
                          "invalid_state", allowed=[], department=HANDLER_DEPARTMENT)

    # Dissatisfied, and the category reopens.
    t.check(TAXONOMY_ROWS[WALK_CATEGORY]["reopen_on_dissatisfied"] == "true",
            "taxonomy: 01006 reopens on a dissatisfied callback")
    closed = desk.new_case("closed", point=8)
    after = desk.must("intake_clerk", closed["number"], "callback", satisfaction="dissatisfied")
    at = after["event"]["at"]
    handle = limit_text(WALK_CATEGORY, "normal", "handle")
    t.check(after["state"] == "in_progress" and after["reopen_count"] == 1
            and after["version"] == closed["version"] + 1
            and after["satisfaction"] == "dissatisfied",
            f"reopen: {after['state']} reopen_count {after['reopen_count']} "
            f"v{after['version']}")
    t.check(after["step"] == "handle" and after["due_at"] == due_after(at, handle),
            f"reopen: a new handling step due {after['due_at']}, expected "
            f"{due_after(at, handle)}")
    t.check(after["steps"][-2]["step"] == "callback" and after["steps"][-2]["on_time"] is True,
            "reopen: the callback step is finished on time")
    event = after["event"]
    t.check(event.get("from_state") == "closed" and event.get("to_state") == "in_progress",
            f"reopen: event closed -> in_progress: {event}")
    handler_view = desk.read(closed["number"], "department_handler")[1]
    t.check("report_handling" in handler_view.get("allowed_actions", []),
            f"reopen: the department may report handling again: "
            f"{handler_view.get('allowed_actions')}")

    # Dissatisfied, and the category does not reopen.
    t.check(TAXONOMY_ROWS[NO_REOPEN_CATEGORY]["reopen_on_dissatisfied"] == "false",
            "taxonomy: 06044 does not reopen")
    closed = desk.new_case("closed", category=NO_REOPEN_CATEGORY, point=9)
    after = desk.must("intake_clerk", closed["number"], "callback", satisfaction="dissatisfied")
    t.check(after["state"] == "closed" and after["reopen_count"] == 0
            and after["satisfaction"] == "dissatisfied"
            and after["steps"][-1]["finished_at"] is not None,
            f"no reopen: {after['state']} reopen_count {after['reopen_count']}")
    return number


# ---------------------------------------------------------------- extensions and co-handling

def check_extension_lapses(desk):
    """An extension asked for the handling step must not reach the step after it."""
    t = desk.t
    number = desk.new_case("in_progress", point=13)["number"]
    desk.must("department_handler", number, "request_extension", reason="需协调停水",
              until=wt.rfc3339(now_cst().replace(microsecond=0) + dt.timedelta(days=15)))
    handled = desk.must("department_handler", number, "report_handling", note="已更换井盖")
    verify_due = due_after(handled["event"]["at"], limit_text(WALK_CATEGORY, "normal", "verify"))
    t.check(handled["due_at"] == verify_due,
            f"extension: the verify step is due {handled['due_at']}, expected {verify_due}")
    status, answer = desk.act("shift_lead", number, "approve_extension")
    after = desk.read(number)
    t.check(after["due_at"] == verify_due and after["extension_count"] == 0,
            f"extension: approving the handling step's request after handling must not move "
            f"the verify step (POST approve_extension answered {status}, due "
            f"{after['due_at']}, expected {verify_due}; extension_count "
            f"{after['extension_count']})")


def check_co_department(desk):
    """A co-handling department may neither sign for nor return the lead's case."""
    t = desk.t
    number = desk.report(point=14)["number"]
    desk.must("shift_lead", number, "register")
    desk.must("dispatcher", number, "dispatch", department="sanitation",
              co_departments=[HANDLER_DEPARTMENT])
    r = Refusals(desk)
    r.expect("co-department signs", "department_handler", number, "sign", 403,
             "not_lead_department")
    before = desk.read(number)
    status, answer = desk.act("department_handler", number, "return", reason="不归我们管")
    after = desk.read(number)
    t.check(status == 403 and after["state"] == "dispatched"
            and after["version"] == before["version"],
            f"co-department returns the lead's case: expected 403, got {status} "
            f"{answer.get('code')}; case {before['state']} -> {after['state']}")


# ---------------------------------------------------------------- 6. scope and personal data

def check_scope(desk, numbers):
    t = desk.t
    # A case led by another department with city_mgmt co-handling, and one without it.
    co = desk.report(point=10)["number"]
    desk.must("shift_lead", co, "register")
    desk.must("dispatcher", co, "dispatch", department="sanitation",
              co_departments=[HANDLER_DEPARTMENT])
    other = desk.report(point=11)["number"]
    desk.must("shift_lead", other, "register")
    desk.must("dispatcher", other, "dispatch", department="sanitation")

    items, pages = desk.list_all("", "department_handler", limit=50)
    t.check(len(items) > 0, f"the handler lists some cases ({len(items)} in {pages} pages)")
    outside = [i["number"] for i in items
               if i["department"] != HANDLER_DEPARTMENT
               and HANDLER_DEPARTMENT not in i["co_departments"]]
    t.check(not outside, f"the handler lists only city_mgmt cases; outside: {outside[:5]}")
    listed = {i["number"] for i in items}
    t.check(co in listed, "the handler lists a case it co-handles")
    t.check(other not in listed, "the handler does not list another department's case")
    t.check(numbers["in_progress"] in listed, "the handler lists a case it leads")
    status, body = desk.read(co, "department_handler")
    t.check(status == 200, f"the handler reads a co-handled case: {status}")
    status, body = desk.read(other, "department_handler")
    t.check(status == 403 and body.get("code") == "out_of_scope",
            f"the handler reading another department's case: 403 out_of_scope, got {status} "
            f"{body.get('code')}")
    everyone, _ = desk.list_all("", "viewer")
    foreign = next((c["number"] for c in everyone if c["department"] != HANDLER_DEPARTMENT
                    and HANDLER_DEPARTMENT not in c["co_departments"]
                    and c["number"] != other), None)
    t.check(foreign is not None, "the demo data holds cases of other departments")
    if foreign:
        status, body = desk.read(foreign, "department_handler")
        t.check(status == 403 and body.get("code") == "out_of_scope",
                f"the handler reading demo case {foreign}: 403 out_of_scope, got {status}")
    t.check(len(everyone) > len(items), "the viewer sees more cases than the handler")
    Refusals(desk).expect("the handler acting on another department's case",
                          "department_handler", other, "sign", 403, "out_of_scope")
    # The history is part of the case: out of scope too.
    status, body = desk.events(other, "department_handler")
    t.check(status == 403 and body.get("code") == "out_of_scope",
            f"the handler reading another department's case history: 403 out_of_scope, got "
            f"{status} {body.get('code') if isinstance(body, dict) else body}")
    status, body = desk.events(other, bearer("A" * 43))
    t.check(status == 401,
            f"a case history with a forged token: 401, got {status}")

    status, _, me = desk.server.get("/api/v1/me", headers=bearer(desk.tokens["grid_worker"]))
    grids = set(me.get("grids", []))
    t.check(status == 200 and grids, f"the grid worker has grids: {len(grids)}")
    items, _ = desk.list_all("", "grid_worker")
    t.check(len(items) > 0, f"the grid worker lists some cases: {len(items)}")
    outside = [i["number"] for i in items
               if i["unit_grid"] not in grids and i["governance_grid"] not in grids]
    t.check(not outside, f"the grid worker lists only its grids' cases; outside: {outside[:5]}")
    t.check(numbers["reported"] in {i["number"] for i in items},
            "the grid worker lists a case reported in its grid")

    # Personal data.
    number = numbers["in_progress"]
    for who in (None, "viewer", "department_handler", "inspector", "grid_worker", "admin"):
        if who is None:
            status, body = 200, desk.read(number)
        else:
            status, body = desk.read(number, who)
        reporter = body.get("reporter", {})
        t.check(status == 200 and reporter.get("phone") == MASKED_PHONE
                and reporter.get("name") == MASKED_NAME,
                f"{who or 'anonymous'} sees the reporter masked: {status} {reporter}")
    t.check(not [e for e in desk.events(number) if e.get("action") == "view_personal_data"],
            "masked reads leave no personal-data entry")
    for who in PERSONAL_DATA_ROLES:
        status, body = desk.read(number, who)
        reporter = body.get("reporter", {})
        t.check(status == 200 and reporter.get("phone") == PHONE
                and reporter.get("name") == NAME,
                f"{who} sees the reporter in clear: {status} {reporter}")
    status, body = desk.read(number, "dispatcher")
    views = [e for e in desk.events(number) if e.get("action") == "view_personal_data"]
    got = [e.get("actor") for e in views]
    want = PERSONAL_DATA_ROLES + ["dispatcher"]
    t.check(got == want, f"each clear read is in the history, in order: {got}, expected {want}")
    t.check(all(e.get("at") for e in views), "each personal-data entry has a time")
    items = desk.events(number)
    ats = [wt.parse(e["at"]) for e in items]
    t.check(ats == sorted(ats), "the history is in time order")
    status, _, page = desk.server.get("/api/v1/cases?limit=100",
                                      headers=bearer(desk.tokens["viewer"]))
    t.check(status == 200 and all(i["reporter"]["phone"] in ("", MASKED_PHONE)
                                  or "*" in i["reporter"]["phone"] for i in page["items"]),
            "the viewer's list shows no phone in clear")


# ---------------------------------------------------------------- 7. lists

def check_lists(desk):
    t = desk.t
    red, _ = desk.list_all("light=red", "viewer")
    now = now_cst()
    t.check(len(red) > 0, f"the demo data has overdue cases: {len(red)}")
    late = [i["number"] for i in red if wt.parse(i["due_at"]) >= now]
    t.check(not late, f"?light=red: every due_at is past: {late[:5]}")
    not_red = [(i["number"], i["light"]) for i in red if i["light"] != "red"]
    t.check(not not_red, f"?light=red: every item's light is red: {not_red[:5]}")
    everyone, _ = desk.list_all("", "viewer")
    red_open = {i["number"] for i in everyone if i["light"] == "red"
                and i["state"] not in ("closed", "rejected", "merged", "cancelled")}
    missing = red_open - {i["number"] for i in red}
    t.check(not missing, f"?light=red lists every open red case; missing {sorted(missing)[:5]}")

    by_due, _ = desk.list_all("sort=due_at", "viewer")
    dues = [wt.parse(i["due_at"]) for i in by_due]
    t.check(dues == sorted(dues), "?sort=due_at is ascending by due_at")
    t.check(len(by_due) == len(everyone),
            f"?sort=due_at lists every case: {len(by_due)} of {len(everyone)}")
    paged, pages = desk.list_all("sort=due_at", "viewer", limit=7)
    numbers = [i["number"] for i in paged]
    t.check(pages > 2, f"paging by due time takes several pages: {pages}")
    t.check(len(numbers) == len(set(numbers)),
            f"paging by due time repeats nothing: {len(numbers) - len(set(numbers))} repeats")
    t.check(set(numbers) == {i["number"] for i in everyone},
            "paging by due time reaches every case")
    t.check(numbers == [i["number"] for i in by_due],
            "pages of 7 give the same order as pages of 100")
    pdues = [wt.parse(i["due_at"]) for i in paged]
    t.check(pdues == sorted(pdues), "paged by due time: ascending across pages")

    red_due, _ = desk.list_all("light=red&sort=due_at", "viewer", limit=5)
    expected = [i["number"] for i in sorted(red, key=lambda i: (wt.parse(i["due_at"]),
                                                                 i["number"]))]
    t.check([i["number"] for i in red_due] == expected,
            "?light=red&sort=due_at pages the red cases in due order")

    suspended, _ = desk.list_all("suspended=true", "viewer")
    t.check(all(i["suspended"] is True for i in suspended),
            "?suspended=true lists only suspended cases")
    t.check({i["number"] for i in suspended} ==
            {i["number"] for i in everyone if i["suspended"]},
            "?suspended=true lists every suspended case")


def main():
    t = Checks()
    with Server(extra_args=["--log-level", "warn"]) as server:
        desk = Desk(server, t)
        closed = check_walk(desk)
        numbers = check_refusals(desk, closed)

        # 3. Suspension: the handling step counts working days (shifted in office time);
        # an urgent case counts natural hours.
        check_suspension(desk, "suspend (working days)", desk.read(numbers["in_progress"]))
        urgent = desk.new_case("registered", urgency="urgent", point=12)
        t.check(urgent["step_limit"] == limit_text(WALK_CATEGORY, "urgent", "dispatch")
                and urgent["step_limit"].endswith("nh"),
                f"urgent dispatch limit {urgent['step_limit']}")
        check_suspension(desk, "suspend (natural hours)", urgent)
        check_suspension(desk, "suspend (working hours)", desk.read(numbers["reported"]))
        # One case left suspended for the list filters.
        desk.must("shift_lead", numbers["registered"], "suspend", reason="等待市民补充材料")

        check_merge(desk)
        check_cancel_and_callbacks(desk)
        check_extension_lapses(desk)
        check_co_department(desk)
        check_scope(desk, numbers)
        check_lists(desk)
    t.finish()


if __name__ == "__main__":
    main()
