"""End to end: /api/v1/photos. JPEG, PNG and WebP photos made here with Pillow, with and
without EXIF time and GPS written here, come back with those values; thumbnails are JPEGs of
at most 320 px with the photo's aspect; a broken EXIF block, text, and a photo over the
configured size are refused and leave no file; the same photo twice is stored once; only the
uploader, roles that see every case and those who see a case naming the photo may read it;
answers carry caching headers and a matching If-None-Match gets 304."""

import datetime
import hashlib
import io
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request

try:
    from PIL import Image
except ImportError:
    # Debian's python3-pil belongs to the system interpreter; another one on PATH lacks it.
    if os.path.exists("/usr/bin/python3") and not os.environ.get("CITYOPS_PHOTOS_REEXEC"):
        os.environ["CITYOPS_PHOTOS_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("SKIP: Pillow (Debian package python3-pil) is not installed")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(__file__))
from cityops_server import Checks, Server, header  # noqa: E402

MAX_BYTES = 300_000
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def call(server, method, path, data=None, headers=None):
    """(status, headers, body bytes) for any answer, errors included."""
    req = urllib.request.Request(server.base + path, data=data, method=method)
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def as_json(body):
    return json.loads(body.decode("utf-8"))


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def halves(size):
    """Left half red, right half blue."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def exif_bytes(when=None, offset=None, gps=None, orientation=None):
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if when:
        exif[0x8769] = {0x9003: when, **({0x9011: offset} if offset else {})}
    if gps:
        (lat_ref, lat), (lon_ref, lon) = gps
        exif[0x8825] = {1: lat_ref, 2: lat, 3: lon_ref, 4: lon}
    return exif.tobytes()


def encode(image, fmt, exif=None):
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def degrees(dms, ref):
    value = dms[0] + dms[1] / 60 + dms[2] / 3600
    return -value if ref in ("S", "W") else value


def files_under(path):
    return sum(len(files) for _, _, files in os.walk(path))


def upload(server, token, data, content_type="application/octet-stream"):
    status, headers, body = call(server, "POST", "/api/v1/photos", data,
                                 {**bearer(token), "Content-Type": content_type})
    return status, headers, as_json(body)


def multipart(name, filename, content_type, data):
    boundary = "----cityops-photo-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def check_exif_round_trip(t, server, token):
    gps = (("N", (39.0, 49.0, 30.6)), ("E", (119.0, 29.0, 12.5)))
    south_west = (("S", (33.0, 52.0, 4.5)), ("W", (70.0, 40.0, 1.25)))
    cases = [
        ("JPEG, +02:00", "JPEG", exif_bytes("2026:05:01 09:30:15", "+02:00", gps),
         datetime.datetime(2026, 5, 1, 9, 30, 15, tzinfo=datetime.timezone(
             datetime.timedelta(hours=2))), gps),
        ("PNG, no offset", "PNG", exif_bytes("2025:12:31 23:59:59", None, south_west),
         datetime.datetime(2025, 12, 31, 23, 59, 59, tzinfo=CHINA), south_west),
        ("WebP", "WEBP", exif_bytes("2026:02:28 06:00:00", "+08:00", gps),
         datetime.datetime(2026, 2, 28, 6, 0, 0, tzinfo=CHINA), gps),
        ("JPEG without EXIF", "JPEG", None, None, None),
        ("PNG, time only", "PNG", exif_bytes("2026:03:01 12:00:00"),
         datetime.datetime(2026, 3, 1, 12, tzinfo=CHINA), None),
    ]
    for label, fmt, exif, when, where in cases:
        data = encode(halves((1200, 800)), fmt, exif)
        status, _, body = upload(server, token, data)
        t.check(status == 201, f"{label}: 201: {status} {body}")
        if status != 201:
            continue
        digest = hashlib.sha256(data).hexdigest()
        ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        t.check(body["name"] == f"{digest}.{ext}", f"{label}: named by SHA-256: {body['name']}")
        mime = "image/" + {"jpg": "jpeg"}.get(ext, ext)
        t.check(body["content_type"] == mime,
                f"{label}: content type {body['content_type']}")
        t.check((body["width"], body["height"], body["size"]) == (1200, 800, len(data)),
                f"{label}: size and dimensions: {body}")
        t.check(body["existed"] is False, f"{label}: new")
        if when is None:
            t.check(body["taken_at"] is None, f"{label}: no time: {body['taken_at']}")
        else:
            got = datetime.datetime.fromisoformat(body["taken_at"])
            t.check(got == when, f"{label}: taken_at {got} == {when}")
        if where is None:
            t.check(body["location"] is None, f"{label}: no location: {body['location']}")
        else:
            (lat_ref, lat), (lon_ref, lon) = where
            loc = body["location"] or {}
            t.check(abs(loc.get("lat", 0) - degrees(lat, lat_ref)) < 1e-9 and
                    abs(loc.get("lon", 0) - degrees(lon, lon_ref)) < 1e-9,
                    f"{label}: location {loc} vs {degrees(lat, lat_ref)}, {degrees(lon, lon_ref)}")
        status, _, meta = call(server, "GET", body["url"] + "/meta", headers=bearer(token))
        t.check(status == 200 and as_json(meta)["taken_at"] == body["taken_at"] and
                as_json(meta)["location"] == body["location"], f"{label}: meta agrees")


def check_thumbnail_and_caching(t, server, token):
    for size, orientation, want in [((1200, 800), None, (320, 213)),
                                    ((500, 1500), None, (107, 320)),
                                    ((200, 100), None, (200, 100)),
                                    ((1200, 800), 6, (213, 320))]:
        data = encode(halves(size), "JPEG", exif_bytes(orientation=orientation)
                      if orientation else None)
        status, _, body = upload(server, token, data)
        t.check(status == 201, f"thumbnail source {size}: {status}")
        status, headers, thumb = call(server, "GET", body["thumbnail_url"], headers=bearer(token))
        t.check(status == 200 and header(headers, "Content-Type") == "image/jpeg",
                f"thumbnail {size}: 200 image/jpeg: {status}")
        image = Image.open(io.BytesIO(thumb))
        t.check(image.format == "JPEG" and image.size == want,
                f"thumbnail of {size} orientation {orientation}: {image.format} {image.size}"
                f" == {want}")
        if orientation == 6:
            # Turned a quarter clockwise, the red left half is on top.
            top, bottom = image.convert("RGB").getpixel((want[0] // 2, 10)), \
                image.convert("RGB").getpixel((want[0] // 2, want[1] - 10))
            t.check(top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60,
                    f"orientation 6 stands the photo up: top {top} bottom {bottom}")

    data = encode(halves((300, 300)), "PNG")
    _, _, body = upload(server, token, data)
    status, headers, got = call(server, "GET", body["url"], headers=bearer(token))
    etag = header(headers, "ETag")
    t.check(status == 200 and got == data, "the original comes back byte for byte")
    t.check(header(headers, "Content-Type") == "image/png", "original's content type")
    t.check(etag == f'"{body["name"]}"', f"ETag is the name: {etag}")
    cache = header(headers, "Cache-Control") or ""
    t.check("private" in cache and "immutable" in cache and "max-age=31536000" in cache,
            f"Cache-Control: {cache}")
    t.check(header(headers, "X-Content-Type-Options") == "nosniff", "nosniff")
    status, headers, got = call(server, "GET", body["url"],
                                headers={**bearer(token), "If-None-Match": etag})
    t.check(status == 304 and got == b"", f"If-None-Match answers 304: {status}")
    status, _, _ = call(server, "GET", body["url"],
                        headers={**bearer(token), "If-None-Match": '"other"'})
    t.check(status == 200, f"another ETag answers 200: {status}")


def check_refusals(t, server, token, photos_dir):
    before = files_under(photos_dir)
    plain = encode(halves((400, 300)), "JPEG")
    # An APP1 Exif segment right after SOI whose IFD0 offset points past its end.
    tiff = b"II*\x00" + (0x1000).to_bytes(4, "little") + b"\x00" * 8
    segment = b"Exif\x00\x00" + tiff
    broken = plain[:2] + b"\xFF\xE1" + (len(segment) + 2).to_bytes(2, "big") + segment + plain[2:]
    text = "这不是照片, just text\n".encode() * 20
    form, form_type = multipart("photo", "report.jpg", "image/jpeg", text)
    # 2 MiB: past the server's 1 MiB body limit, which photo uploads may exceed, so the
    # refusal comes from the photo check (media_too_large), not the transport.
    too_big = encode(halves((64, 64)), "JPEG") + b"\x00" * (2 << 20)
    cases = [("broken EXIF", broken, "application/octet-stream", 400, "broken_exif"),
             ("text named .jpg", form, form_type, 415, "not_an_image"),
             ("empty", b"", "image/jpeg", 400, "empty_media"),
             ("over media.max_bytes", too_big, "image/jpeg", 413, "media_too_large"),
             ("cut short", plain[:len(plain) // 2], "image/jpeg", 400, "broken_image")]
    for label, data, content_type, want_status, code in cases:
        status, headers, body = upload(server, token, data, content_type)
        t.check(status == want_status and body.get("code") == code and
                body.get("field") == "photo", f"{label}: {status} {body}")
        t.check("problem+json" in (header(headers, "Content-Type") or ""),
                f"{label}: a problem: {header(headers, 'Content-Type')}")
    t.check(files_under(photos_dir) == before,
            f"refused photos leave no file: {before} -> {files_under(photos_dir)}")
    name = hashlib.sha256(broken).hexdigest() + ".jpg"
    status, _, _ = call(server, "GET", f"/api/v1/photos/{name}", headers=bearer(token))
    t.check(status == 404, f"the broken photo is not there: {status}")

    data = encode(halves((640, 480)), "WEBP")
    form, form_type = multipart("photo", "scene.webp", "image/webp", data)
    status, _, body = upload(server, token, form, form_type)
    t.check(status == 201 and body["name"] == hashlib.sha256(data).hexdigest() + ".webp",
            f"multipart part 'photo' is the photo: {status} {body}")
    form, form_type = multipart("picture", "scene.webp", "image/webp", data)
    status, _, body = upload(server, token, form, form_type)
    t.check(status == 400 and body.get("field") == "photo", f"no part 'photo': {status} {body}")


def check_dedupe_and_access(t, server, tokens, photos_dir):
    worker, handler, supervisor = (tokens[r] for r in ("grid_worker", "department_handler",
                                                       "supervisor"))
    data = encode(halves((800, 600)), "JPEG", exif_bytes("2026:05:02 08:00:00"))
    status, _, first = upload(server, worker, data)
    t.check(status == 201 and first["existed"] is False, f"first upload: {status}")
    files = files_under(photos_dir)
    status, _, again = upload(server, supervisor, data)
    t.check(status == 201 and again["existed"] is True and again["name"] == first["name"],
            f"the same photo again: existed: {status} {again}")
    t.check(again["uploaded_by"] == first["uploaded_by"], "the first record is kept")
    t.check(files_under(photos_dir) == files, "the same photo is stored once")

    for suffix in ("", "/thumbnail", "/meta"):
        path = first["url"] + suffix
        for role, token, want in [("grid_worker", worker, 200), ("supervisor", supervisor, 200),
                                  ("department_handler", handler, 404)]:
            status, _, _ = call(server, "GET", path, headers=bearer(token))
            t.check(status == want, f"{role} GET {suffix or '/'}: {status} (want {want})")
        status, headers, _ = call(server, "GET", path)
        t.check(status == 401 and header(headers, "WWW-Authenticate"), f"no token: {status}")
    status, _, _ = call(server, "GET", "/api/v1/photos/" + "0" * 64 + ".jpg",
                        headers=bearer(supervisor))
    t.check(status == 404, f"an unknown photo is 404 for anyone: {status}")
    status, _, _ = call(server, "POST", "/api/v1/photos", data, {"Content-Type": "image/jpeg"})
    t.check(status == 401, f"uploading needs a token: {status}")

    # Nobody gains sight of a photo by naming it in a case or an action of their own.
    for who, token in (("department_handler", handler), ("anonymous", None)):
        probe = {"category": "09001", "description": "借用他人照片",
                 "location": {"lon": 119.4912, "lat": 39.8125, "datum": "wgs84"},
                 "channel": "hotline", "photos": ["x", first["name"]]}
        status, _, body = call(server, "POST", "/api/v1/cases", json.dumps(probe).encode(),
                               {**(bearer(token) if token else {}),
                                "Content-Type": "application/json"})
        body = as_json(body)
        t.check(status == 400 and body.get("code") == "unknown_photo"
                and body.get("field") == "photos[0]", f"{who} names others' photos: {status} {body}")
    status, _, _ = call(server, "GET", first["url"], headers=bearer(handler))
    t.check(status == 404, f"the refused case gave the handler no sight of it: {status}")

    # A case that names the photo by its URL lets its lead department's handler see it (the
    # district's routing sends street vendors, 09001, to city_mgmt).
    _, _, me = call(server, "GET", "/api/v1/me", headers=bearer(handler))
    department = as_json(me)["department"]
    report = {"category": "09001", "description": "海滨路有流动摊贩占道经营",
              "location": {"lon": 119.4912, "lat": 39.8125, "datum": "wgs84"},
              "channel": "hotline", "urgency": "normal", "photos": [first["url"]],
              "reporter": {"name": "张三", "phone": "13812345678"}}
    status, _, created = call(server, "POST", "/api/v1/cases", json.dumps(report).encode(),
                              {**bearer(supervisor), "Content-Type": "application/json"})
    created = as_json(created)
    t.check(status == 201 and created.get("department") == department == "city_mgmt",
            f"a case naming the photo, led by the handler's department: {status} {created}")
    for suffix in ("", "/thumbnail", "/meta"):
        status, _, _ = call(server, "GET", first["url"] + suffix, headers=bearer(handler))
        t.check(status == 200, f"the handler of a case naming the photo: {suffix}: {status}")


def main():
    t = Checks()
    with tempfile.TemporaryDirectory(prefix="cityops-photos-") as data_dir:
        with open(os.path.join(data_dir, "cityops.toml"), "w") as config:
            config.write(f"[media]\nmax_bytes = {MAX_BYTES}\n")
        with Server(demo=True, data_dir=data_dir) as server:
            users = server.demo_users()
            tokens = {}
            for role in ("grid_worker", "department_handler", "supervisor"):
                username, password = users[role]
                status, _, body = server.post("/api/v1/sessions",
                                              {"username": username, "password": password})
                tokens[role] = body["token"]
            photos_dir = os.path.join(data_dir, "photos")
            check_exif_round_trip(t, server, tokens["grid_worker"])
            check_thumbnail_and_caching(t, server, tokens["grid_worker"])
            check_refusals(t, server, tokens["grid_worker"], photos_dir)
            check_dedupe_and_access(t, server, tokens, photos_dir)
    t.finish()


if __name__ == "__main__":
    main()
