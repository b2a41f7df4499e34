#include "app/component_importer.h"

#include <fmt/format.h>

#include "app/importer.h"
#include "services/component_import.h"

namespace cityops::app {

Result<std::string> import_components(store::Store& store, const Config& config,
                                      const std::filesystem::path& file, geo::Datum datum,
                                      Timestamp now) {
  auto text = read_file(file);
  if (!text) return text.status();
  auto reference = services::ReferenceData::load(store, config.office_hours);
  if (!reference) return reference.status();
  const auto rules = services::component_rules(**reference, config.district_code, now);
  const auto extension = file.extension().string();
  auto batch = extension == ".geojson" || extension == ".json"
                   ? services::parse_components_geojson(*text, datum, rules)
                   : services::parse_components_csv(*text, rules);
  if (!batch) return batch.status();
  auto counts = store.upsert_components(batch->components);
  if (!counts) return counts.status();
  std::string summary = fmt::format("components: {} imported, {} updated, {} rejected",
                                    counts->imported, counts->updated, batch->rejected.size());
  for (const auto& r : batch->rejected) {
    summary += fmt::format("\n{} {}: {} {}: {}", r.is_feature ? "feature" : "line", r.line, r.code,
                           r.field, r.message);
  }
  return summary;
}

}  // namespace cityops::app
