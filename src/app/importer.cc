#include "app/importer.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "domain/calendar_import.h"
#include "domain/department.h"
#include "domain/routing.h"
#include "domain/taxonomy.h"
#include "geo/geojson.h"
#include "geo/grid_generator.h"
#include "services/region_import.h"

namespace cityops::app {

namespace fs = std::filesystem;

std::optional<ReferenceKind> parse_reference_kind(std::string_view text) {
  if (text == "taxonomy") return ReferenceKind::kTaxonomy;
  if (text == "departments") return ReferenceKind::kDepartments;
  if (text == "routing") return ReferenceKind::kRouting;
  if (text == "calendar") return ReferenceKind::kCalendar;
  return std::nullopt;
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("file_unreadable", "cannot read " + path.string(), "file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

Status in_file(const Status& status, const fs::path& file) {
  return {status.kind(), status.code(), file.string() + ": " + status.message(), status.field()};
}

Result<std::vector<CalendarYear>> read_calendar(const fs::path& file, const std::string& text) {
  const auto ext = file.extension().string();
  if (ext == ".json") {
    auto year = parse_holiday_cn_json(text);
    if (!year) return year.status();
    return std::vector<CalendarYear>{std::move(year).value()};
  }
  if (ext == ".ics") return parse_icalendar(text);
  if (ext == ".csv") {
    auto year = parse_calendar_csv(text);
    if (!year) return year.status();
    return std::vector<CalendarYear>{std::move(year).value()};
  }
  return invalid("unknown_format", "a calendar file ends in .json (holiday-cn), .ics or .csv",
                 "file");
}

// Without imported communities, the district is cut into west-to-east strips coded street 000,
// community 001, 002, ..., each small enough for the 999 cells a community's sequence allows.
std::vector<geo::CommunityArea> strip_communities(const geo::MultiPolygon& outline,
                                                  double cell_size_m,
                                                  const std::string& district_code) {
  const auto box = geo::bounding_box(outline);
  const double cell_area = cell_size_m * cell_size_m;
  const int strips =
      std::max(1, static_cast<int>(std::ceil(geo::area_m2(outline) / cell_area / 800.0)));
  const double west = box.min_corner().x();
  const double width = (box.max_corner().x() - west) / strips;
  std::vector<geo::CommunityArea> areas;
  for (int i = 0; i < strips; ++i) {
    geo::Polygon strip;
    const double a = west + width * i, b = west + width * (i + 1);
    const double south = box.min_corner().y() - 0.01, north = box.max_corner().y() + 0.01;
    strip.outer() = {{a, south}, {b, south}, {b, north}, {a, north}, {a, south}};
    areas.push_back({fmt::format("{}000{:03}", district_code, i + 1), geo::MultiPolygon{strip}});
  }
  return areas;
}

}  // namespace

Result<std::string> import_reference_file(store::Store& store, ReferenceKind kind,
                                          const fs::path& file) {
  auto text = read_file(file);
  if (!text) return text.status();
  const std::string stem = file.stem().string();

  switch (kind) {
    case ReferenceKind::kTaxonomy: {
      auto parsed = parse_taxonomy_csv(*text);
      if (!parsed) return in_file(parsed.status(), file);
      CITYOPS_RETURN_IF_ERROR(store.put_reference("taxonomy:" + stem, *text));
      return fmt::format("taxonomy {}: {} categories", stem, parsed->size());
    }
    case ReferenceKind::kDepartments: {
      auto parsed = parse_departments_csv(*text);
      if (!parsed) return in_file(parsed.status(), file);
      CITYOPS_RETURN_IF_ERROR(store.put_reference("departments", *text));
      return fmt::format("departments: {}", parsed->size());
    }
    case ReferenceKind::kRouting: {
      auto parsed = parse_routing_csv(*text);
      if (!parsed) return in_file(parsed.status(), file);
      CITYOPS_RETURN_IF_ERROR(store.put_reference("routing", *text));
      return fmt::format("routing rules: {}", parsed->size());
    }
    case ReferenceKind::kCalendar: {
      auto years = read_calendar(file, *text);
      if (!years) return in_file(years.status(), file);
      std::string summary;
      for (const auto& year : *years) {
        const auto csv = format_calendar_csv(year, "imported from " + file.filename().string());
        CITYOPS_RETURN_IF_ERROR(store.put_reference(fmt::format("calendar-{}", year.year), csv));
        summary += fmt::format("{}calendar {}: {} listed days", summary.empty() ? "" : "; ",
                               year.year, year.days.size());
      }
      return summary;
    }
  }
  return internal_error("unknown reference kind");
}

Result<std::string> import_default_reference(store::Store& store, const fs::path& dir) {
  std::vector<std::pair<ReferenceKind, fs::path>> files = {
      {ReferenceKind::kDepartments, dir / "reference" / "departments.csv"},
      {ReferenceKind::kRouting, dir / "reference" / "routing.csv"},
  };
  std::vector<fs::path> extra;
  for (const auto& entry : fs::directory_iterator(dir / "reference")) {
    if (entry.path().filename().string().rfind("taxonomy", 0) == 0) extra.push_back(entry.path());
  }
  for (const auto& entry : fs::directory_iterator(dir / "calendar")) {
    if (entry.path().extension() == ".csv") extra.push_back(entry.path());
  }
  std::sort(extra.begin(), extra.end());
  for (const auto& path : extra) {
    const bool calendar = path.parent_path().filename() == "calendar";
    files.emplace_back(calendar ? ReferenceKind::kCalendar : ReferenceKind::kTaxonomy, path);
  }

  std::string summary;
  for (const auto& [kind, path] : files) {
    auto done = import_reference_file(store, kind, path);
    if (!done) return done.status();
    summary += *done + "\n";
  }
  return summary;
}

Result<std::string> import_regions(store::Store& store, const fs::path& file,
                                   const RegionImportOptions& options,
                                   const std::string& district_code) {
  auto text = read_file(file);
  if (!text) return text.status();
  auto records = services::regions_from_geojson(*text, options, district_code);
  if (!records) return in_file(records.status(), file);
  CITYOPS_RETURN_IF_ERROR(store.replace_regions({options.layer}, *records));
  return fmt::format("{}: {} regions from {}", options.layer, records->size(), file.string());
}

Result<std::string> generate_unit_grid_layer(store::Store& store, double cell_size_m,
                                             const std::string& district_code) {
  auto to_area = [](const store::RegionRecord& r) -> Result<geo::MultiPolygon> {
    auto parsed = geo::parse_features(r.geometry);
    if (!parsed || parsed->empty()) return internal_error("stored geometry of " + r.code);
    return parsed->front().geometry;
  };
  auto districts = store.regions("district");
  if (!districts) return districts.status();
  if (districts->empty()) {
    return invalid("no_outline", "import the district outline first (layer district)", "layer");
  }
  auto outline = to_area(districts->front());
  if (!outline) return outline.status();

  auto communities = store.regions("community");
  if (!communities) return communities.status();
  std::vector<geo::CommunityArea> areas;
  for (const auto& c : *communities) {
    auto area = to_area(c);
    if (!area) return area.status();
    areas.push_back({c.code, std::move(area).value()});
  }
  if (areas.empty()) areas = strip_communities(*outline, cell_size_m, district_code);

  auto cells = geo::generate_unit_grids(*outline, areas, cell_size_m);
  if (!cells) return cells.status();
  std::vector<store::RegionRecord> records;
  for (const auto& cell : *cells) {
    records.push_back({cell.id, "unit_grid", cell.id, cell.community_code,
                       geo::to_geojson(cell.area).dump(), "wgs84"});
  }
  CITYOPS_RETURN_IF_ERROR(store.replace_regions({"unit_grid"}, records));
  return fmt::format("unit_grid: {} cells of {} m", records.size(), cell_size_m);
}

}  // namespace cityops::app
