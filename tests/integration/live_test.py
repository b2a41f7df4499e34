"""End to end: GET /api/v1/live streams case events as Server-Sent Events.

A dispatcher's stream sees a new report and a workflow action on it; a department handler of
another department does not see a case outside its scope; a bad token is refused; a stream
resumed with Last-Event-ID (or ?after=) gets the events since then, once each.
"""

import http.client
import json
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from cityops_server import Checks, Server  # noqa: E402

TIMEOUT = 10  # seconds an expected event may take; generous, as a loaded machine is slow
DEMO_COMMUNITY = "130304002003"
CATEGORY = "01006"  # led by city_mgmt


class Stream:
    """One open /api/v1/live connection, read on its own thread into a queue of messages."""

    def __init__(self, server, path, headers=None):
        host, port = server.base.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.conn.request("GET", path, headers=headers or {})
        self.res = self.conn.getresponse()
        self.status = self.res.status
        self.headers = {k.lower(): v for k, v in self.res.getheaders()}
        self.messages = queue.Queue()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.body = json.loads(self.res.read())

    def _read(self):
        message = {}
        try:
            for raw in self.res:
                line = raw.decode("utf-8").rstrip("\n")
                if line == "":
                    if message:
                        message["received"] = time.monotonic()
                        self.messages.put(message)
                    message = {}
                elif line.startswith(":"):
                    continue
                else:
                    key, _, value = line.partition(": ")
                    message[key] = value
        except (OSError, ValueError):
            pass

    def next(self, event=None, timeout=TIMEOUT):
        """The next message (of type `event`, skipping others), or None after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if event is None or message.get("event") == event:
                if "data" in message:
                    message["json"] = json.loads(message["data"])
                return message

    def close(self):
        self.conn.close()


def sign_in(server, role):
    username, password = server.demo_users()[role]
    status, _, body = server.post("/api/v1/sessions", {"username": username, "password": password})
    if status != 201:
        raise RuntimeError(f"{role} cannot sign in: {status} {body}")
    return body["token"]


def report(server, token, point):
    lon, lat = point
    status, _, body = server.post(
        "/api/v1/cases",
        {"category": CATEGORY, "description": "路灯井盖破损", "channel": "hotline",
         "location": {"lon": lon, "lat": lat, "datum": "wgs84"}},
        headers={"Authorization": f"Bearer {token}"})
    if status != 201:
        raise RuntimeError(f"report answered {status}: {body}")
    return body


def main():
    t = Checks()
    with Server(extra_args=["--log-level", "warn"]) as server:
        tokens = {role: sign_in(server, role)
                  for role in ("admin", "intake_clerk", "shift_lead", "dispatcher")}
        status, _, body = server.post(
            "/api/v1/users", {"username": "housing.li", "display_name": "李房", "password":
                              "housing-2026", "role": "department_handler",
                              "department": "housing"},
            headers={"Authorization": f"Bearer {tokens['admin']}"})
        if status != 201:
            raise RuntimeError(f"cannot create the housing handler: {status} {body}")
        status, _, body = server.post("/api/v1/sessions",
                                      {"username": "housing.li", "password": "housing-2026"})
        tokens["housing"] = body["token"]
        _, _, grids = server.get(f"/api/v1/regions?layer=unit_grid&parent={DEMO_COMMUNITY}")
        point = geo_util.interior_point(grids["features"][0]["geometry"])

        # A bad token, and none at all, are refused before any stream opens.
        bad = Stream(server, "/api/v1/live?access_token=not-a-token")
        t.check(bad.status == 401 and bad.body.get("code"), f"bad token: {bad.status}")
        none = Stream(server, "/api/v1/live")
        t.check(none.status == 401 and none.body.get("code") == "missing_token",
                f"no token: {none.status} {getattr(none, 'body', None)}")
        bad_after = Stream(server, f"/api/v1/live?access_token={tokens['dispatcher']}&after=x")
        t.check(bad_after.status == 400 and bad_after.body.get("field") == "after",
                f"bad after: {bad_after.status}")

        live = Stream(server, "/api/v1/live",
                      headers={"Authorization": f"Bearer {tokens['dispatcher']}"})
        t.check(live.status == 200 and live.headers.get("content-type") == "text/event-stream"
                and live.headers.get("cache-control") == "no-cache"
                and "content-length" not in live.headers, f"stream headers {live.headers}")
        # A handler of another department sees none of city_mgmt's new cases.
        other = Stream(server, f"/api/v1/live?access_token={tokens['housing']}")
        hello = live.next("hello")
        t.check(hello is not None and hello["json"]["last_event_id"] >= 0, f"hello {hello}")
        t.check(other.next("hello") is not None, "other handler's hello")

        sent = time.monotonic()
        case = report(server, tokens["intake_clerk"], point)
        event = live.next("case")
        t.check(event is not None, "the report arrives")
        if event:
            data = event["json"]
            print(f"report event after {event['received'] - sent:.3f} s")
            t.check(data["number"] == case["number"] and data["type"] == "report"
                    and data["state"] == "reported" and int(event["id"]) == data["id"]
                    and data["id"] > hello["json"]["last_event_id"], f"report event {data}")
            t.check(data["category"] == CATEGORY and data["class"] == CATEGORY[:2]
                    and data["category_name"] and data["light"] in ("green", "yellow", "red")
                    and abs(data["lon"] - case["location"]["lon"]) < 1e-9
                    and data["governance_grid"] == case["governance_grid"],
                    f"report event fields {data}")

        sent = time.monotonic()
        status, _, acted = server.post(f"/api/v1/cases/{case['number']}/register",
                                       {"version": case["version"]},
                                       headers={"Authorization": f"Bearer {tokens['shift_lead']}"})
        t.check(status == 200, f"register answered {status}: {acted}")
        action = live.next("case")
        t.check(action is not None, "the action arrives")
        if action:
            print(f"register event after {action['received'] - sent:.3f} s")
            t.check(action["json"]["number"] == case["number"]
                    and action["json"]["type"] == "register"
                    and action["json"]["state"] == "registered"
                    and action["json"]["event_state"] == "registered"
                    and action["json"]["id"] > event["json"]["id"], f"register {action['json']}")

        # The feed sends each event to every stream in one pass, so by now the housing
        # handler's stream would hold them too; the case is city_mgmt's, out of its scope.
        t.check(other.next("case", timeout=1) is None, "a housing handler sees no city_mgmt case")

        # Resuming after the report gets the register event only, once; ?after= does the same.
        resumed = Stream(server, "/api/v1/live", headers={
            "Authorization": f"Bearer {tokens['dispatcher']}",
            "Last-Event-ID": str(event["json"]["id"] if event else 0)})
        t.check(resumed.next("hello") is not None, "resumed hello")
        again = resumed.next("case")
        t.check(again is not None and action is not None and again["id"] == action["id"],
                f"resume sends the missed event: {again}")
        t.check(resumed.next("case", timeout=1.5) is None, "resume sends it once")
        by_query = Stream(server, f"/api/v1/live?access_token={tokens['dispatcher']}"
                          f"&after={hello['json']['last_event_id']}")
        ids = [m["id"] for m in (by_query.next("case"), by_query.next("case")) if m]
        t.check(ids == [event["id"], action["id"]] if event and action else False,
                f"?after= resumes both: {ids}")

        # A page opened now asks for the last events to show at once; two are the two above.
        recent = Stream(server, f"/api/v1/live?access_token={tokens['dispatcher']}&backlog=2")
        t.check(recent.next("hello") is not None, "backlog hello")
        got = [m for m in (recent.next("case"), recent.next("case")) if m]
        ids = [m["id"] for m in got]
        backlog_states = [m["json"]["event_state"] for m in got]
        t.check(ids == [event["id"], action["id"]] if event and action else False,
                f"backlog=2 starts with the last two events: {ids}")
        t.check(backlog_states == ["reported", "registered"],
                f"backlog events carry the state each left the case in: {backlog_states}")
        for bad in ("101", "-1", "x"):
            status, _, body = server.get(f"/api/v1/live?access_token={tokens['dispatcher']}"
                                         f"&backlog={bad}")
            t.check(status == 400 and body.get("field") == "backlog",
                    f"backlog={bad} refused: {status} {body}")

        status, _, metrics = server.get("/metrics")
        t.check("cityops_live_streams " in metrics, "open streams counted")
        for stream in (live, other, resumed, by_query, recent):
            stream.close()
    t.finish()


if __name__ == "__main__":
    main()
