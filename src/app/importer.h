// Loading reference data into a store from files: the project's own formats, the holiday-cn
// JSON and iCalendar notices, and GeoJSON regions. Each file is parsed and validated whole
// before anything is written, so a bad file changes nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "geo/datum.h"
#include "store/store.h"

namespace cityops::app {

// What `import` can load.
enum class ReferenceKind { kTaxonomy, kDepartments, kRouting, kCalendar };
std::optional<ReferenceKind> parse_reference_kind(std::string_view text);

// Reads and validates a file, then stores it. Calendars may be holiday-cn JSON (.json),
// iCalendar (.ics) or the project's CSV (.csv); they are stored in the project's CSV form.
// Returns a one-line summary for the operator.
Result<std::string> import_reference_file(store::Store& store, ReferenceKind kind,
                                          const std::filesystem::path& file);

// Loads the project's own reference files (taxonomy, departments, routing, calendars).
Result<std::string> import_default_reference(store::Store& store,
                                             const std::filesystem::path& reference_dir);

struct RegionImportOptions {
  std::string layer;  // district, street, community, unit_grid, governance_grid
  geo::Datum datum = geo::Datum::kWgs84;
  std::string code_property = "code";
  std::string name_property = "name";
  std::string parent_property = "parent";
};

// Reads a GeoJSON file of one layer, converts it to WGS84 and replaces that layer. A feature
// without a code is refused, except in the district layer, where the district code is used.
Result<std::string> import_regions(store::Store& store, const std::filesystem::path& file,
                                   const RegionImportOptions& options,
                                   const std::string& district_code);

// Divides the stored district outline into unit grids of `cell_size_m`, community by
// community (the whole district as one community when none are stored), and replaces the
// unit-grid layer.
Result<std::string> generate_unit_grid_layer(store::Store& store, double cell_size_m,
                                             const std::string& district_code);

Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace cityops::app
