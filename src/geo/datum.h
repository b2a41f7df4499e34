// Geodetic datums the platform accepts, and conversion between them.
//
// The server stores every location in WGS84. Clients speak other datums: GPS receivers give
// WGS84, official surveys give CGCS2000 (within centimetres of WGS84 at city scale, so treated
// as equal), AMap and Tencent maps use GCJ-02 and Baidu maps use BD-09. GCJ-02 and BD-09 are
// published obfuscations rather than datums, so PROJ cannot convert them; the small public
// formulas are implemented here instead. Conversion happens only at the edges (decoding a
// request, encoding a response, importing a file).
//
// Usage:
//   auto datum = parse_datum(request_datum);          // "gcj02"
//   LonLat stored = convert(reported, *datum, Datum::kWgs84);
#pragma once

#include <optional>
#include <string_view>

namespace cityops::geo {

enum class Datum { kWgs84, kGcj02, kBd09, kCgcs2000 };

// Accepts exactly "wgs84", "gcj02", "bd09" and "cgcs2000" (lower case); nullopt otherwise.
std::optional<Datum> parse_datum(std::string_view text);

// The name parse_datum() accepts for `datum`.
std::string_view to_string(Datum datum);

// Longitude and latitude in degrees.
struct LonLat {
  double lon;
  double lat;
};

// Converts `p` from one datum to another.
//
// WGS84 -> GCJ-02 follows the public formula on the Krasovsky ellipsoid. Outside a rough box
// around China (lon 72.004..137.8347, lat 0.8293..55.8271) GCJ-02 equals WGS84, as the public
// formula defines it. GCJ-02 -> WGS84 inverts the forward formula by fixed-point iteration
// until the forward image is within 1e-9 degrees (well under 1 cm) of the input. BD-09 is
// derived from GCJ-02 by its own public formula; its inverse is refined the same way. Round
// trips agree to a few millimetres. Non-finite input yields non-finite output.
LonLat convert(LonLat p, Datum from, Datum to);

// Great-circle distance in metres on a sphere of the mean Earth radius (haversine). Good to
// about 0.5 % anywhere, which is what proximity searches need.
double distance_m(LonLat a, LonLat b);

}  // namespace cityops::geo
