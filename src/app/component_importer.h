// `cityops import components`: a components inventory file (CSV, or GeoJSON by its .geojson or
// .json name) checked against the stored reference data and written in one transaction.
#pragma once

#include <filesystem>
#include <string>

#include "app/config.h"
#include "common/status.h"
#include "geo/datum.h"
#include "store/store.h"

namespace cityops::app {

// Good rows are stored; the summary counts them and lists each refused row, one a line, by
// CSV line or GeoJSON feature. Fails only when the file cannot be read or parsed at all.
Result<std::string> import_components(store::Store& store, const Config& config,
                                      const std::filesystem::path& file, geo::Datum datum,
                                      Timestamp now);

}  // namespace cityops::app
