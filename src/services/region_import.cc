#include "services/region_import.h"

#include <fmt/format.h>

#include <boost/geometry/algorithms/is_valid.hpp>
#include <set>

#include "geo/geojson.h"

namespace cityops::services {

Status check_area(const geo::MultiPolygon& area, const std::string& field) {
  std::string reason;
  if (area.empty()) return invalid("invalid_geometry", "the geometry has no polygon", field);
  if (!boost::geometry::is_valid(area, reason)) {
    return invalid("invalid_geometry", "the geometry is not a valid polygon: " + reason, field);
  }
  return Status::ok();
}

Result<std::vector<store::RegionRecord>> regions_from_geojson(std::string_view text,
                                                              const RegionImportOptions& options,
                                                              const std::string& district_code) {
  auto features = geo::parse_features(text);
  if (!features) return features.status();
  // Replacing a layer with nothing would unplace every later report: a mistake, not an edit.
  if (features->empty()) {
    return invalid("empty_layer", "the file has no features; a layer is never emptied", "features");
  }

  std::vector<store::RegionRecord> records;
  std::set<std::string> codes;
  for (size_t i = 0; i < features->size(); ++i) {
    const auto& f = (*features)[i];
    auto property = [&](const std::string& key) -> std::string {
      if (!f.properties.contains(key)) return {};
      const auto& v = f.properties[key];
      return v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : std::string();
    };
    std::string code = property(options.code_property);
    if (code.empty() && options.layer == "district") code = district_code;
    const auto code_field = fmt::format("features[{}].properties.{}", i, options.code_property);
    if (code.empty()) {
      return invalid("missing_code",
                     fmt::format("feature {} has no '{}' property", i, options.code_property),
                     code_field);
    }
    if (!codes.insert(code).second) {
      return invalid("duplicate_code", fmt::format("feature {} repeats the code {}", i, code),
                     code_field);
    }
    const auto wgs84 = geo::convert_datum(f.geometry, options.datum, geo::Datum::kWgs84);
    CITYOPS_RETURN_IF_ERROR(check_area(wgs84, fmt::format("features[{}].geometry", i)));
    records.push_back({code, options.layer, property(options.name_property),
                       property(options.parent_property), geo::to_geojson(wgs84).dump(),
                       std::string(geo::to_string(options.datum))});
  }
  return records;
}

}  // namespace cityops::services
