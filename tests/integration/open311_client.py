"""A plain Open311 GeoReport v2 client for the end-to-end tests: form posts, and XML read
by Python's own parser (xml.etree), independent of the server's writer."""

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from cityops_server import binary

BASE = "/open311/v2"
# Moves a Cologne point into Beidaihe District (data/mappings/open311-cologne-services.csv).
COLOGNE_SCALE, COLOGNE_FROM, COLOGNE_TO = 0.25, (6.96, 50.95), (119.44, 39.85)


def cologne_to_district(lon, lat):
    return (COLOGNE_TO[0] + (lon - COLOGNE_FROM[0]) * COLOGNE_SCALE,
            COLOGNE_TO[1] + (lat - COLOGNE_FROM[1]) * COLOGNE_SCALE)


def create_key(data_dir, name, department=None):
    """Runs `cityops apikey create`; returns the key it prints alone on stdout."""
    args = [binary(), "apikey", "create", "--data", data_dir, "--name", name]
    if department:
        args += ["--department", department]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    if len(lines) != 1:
        raise RuntimeError(f"apikey create printed {len(lines)} lines: {out!r}")
    return lines[0]


def call(server, method, path, fields=None, raw=None, content_type=None, headers=None):
    """(status, headers, text) of one request; `fields` are sent form-encoded."""
    data = raw
    if fields is not None:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        content_type = content_type or "application/x-www-form-urlencoded"
    req = urllib.request.Request(server.base + path, data=data, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def parse(fmt, body):
    """The answer as Python values: JSON as is, XML through ElementTree."""
    if fmt == "json":
        return json.loads(body.decode("utf-8"))
    return ET.fromstring(body)


def xml_items(root, item):
    """A list element's children as dicts of their text (None for empty elements)."""
    return [{child.tag: child.text for child in node} for node in root.findall(item)]


def xml_error(body):
    root = ET.fromstring(body)
    error = root.find("error")
    return root.tag, int(error.findtext("code")), error.findtext("description")


def multipart(fields, files):
    """A multipart/form-data body: fields as (name, value), files as (name, filename, bytes)."""
    boundary = "cityops-test-boundary-7MA4YWxkTrZu0gW"
    out = bytearray()
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    for name, filename, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"
