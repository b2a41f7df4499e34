"""Starts a real `cityops serve` on a free loopback port for end-to-end tests."""

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77


def shared_data_dir():
    """The shared public data set, or None when this checkout has none beside it."""
    path = os.environ.get("CITYOPS_SHARED_DATA") or os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "shared", "data")
    return os.path.abspath(path) if os.path.isdir(path) else None


def require_shared_data():
    path = shared_data_dir()
    if path is None:
        print("SKIP: ../shared/data is absent; skipping real-data test")
        sys.exit(SKIP)
    return path


def binary():
    path = os.environ.get("CITYOPS_BIN") or os.path.join(
        os.path.dirname(__file__), "..", "..", "build", "cityops")
    if not os.path.exists(path):
        raise SystemExit(f"cityops binary not found at {path}; build first")
    return path


class Server:
    """A server process on its own temporary data directory; use as a context manager."""

    def __init__(self, demo=True, data_dir=None, extra_args=()):
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="cityops-e2e-")
        self.data_dir = data_dir or self._tmp.name
        self.demo = demo
        self.extra_args = list(extra_args)
        self.proc = None
        self.base = None
        self.log_tail = []

    def __enter__(self):
        args = [binary(), "serve", "--data", self.data_dir, "--listen", "127.0.0.1:0"]
        if self.demo:
            args.append("--demo")
        self.proc = subprocess.Popen(args + self.extra_args, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        # What the server printed before its address (the demo accounts, on a first start).
        self.startup_lines = []
        for line in self.proc.stdout:
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match:
                self.base = f"http://127.0.0.1:{match.group(1)}"
                break
            self.startup_lines.append(line)
        if self.base is None:
            raise RuntimeError("server did not report its address")
        # The server logs to stdout: keep reading it, or a full pipe would stall the server.
        self._drain = threading.Thread(target=self._drain_output, daemon=True)
        self._drain.start()
        return self

    def _drain_output(self):
        for line in self.proc.stdout:
            self.log_tail.append(line)
            del self.log_tail[:-50]

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = "killed after 10 s"
        if self._tmp:
            self._tmp.cleanup()
        # SIGTERM is an orderly stop: the server finishes and exits 0, never dies of the signal.
        if exc[0] is None and code != 0:
            raise AssertionError(f"server did not stop cleanly on SIGTERM: exit {code}")

    def request(self, method, path, body=None, headers=None, raw=None):
        """Returns (status, headers, parsed JSON or text)."""
        data = raw if raw is not None else (
            json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, dict(res.headers), _decode(res)
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), _decode(err)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def demo_users(self):
        """{role: (username, password)} from the table a first `serve --demo` prints."""
        users, in_table = {}, False
        for line in self.startup_lines:
            if line.startswith("demo users (shown once):"):
                in_table = True
                continue
            fields = line.split()
            if in_table and len(fields) == 3 and not line[:4].isdigit():
                users[fields[0]] = (fields[1], fields[2])
        return users


def _decode(res):
    text = res.read().decode("utf-8")
    if "json" in (res.headers.get("Content-Type") or ""):
        return json.loads(text)
    return text


class Checks:
    """Counts checks and prints the closing 'N passed, N failed' line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, label):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {label}")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def header(headers, name):
    """A response header by case-insensitive name, or None."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def walk_cases(server, query="", limit=100):
    """Every case a list query returns, following next_cursor; returns (items, pages)."""
    items, pages, cursor = [], 0, None
    while True:
        path = f"/api/v1/cases?limit={limit}" + (f"&{query}" if query else "")
        if cursor is not None:
            path += "&cursor=" + urllib.parse.quote(cursor, safe="")
        status, _, body = server.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body}")
        items.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages
        if pages > 100000:
            raise RuntimeError("list pagination does not end")
