#include "services/component_import.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>

#include "common/csv.h"
#include "common/utf8.h"

namespace cityops::services {

using nlohmann::json;

namespace {

constexpr size_t kColumnCount = 10;
constexpr size_t kMaxNameBytes = 200;

Result<double> coordinate(const std::string& text, const char* field, double bound) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value) || value < -bound || value > bound) {
    return invalid("invalid_coordinate",
                   fmt::format("{} '{}' is not a valid coordinate", field, text), field);
  }
  return value;
}

Status check_department(const ComponentRules& rules, const std::string& code, const char* field) {
  if (!rules.known_department(code)) {
    return invalid("unknown_department", fmt::format("no department with code '{}'", code), field);
  }
  return Status::ok();
}

ComponentRejection reject(size_t line, bool is_feature, const Status& status) {
  return {line, is_feature, status.field(), status.code(), status.message()};
}

// The physical lines of `text` with their numbers, without line ends.
std::vector<std::pair<size_t, std::string_view>> split_lines(std::string_view text) {
  std::vector<std::pair<size_t, std::string_view>> lines;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t end = text.find('\n');
    auto line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(number, line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

ComponentRules component_rules(const ReferenceData& reference, std::string district_code,
                               Timestamp now) {
  return ComponentRules{
      reference.taxonomy(),
      [&reference](std::string_view code) { return reference.department(code) != nullptr; },
      [&reference](geo::LonLat p) {
        const Placement placement = reference.place(p);
        return ComponentPlace{placement.unit_grid, placement.governance_grid};
      },
      std::move(district_code), now};
}

Result<Component> check_component_fields(const ComponentFields& f, const ComponentRules& rules) {
  CITYOPS_RETURN_IF_ERROR(check_component_id(f.id, rules.district_code));
  if (f.category != component_category_of(f.id)) {
    return invalid("category_mismatch",
                   fmt::format("category '{}' is not the one id {} carries ({})", f.category, f.id,
                               component_category_of(f.id)),
                   "category");
  }
  if (!rules.taxonomy.find(CategoryKind::kComponent, f.category)) {
    return invalid("unknown_category",
                   fmt::format("{} is not a component category of the taxonomy", f.category),
                   "category");
  }
  if (f.name.empty() || f.name.size() > kMaxNameBytes) {
    return invalid("missing_field", "name is 1 to 200 bytes", "name");
  }
  auto lon = coordinate(f.lon, "lon", 180);
  if (!lon) return lon.status();
  auto lat = coordinate(f.lat, "lat", 90);
  if (!lat) return lat.status();
  const auto datum = f.datum.empty() ? geo::Datum::kWgs84 : geo::parse_datum(f.datum);
  if (!datum) return invalid("unknown_datum", "datum is wgs84, gcj02, bd09 or cgcs2000", "datum");
  const auto status = parse_component_status(f.status);
  if (!status) {
    return invalid("unknown_status", "status is intact, damaged, lost or removed", "status");
  }
  CITYOPS_RETURN_IF_ERROR(check_department(rules, f.owner, "owner_department"));
  CITYOPS_RETURN_IF_ERROR(check_department(rules, f.maintainer, "maintainer_department"));

  Component c;
  c.id = f.id;
  c.category = f.category;
  c.name = f.name;
  c.reported_datum = *datum;
  c.reported_location = {*lon, *lat};
  c.location = geo::convert(c.reported_location, *datum, geo::Datum::kWgs84);
  const ComponentPlace place = rules.place(c.location);
  if (place.unit_grid.empty()) {
    return Status(ErrorKind::kFailedPrecondition, "outside_district",
                  fmt::format("({}, {}) lies outside the district's unit grids", f.lon, f.lat),
                  "lon");
  }
  c.unit_grid = place.unit_grid;
  c.governance_grid = place.governance_grid;
  c.address = f.address;
  c.status = *status;
  c.owner_department = f.owner;
  c.maintainer_department = f.maintainer;
  c.updated_at = rules.now;
  return c;
}

Result<ComponentBatch> parse_components_csv(std::string_view text, const ComponentRules& rules) {
  if (!is_valid_utf8(text)) return invalid("invalid_encoding", "the file is not UTF-8", "body");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  ComponentBatch batch;
  bool header_seen = false;
  for (const auto& [line, content] : split_lines(text)) {
    if (content.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (!header_seen) {
      if (content != kComponentCsvHeader) {
        return invalid("invalid_header",
                       fmt::format("line {}: the header must be {}", line, kComponentCsvHeader),
                       "header");
      }
      header_seen = true;
      continue;
    }
    auto rows = parse_csv(content, /*allow_comments=*/false);
    if (!rows) {
      batch.rejected.push_back(reject(line, false, rows.status()));
      continue;
    }
    const CsvRow& row = rows->front();
    if (row.size() != kColumnCount) {
      batch.rejected.push_back(
          {line, false, "", "wrong_column_count",
           fmt::format("{} columns where the header has {}", row.size(), kColumnCount)});
      continue;
    }
    const ComponentFields fields{row[0], row[1], row[2], row[3], row[4],
                                 row[5], row[6], row[7], row[8], row[9]};
    auto component = check_component_fields(fields, rules);
    if (!component) {
      batch.rejected.push_back(reject(line, false, component.status()));
      continue;
    }
    batch.components.push_back(std::move(component).value());
  }
  if (!header_seen) {
    return invalid("invalid_header", fmt::format("the header must be {}", kComponentCsvHeader),
                   "header");
  }
  return batch;
}

namespace {

// The fields of one feature, or why it cannot be read.
Result<ComponentFields> feature_fields(const json& feature, geo::Datum datum) {
  if (!feature.is_object() || feature.value("type", "") != "Feature") {
    return invalid("invalid_geojson", "not a Feature", "type");
  }
  const auto& geometry = feature.contains("geometry") ? feature["geometry"] : json();
  if (!geometry.is_object() || geometry.value("type", "") != "Point" ||
      !geometry.contains("coordinates") || !geometry["coordinates"].is_array() ||
      geometry["coordinates"].size() < 2 || !geometry["coordinates"][0].is_number() ||
      !geometry["coordinates"][1].is_number()) {
    return invalid("not_a_point", "the geometry must be a Point", "geometry");
  }
  const auto& props = feature.contains("properties") ? feature["properties"] : json();
  if (!props.is_object()) return invalid("invalid_geojson", "no properties", "properties");
  ComponentFields f;
  const std::pair<const char*, std::string*> names[] = {{"id", &f.id},
                                                        {"category", &f.category},
                                                        {"name", &f.name},
                                                        {"status", &f.status},
                                                        {"owner_department", &f.owner},
                                                        {"maintainer_department", &f.maintainer},
                                                        {"address", &f.address}};
  for (const auto& [name, target] : names) {
    if (!props.contains(name) || props[name].is_null()) continue;
    if (!props[name].is_string()) {
      return invalid("invalid_type", std::string(name) + " must be a string", name);
    }
    *target = props[name].get<std::string>();
  }
  f.lon = fmt::format("{}", geometry["coordinates"][0].get<double>());
  f.lat = fmt::format("{}", geometry["coordinates"][1].get<double>());
  f.datum = std::string(geo::to_string(datum));
  return f;
}

}  // namespace

Result<ComponentBatch> parse_components_geojson(std::string_view text, geo::Datum datum,
                                                const ComponentRules& rules) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    return invalid("invalid_geojson", "the body must be a GeoJSON FeatureCollection", "body");
  }
  ComponentBatch batch;
  const auto& features = doc["features"];
  for (size_t i = 0; i < features.size(); ++i) {
    auto fields = feature_fields(features[i], datum);
    if (!fields) {
      batch.rejected.push_back(reject(i, true, fields.status()));
      continue;
    }
    auto component = check_component_fields(*fields, rules);
    if (!component) {
      batch.rejected.push_back(reject(i, true, component.status()));
      continue;
    }
    batch.components.push_back(std::move(component).value());
  }
  return batch;
}

}  // namespace cityops::services
