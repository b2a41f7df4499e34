// Region layers from GeoJSON, for the command line and the API alike: every feature checked
// and converted to WGS84 before anything is stored, so a bad file changes nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "geo/datum.h"
#include "geo/geometry.h"
#include "store/store.h"

namespace cityops::services {

struct RegionImportOptions {
  std::string layer;  // district, street, community, unit_grid, governance_grid
  geo::Datum datum = geo::Datum::kWgs84;
  std::string code_property = "code";
  std::string name_property = "name";
  std::string parent_property = "parent";
};

// Checks that an area is a valid polygon set as OGC defines it (no self-intersection, holes
// inside their shell); "invalid_geometry" naming `field` otherwise.
Status check_area(const geo::MultiPolygon& area, const std::string& field);

// The regions of a GeoJSON text (parse_features) for one layer, in WGS84. Errors name the
// feature index and field: "invalid_geojson", "missing_code" (except in the district layer,
// where `district_code` stands in), "duplicate_code", "invalid_geometry".
Result<std::vector<store::RegionRecord>> regions_from_geojson(std::string_view text,
                                                              const RegionImportOptions& options,
                                                              const std::string& district_code);

}  // namespace cityops::services
