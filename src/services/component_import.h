// Reading a components inventory from CSV or GeoJSON, row by row: good rows become components,
// bad rows are reported by CSV line or GeoJSON feature index with the field at fault, and one
// bad row never spoils the others.
//
//   ComponentRules rules{taxonomy, known_department, place, "130304", now};
//   auto batch = parse_components_csv(text, rules);   // fails only when the header is wrong
//   store.upsert_components(batch->components);
//   for (const auto& r : batch->rejected) report(r.line, r.field, r.code);
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/component.h"
#include "domain/taxonomy.h"
#include "services/reference_data.h"

namespace cityops::services {

// The regions a component's point falls in; an empty unit grid means outside the district.
struct ComponentPlace {
  std::string unit_grid;
  std::string governance_grid;
};

// What a row is checked against.
struct ComponentRules {
  const Taxonomy& taxonomy;
  std::function<bool(std::string_view)> known_department;
  std::function<ComponentPlace(geo::LonLat wgs84)> place;
  std::string district_code;
  Timestamp now{};
};

// The rules of a reference snapshot: its taxonomy, departments and regions. The snapshot must
// outlive the rules.
ComponentRules component_rules(const ReferenceData& reference, std::string district_code,
                               Timestamp now);

// One refused row: its CSV line (1 is the header) or its GeoJSON feature index (from 0).
struct ComponentRejection {
  size_t line = 0;
  bool is_feature = false;
  std::string field;
  std::string code;
  std::string message;
};

struct ComponentBatch {
  std::vector<Component> components;
  std::vector<ComponentRejection> rejected;
};

// The CSV columns, in this order.
inline constexpr std::string_view kComponentCsvHeader =
    "id,category,name,lon,lat,datum,status,owner_department,maintainer_department,address";

// Each data line is one component. A line is refused for: a column count other than 10
// ("wrong_column_count"), malformed quoting ("malformed_csv"), and the checks of
// check_component_fields. A header other than kComponentCsvHeader fails the whole file
// ("invalid_header"), as does text that is not UTF-8 ("invalid_encoding"). Fields inside
// quotes may hold commas but not line breaks.
Result<ComponentBatch> parse_components_csv(std::string_view text, const ComponentRules& rules);

// A FeatureCollection of Point features whose properties are the CSV's columns but lon, lat
// and datum; coordinates are in `datum`. Fails whole for text that is not a FeatureCollection
// ("invalid_geojson"); a feature that is not a Point, or whose properties are not strings, is
// refused by index.
Result<ComponentBatch> parse_components_geojson(std::string_view text, geo::Datum datum,
                                                const ComponentRules& rules);

// The raw fields of one row, by column name.
struct ComponentFields {
  std::string id, category, name, lon, lat, datum, status, owner, maintainer, address;
};

// Checks one row and builds its component (point converted to WGS84, grids resolved). Errors
// name the field: check_component_id's, "category_mismatch" (not digits 7-11 of the id),
// "unknown_category" (not a component category of the taxonomy), "missing_field" (empty name),
// "invalid_coordinate" (not a number or out of range), "unknown_datum", "outside_district",
// "unknown_status", "unknown_department" (owner_department or maintainer_department).
Result<Component> check_component_fields(const ComponentFields& fields,
                                         const ComponentRules& rules);

}  // namespace cityops::services
