"""Shared helpers of the patrol end-to-end tests: sign-in, photos, multipart bodies, grids."""

import io
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import geo_util  # noqa: E402
from open311_client import multipart  # noqa: E402


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def login(server, role):
    username, password = server.demo_users()[role]
    status, _, body = server.post("/api/v1/sessions",
                                  {"username": username, "password": password})
    if status != 201:
        raise RuntimeError(f"{role} cannot sign in: {status} {body}")
    return bearer(body["token"])


DEBIAN_PACKAGES = "/usr/lib/python3/dist-packages"


def require_pil():
    """PIL from Debian's python3-pil (scripts/setup-deps.sh), also when the tests run under
    another Python of the same version (pyenv); skips the test when it is not installed."""
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        if os.path.isdir(DEBIAN_PACKAGES) and DEBIAN_PACKAGES not in sys.path:
            sys.path.append(DEBIAN_PACKAGES)
        try:
            import PIL.Image  # noqa: F401,F811
        except ImportError:
            print("SKIP: python3-pil is not installed; run scripts/setup-deps.sh")
            sys.exit(77)


def dms(value):
    """Degrees as EXIF's degrees, minutes and seconds (rationals)."""
    from fractions import Fraction
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction((value - degrees - minutes / 60) * 3600).limit_denominator(10**6)
    return (float(degrees), float(minutes), seconds)


def jpeg(seed, size=(48, 32), gps=None):
    """A small JPEG whose pixels depend on `seed`, so every photo has its own bytes; with
    `gps` = (lon, lat) in WGS84 its EXIF block says it was taken there."""
    from PIL import Image
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    for x in range(size[0]):
        image.putpixel((x, seed % size[1]), (255 - x % 256, x % 256, seed % 256))
    out = io.BytesIO()
    kwargs = {}
    if gps:
        from PIL import Image as PILImage
        exif = PILImage.Exif()
        lon, lat = gps
        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(lat),
                        3: "E" if lon >= 0 else "W", 4: dms(lon)}
        kwargs["exif"] = exif.tobytes()
    image.save(out, format="JPEG", quality=80, **kwargs)
    return out.getvalue()


def post_report(server, headers, patrol_id, fields, files, key=None):
    body, content_type = multipart(fields, files)
    extra = dict(headers, **{"Content-Type": content_type})
    if key:
        extra["Idempotency-Key"] = key
    return server.request("POST", f"/api/v1/patrols/{patrol_id}/reports", raw=body,
                          headers=extra)


def unit_grids(server):
    """{code: geometry} of every unit grid, WGS84."""
    status, _, body = server.get("/api/v1/regions?layer=unit_grid&datum=wgs84")
    if status != 200:
        raise RuntimeError(f"regions: {status}")
    return {f["properties"]["code"]: f["geometry"] for f in body["features"]}


def grid_of(grids, lon, lat):
    """The unit grid holding a point, by the test's own point-in-polygon."""
    for code, geometry in grids.items():
        if geo_util.contains(geometry, lon, lat):
            return code
    return None
