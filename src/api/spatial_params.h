// Query parameters of spatial searches, shared by the case list, the components inventory and
// the map: a box, a centre point, a radius in metres and a count.
#pragma once

#include <string>

#include "common/status.h"
#include "geo/datum.h"

namespace cityops::api {

struct BoxParam {
  double min_lon, min_lat, max_lon, max_lat;
};

// "min_lon,min_lat,max_lon,max_lat" in WGS84, each within range and min <= max;
// "invalid_bbox" (field "bbox") otherwise.
Result<BoxParam> parse_bbox(const std::string& text);

// "lon,lat" in WGS84; "invalid_point" naming `field` otherwise.
Result<geo::LonLat> parse_point(const std::string& text, const std::string& field);

// A number from `min` to `max` ("out_of_range" naming `field`).
Result<double> parse_number(const std::string& text, const std::string& field, double min,
                            double max);

}  // namespace cityops::api
