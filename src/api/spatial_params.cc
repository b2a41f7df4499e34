#include "api/spatial_params.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace cityops::api {

namespace {

// The comma-separated numbers of `text`, or none when any part is not a finite number.
std::vector<double> numbers_of(const std::string& text) {
  std::vector<double> out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? text.npos : comma - start);
    double value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc{} || end != part.data() + part.size() ||
        !std::isfinite(value)) {
      return {};
    }
    out.push_back(value);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

Result<BoxParam> parse_bbox(const std::string& text) {
  const auto v = numbers_of(text);
  if (v.size() == 4 && v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90 && v[0] <= v[2] &&
      v[1] <= v[3]) {
    return BoxParam{v[0], v[1], v[2], v[3]};
  }
  return invalid("invalid_bbox", "bbox is min_lon,min_lat,max_lon,max_lat in WGS84", "bbox");
}

Result<geo::LonLat> parse_point(const std::string& text, const std::string& field) {
  const auto v = numbers_of(text);
  if (v.size() == 2 && std::abs(v[0]) <= 180 && std::abs(v[1]) <= 90) {
    return geo::LonLat{v[0], v[1]};
  }
  return invalid("invalid_point", field + " is lon,lat in WGS84", field);
}

Result<double> parse_number(const std::string& text, const std::string& field, double min,
                            double max) {
  const auto v = numbers_of(text);
  if (v.size() == 1 && v[0] >= min && v[0] <= max) return v[0];
  return invalid("out_of_range",
                 field + " is a number from " + std::to_string(static_cast<int64_t>(min)) + " to " +
                     std::to_string(static_cast<int64_t>(max)),
                 field);
}

}  // namespace cityops::api
