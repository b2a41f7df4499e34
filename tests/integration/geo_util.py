"""Test-side geometry: point in polygon, interior points, distances and the GCJ-02 datum.

Written from public formulas so that end-to-end tests can check the server's answers
without trusting its own geometry code.
"""

import math

EARTH_RADIUS_M = 6371008.8


def rings_of(geometry):
    """The polygons of a GeoJSON Polygon or MultiPolygon, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError("not an area: " + geometry["type"])


def _in_ring(lon, lat, ring):
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x:
                inside = not inside
    return inside


def contains(geometry, lon, lat):
    """Even-odd point in polygon over every polygon and its holes."""
    for polygon in rings_of(geometry):
        if not _in_ring(lon, lat, polygon[0]):
            continue
        if any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            continue
        return True
    return False


def _segment_distance_deg(lon, lat, a, b):
    """Distance in metres from a point to a segment, on a local flat projection."""
    k = math.cos(math.radians(lat))
    ax, ay = (a[0] - lon) * k, a[1] - lat
    bx, by = (b[0] - lon) * k, b[1] - lat
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    px, py = ax + t * dx, ay + t * dy
    return math.hypot(px, py) * math.pi / 180 * EARTH_RADIUS_M


def boundary_distance_m(geometry, lon, lat):
    best = float("inf")
    for polygon in rings_of(geometry):
        for ring in polygon:
            for i in range(len(ring) - 1):
                best = min(best, _segment_distance_deg(lon, lat, ring[i], ring[i + 1]))
    return best


def covers(geometry, lon, lat, tolerance_m=0.5):
    """Inside, or on the boundary within a tolerance (cells share their edges)."""
    return contains(geometry, lon, lat) or boundary_distance_m(geometry, lon, lat) <= tolerance_m


def bbox(geometry):
    xs, ys = [], []
    for polygon in rings_of(geometry):
        for x, y in polygon[0]:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def interior_point(geometry):
    """A point inside the area: the centroid of the largest outer ring when it is inside,
    else the middle of the widest span of a horizontal line through that centroid."""
    best = None
    for polygon in rings_of(geometry):
        ring = polygon[0]
        a = cx = cy = 0.0
        for i in range(len(ring) - 1):
            x1, y1 = ring[i][0], ring[i][1]
            x2, y2 = ring[i + 1][0], ring[i + 1][1]
            cross = x1 * y2 - x2 * y1
            a += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if a == 0:
            continue
        if best is None or abs(a) > abs(best[0]):
            best = (a, cx / (3 * a), cy / (3 * a))
    _, x, y = best
    if contains(geometry, x, y):
        return x, y
    crossings = []
    for polygon in rings_of(geometry):
        for ring in polygon:
            for i in range(len(ring) - 1):
                x1, y1 = ring[i][0], ring[i][1]
                x2, y2 = ring[i + 1][0], ring[i + 1][1]
                if (y1 > y) != (y2 > y):
                    crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    spans = [(crossings[i + 1] - crossings[i], (crossings[i] + crossings[i + 1]) / 2)
             for i in range(0, len(crossings) - 1, 2)]
    return max(spans)[1], y


def distance_m(lon1, lat1, lon2, lat2):
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def offset_m(lon, lat, north_m, east_m):
    """The point a few hundred metres north and east of another (spherical approximation)."""
    dlat = north_m / EARTH_RADIUS_M * 180 / math.pi
    dlon = east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))) * 180 / math.pi
    return lon + dlon, lat + dlat


# GCJ-02: the published forward transform (Krasovsky 1940 ellipsoid and the usual
# polynomial-plus-sine offsets), inverted below by fixed-point iteration.
_A = 6378245.0
_EE = 0.00669342162296594323


def _offset_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _offset_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat):
    d_lat = _offset_lat(lon - 105.0, lat - 35.0)
    d_lon = _offset_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = d_lat * 180.0 / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = d_lon * 180.0 / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon, lat):
    """The WGS84 point whose GCJ-02 image is (lon, lat), to well under a millimetre."""
    x, y = lon, lat
    for _ in range(30):
        gx, gy = wgs84_to_gcj02(x, y)
        dx, dy = gx - lon, gy - lat
        x, y = x - dx, y - dy
        if abs(dx) < 1e-11 and abs(dy) < 1e-11:
            break
    return x, y
