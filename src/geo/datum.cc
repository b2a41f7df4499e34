#include "geo/datum.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cityops::geo {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kMeanEarthRadiusM = 6371008.8;

// The Krasovsky 1940 ellipsoid that the GCJ-02 formula is defined on.
constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyE2 = 0.00669342162296594323;

// The BD-09 formula works on angles scaled by this factor.
constexpr double kBdScale = kPi * 3000.0 / 180.0;

constexpr double kInverseToleranceDeg = 1e-9;
constexpr int kMaxInverseSteps = 30;

bool outside_china(LonLat p) {
  return p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

// Sine terms both offset polynomials share; `x` is the longitude relative to 105 degrees.
double ripple(double x) {
  return (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
}

// Latitude offset of the public formula, in metres along the meridian; x and y are the longitude
// and latitude relative to (105, 35).
double offset_lat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
  r += ripple(x);
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double offset_lon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
  r += ripple(x);
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

LonLat wgs84_to_gcj02(LonLat p) {
  if (outside_china(p)) return p;
  const double x = p.lon - 105.0;
  const double y = p.lat - 35.0;

  // Turn the offsets into degrees with the ellipsoid's meridian and parallel radii.
  const double rad_lat = p.lat / 180.0 * kPi;
  const double s = std::sin(rad_lat);
  const double w2 = 1.0 - kKrasovskyE2 * s * s;
  const double w = std::sqrt(w2);
  const double meridian_radius = kKrasovskyA * (1.0 - kKrasovskyE2) / (w2 * w);
  const double parallel_radius = kKrasovskyA / w * std::cos(rad_lat);
  const double dlat = offset_lat(x, y) * 180.0 / (meridian_radius * kPi);
  const double dlon = offset_lon(x, y) * 180.0 / (parallel_radius * kPi);
  return {p.lon + dlon, p.lat + dlat};
}

LonLat gcj02_to_bd09(LonLat p) {
  const double z = std::hypot(p.lon, p.lat) + 0.00002 * std::sin(p.lat * kBdScale);
  const double theta = std::atan2(p.lat, p.lon) + 0.000003 * std::cos(p.lon * kBdScale);
  return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

// The closed-form inverse of gcj02_to_bd09 that is commonly published; off by up to a few
// metres, so it serves only as the starting point of the refinement below.
LonLat bd09_to_gcj02_estimate(LonLat p) {
  const double x = p.lon - 0.0065;
  const double y = p.lat - 0.006;
  const double z = std::hypot(x, y) - 0.00002 * std::sin(y * kBdScale);
  const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kBdScale);
  return {z * std::cos(theta), z * std::sin(theta)};
}

// Solves forward(q) == target for q. Both forward maps are a near-identity plus a slowly
// varying shift, so stepping by the residual converges in a handful of steps.
template <typename Forward>
LonLat invert(LonLat target, LonLat start, Forward forward) {
  LonLat q = start;
  for (int step = 0; step < kMaxInverseSteps; ++step) {
    const LonLat image = forward(q);
    const double dlon = target.lon - image.lon;
    const double dlat = target.lat - image.lat;
    q = {q.lon + dlon, q.lat + dlat};
    if (!(std::abs(dlon) > kInverseToleranceDeg || std::abs(dlat) > kInverseToleranceDeg)) break;
  }
  return q;
}

LonLat gcj02_to_wgs84(LonLat p) { return invert(p, p, wgs84_to_gcj02); }

LonLat bd09_to_gcj02(LonLat p) { return invert(p, bd09_to_gcj02_estimate(p), gcj02_to_bd09); }

// Every conversion goes through WGS84; CGCS2000 is taken as identical to it.
LonLat to_wgs84(LonLat p, Datum from) {
  switch (from) {
    case Datum::kWgs84:
    case Datum::kCgcs2000:
      return p;
    case Datum::kGcj02:
      return gcj02_to_wgs84(p);
    case Datum::kBd09:
      return gcj02_to_wgs84(bd09_to_gcj02(p));
  }
  return p;
}

LonLat from_wgs84(LonLat p, Datum to) {
  switch (to) {
    case Datum::kWgs84:
    case Datum::kCgcs2000:
      return p;
    case Datum::kGcj02:
      return wgs84_to_gcj02(p);
    case Datum::kBd09:
      return gcj02_to_bd09(wgs84_to_gcj02(p));
  }
  return p;
}

}  // namespace

std::optional<Datum> parse_datum(std::string_view text) {
  for (Datum d : {Datum::kWgs84, Datum::kGcj02, Datum::kBd09, Datum::kCgcs2000}) {
    if (text == to_string(d)) return d;
  }
  return std::nullopt;
}

std::string_view to_string(Datum datum) {
  switch (datum) {
    case Datum::kWgs84:
      return "wgs84";
    case Datum::kGcj02:
      return "gcj02";
    case Datum::kBd09:
      return "bd09";
    case Datum::kCgcs2000:
      return "cgcs2000";
  }
  return "unknown";
}

LonLat convert(LonLat p, Datum from, Datum to) {
  if (from == to) return p;
  // GCJ-02 <-> BD-09 needs no detour through WGS84, and avoids an extra inversion.
  if (from == Datum::kGcj02 && to == Datum::kBd09) return gcj02_to_bd09(p);
  if (from == Datum::kBd09 && to == Datum::kGcj02) return bd09_to_gcj02(p);
  return from_wgs84(to_wgs84(p, from), to);
}

double distance_m(LonLat a, LonLat b) {
  constexpr double kRad = kPi / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kMeanEarthRadiusM * std::asin(std::sqrt(std::min(1.0, h)));
}

}  // namespace cityops::geo
