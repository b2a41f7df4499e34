// Loading reference data into a store from files: the project's own formats, the holiday-cn
// JSON and iCalendar notices, and GeoJSON regions. Each file is parsed and validated whole
// before anything is written, so a bad file changes nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "geo/datum.h"
#include "services/region_import.h"
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

using services::RegionImportOptions;

// Reads a GeoJSON file of one layer, converts it to WGS84 and replaces that layer, every
// version of it (services::regions_from_geojson checks it first).
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
