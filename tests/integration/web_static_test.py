"""End to end: `cityops serve` answers the web app's files beside the API.

A temporary web root with a fake index.html and one asset stands in for web/dist (named by
a --config file); the checks cover content types, cache headers, the index.html fallback for
client-side routes, refusals of traversal, API 404s that stay problems, HEAD, and the
client configuration computed from the demo district outline.
"""

import http.client
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server  # noqa: E402

INDEX = "<!doctype html><html><body>fake app</body></html>"
SCRIPT = "console.log('x')"
TILE_URL = "https://{s}.tiles.invalid/{z}/{x}/{y}.png"


def raw_get(server, path, method="GET"):
    """Sends `path` exactly as given (urllib would normalise dots away)."""
    host, port = server.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest(method, path, skip_accept_encoding=True)
    conn.endheaders()
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, {k.lower(): v for k, v in res.getheaders()}, body


def ring_box(geometry):
    points = []
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [
        geometry["coordinates"]]
    for polygon in polygons:
        points.extend(polygon[0])
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


def check_files(t, server):
    status, headers, body = raw_get(server, "/assets/x.js")
    t.check(status == 200 and body.decode() == SCRIPT, f"asset served: {status}")
    t.check(headers.get("content-type") == "text/javascript; charset=utf-8",
            f"asset type {headers.get('content-type')}")
    t.check(headers.get("cache-control") == "public, max-age=31536000, immutable",
            f"asset cache {headers.get('cache-control')}")

    for path in ["/", "/cases/123", "/report", "/lookup/130304-20261204-000001"]:
        status, headers, body = raw_get(server, path)
        t.check(status == 200 and body.decode() == INDEX, f"{path} serves index.html: {status}")
        t.check(headers.get("content-type") == "text/html; charset=utf-8",
                f"{path} type {headers.get('content-type')}")
        t.check(headers.get("cache-control") == "no-cache",
                f"{path} cache {headers.get('cache-control')}")

    status, headers, body = raw_get(server, "/assets/missing.js")
    t.check(status == 404 and headers.get("content-type") == "application/problem+json"
            and json.loads(body).get("code") == "file_not_found",
            f"missing asset is a 404 problem: {status} {body[:80]}")

    for path in ["/../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/assets/..%2f..%2findex.html", "/.hidden"]:
        status, headers, body = raw_get(server, path)
        t.check(status in (400, 404) and b"root:" not in body
                and headers.get("content-type") == "application/problem+json",
                f"{path} refused: {status} {body[:80]}")

    for path in ["/api/v1/nothing", "/api/v1/cases/x/y/z", "/api", "/metrics/x"]:
        status, headers, body = raw_get(server, path)
        t.check(status == 404 and json.loads(body).get("code") == "no_such_route",
                f"{path} stays an API 404: {status} {body[:80]}")
    # Open311 answers its own errors in its own formats, never the app.
    status, headers, body = raw_get(server, "/open311/v2/nothing")
    t.check(status == 404 and body.decode() != INDEX, f"Open311 404 stays its own: {status}")

    status, headers, body = raw_get(server, "/assets/x.js", method="HEAD")
    t.check(status == 200 and body == b"" and headers.get("content-length") == str(len(SCRIPT))
            and headers.get("content-type") == "text/javascript; charset=utf-8",
            f"HEAD of an asset: {status} {headers}")
    status, headers, body = raw_get(server, "/cases/123", method="HEAD")
    t.check(status == 200 and body == b"" and headers.get("content-length") == str(len(INDEX)),
            f"HEAD of a page: {status}")

    # Other methods on page paths are still the API's 404 answers.
    status, headers, body = server.request("POST", "/cases/123", body={})
    t.check(status == 404 and body.get("code") == "no_such_route", f"POST on a page: {status}")


def check_client_config(t, server):
    status, headers, body = server.get("/api/v1/client-config")
    t.check(status == 200, f"client-config answers 200: {status} {body}")
    if status != 200:
        return
    district, map_ = body["district"], body["map"]
    t.check(district["code"] == "130304" and district["name"] == "北戴河区",
            f"district code and name {district['code']} {district['name']}")
    _, _, regions = server.get("/api/v1/regions?layer=district")
    features = [f for f in regions["features"] if f["properties"]["code"] == "130304"]
    t.check(len(features) == 1, f"one demo district region: {len(features)}")
    if features:
        west, south, east, north = ring_box(features[0]["geometry"])
        bounds = district["bounds"]
        t.check(all(abs(a - b) < 1e-6 for a, b in zip(bounds, [west, south, east, north])),
                f"bounds {bounds} vs {[west, south, east, north]}")
        center = district["center"]
        t.check(abs(center[0] - (west + east) / 2) < 1e-6
                and abs(center[1] - (south + north) / 2) < 1e-6, f"center {center}")
        t.check(119.3 < center[0] < 119.6 and 39.7 < center[1] < 39.9,
                f"center lies in Beidaihe: {center}")
    t.check(map_ == {"tile_url": TILE_URL, "tile_datum": "gcj02", "attribution": "test tiles",
                     "max_zoom": 17, "subdomains": ["a", "b"]}, f"map settings {map_}")
    status, _, body = server.get("/api/v1/client-config?x=1")
    t.check(status == 400 and body.get("code") == "unknown_parameter",
            f"unknown parameter refused: {status}")


def check_not_built(t):
    """A root without index.html says how to build the pages."""
    with tempfile.TemporaryDirectory(prefix="cityops-web-") as root:
        config = os.path.join(root, "cityops.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"[web]\nroot = \"{os.path.join(root, 'dist')}\"\n")
        with Server(demo=False, extra_args=["--config", config, "--log-level", "warn"]) as server:
            status, headers, body = raw_get(server, "/")
            t.check(status == 200 and b"scripts/setup-web.sh" in body
                    and headers.get("content-type") == "text/html; charset=utf-8",
                    f"unbuilt app explained: {status} {body[:80]}")
            status, _, body = server.get("/api/v1/client-config")
            t.check(status == 200 and body["district"]["center"] is None
                    and body["district"]["bounds"] is None and body["map"]["tile_url"] is None,
                    f"client-config without regions: {status} {body}")


def main():
    t = Checks()
    with tempfile.TemporaryDirectory(prefix="cityops-web-") as root:
        dist = os.path.join(root, "dist")
        os.makedirs(os.path.join(dist, "assets"))
        with open(os.path.join(dist, "index.html"), "w", encoding="utf-8") as f:
            f.write(INDEX)
        with open(os.path.join(dist, "assets", "x.js"), "w", encoding="utf-8") as f:
            f.write(SCRIPT)
        with open(os.path.join(root, "passwd"), "w", encoding="utf-8") as f:
            f.write("root:x:0:0")
        config = os.path.join(root, "cityops.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"[web]\nroot = \"{dist}\"\n[map]\ntile_url = \"{TILE_URL}\"\n"
                    "tile_datum = \"gcj02\"\nattribution = \"test tiles\"\nmax_zoom = 17\n"
                    "subdomains = [\"a\", \"b\"]\n")
        with Server(extra_args=["--config", config, "--log-level", "warn"]) as server:
            check_files(t, server)
            check_client_config(t, server)
            status, _, body = raw_get(server, "/passwd")
            t.check(body.decode() == INDEX, f"a file beside the root is not served: {status}")
    check_not_built(t)
    t.finish()


if __name__ == "__main__":
    main()
