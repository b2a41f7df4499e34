#include "app/demo.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <random>

#include "app/demo_components.h"
#include "app/demo_staff.h"
#include "app/demo_vocabulary.h"
#include "app/demo_workflow.h"
#include "app/importer.h"
#include "geo/demo_regions.h"
#include "geo/geojson.h"

namespace cityops::app {

namespace {

Status store_regions(store::Store& store, const geo::DemoRegions& demo) {
  std::vector<store::RegionRecord> records;
  auto add = [&](const geo::NamedArea& a, const char* layer) {
    records.push_back(
        {a.code, layer, a.name, a.parent_code, geo::to_geojson(a.area).dump(), "gcj02"});
  };
  add(demo.district, "district");
  for (const auto& a : demo.streets) add(a, "street");
  for (const auto& a : demo.communities) add(a, "community");
  for (const auto& a : demo.governance_grids) add(a, "governance_grid");
  for (const auto& cell : demo.unit_grids) {
    records.push_back({cell.id, "unit_grid", cell.id, cell.community_code,
                       geo::to_geojson(cell.area).dump(), "gcj02"});
  }
  return store.replace_regions({"district", "street", "community", "governance_grid", "unit_grid"},
                               records);
}

Status report_demo_cases(App& app, const Clock& clock, const DemoOptions& options) {
  std::mt19937 rng(options.seed);
  const auto reference = app.reference();
  const auto& unit_grids = reference->regions_of("unit_grid");
  if (unit_grids.empty()) return internal_error("demo regions have no unit grids");

  std::vector<const Category*> categories;
  for (auto code : kDemoCategories) {
    if (const auto* c = reference->taxonomy().find(code)) categories.push_back(c);
  }
  if (categories.empty()) return internal_error("demo categories missing from the taxonomy");

  // Points are drawn in the district's bounding box and kept when they fall in a unit grid.
  auto bounds = district_bounds(app.store());
  if (!bounds) return bounds.status();

  const auto now = clock.now();
  std::uniform_real_distribution<double> lon(bounds->min_lon, bounds->max_lon),
      lat(bounds->min_lat, bounds->max_lat);
  std::uniform_int_distribution<int> day(0, options.days - 1), hour(6, 21), minute(0, 59);
  std::geometric_distribution<int> category_rank(0.18);
  std::uniform_int_distribution<size_t> place(0, kDemoPlaces.size() - 1);
  std::uniform_int_distribution<size_t> surname(0, kDemoSurnames.size() - 1);
  std::uniform_int_distribution<size_t> given(0, kDemoGivenNames.size() - 1);
  std::uniform_int_distribution<int> phone(10000000, 99999999);

  for (int i = 0; i < options.cases; ++i) {
    services::NewCase input;
    do {
      input.location = {lon(rng), lat(rng)};
    } while (reference->place(input.location).unit_grid.empty());
    const auto* category = categories[std::min<size_t>(category_rank(rng), categories.size() - 1)];
    input.category = reference->taxonomy().ref_of(*category);
    const auto where = kDemoPlaces[place(rng)];
    input.address = fmt::format("北戴河区{}", where);
    input.description = fmt::format(
        "{}附近发现{}，"
        "请相关部门尽快处理。",
        where, category->name);
    input.channel = draw_demo_channel(rng);
    input.urgency = i % 11 == 0 ? Urgency::kUrgent : Urgency::kNormal;
    input.reporter = {fmt::format("{}{}", kDemoSurnames[surname(rng)], kDemoGivenNames[given(rng)]),
                      fmt::format("139{:08}", phone(rng)), i % 9 == 0};
    if (input.reporter.anonymous) input.reporter.name = input.reporter.phone = "";

    const auto local_midnight =
        from_local(to_local(now - std::chrono::days(day(rng))).date, std::chrono::seconds{0});
    const auto at =
        local_midnight + std::chrono::hours(hour(rng)) + std::chrono::minutes(minute(rng));
    input.reported_at = std::min(at, now);
    auto outcome = app.intake().report(input, "demo");
    if (!outcome) return outcome.status();
  }
  return Status::ok();
}

}  // namespace

Result<bool> is_empty(store::Store& store) {
  auto sets = store.reference_sets();
  if (!sets) return sets.status();
  auto count = store.count_cases();
  if (!count) return count.status();
  return sets->empty() && *count == 0;
}

Result<DemoCredentials> load_demo_data(App& app, const Clock& clock, const DemoOptions& options);

Result<DemoCredentials> load_demo(App& app, const Clock& clock, const DemoOptions& options) {
  CITYOPS_RETURN_IF_ERROR(app.store().set_bulk_load(true));
  auto loaded = load_demo_data(app, clock, options);
  // Everything is flushed to disk once, at the end, before the server answers anyone.
  CITYOPS_RETURN_IF_ERROR(app.store().set_bulk_load(false));
  CITYOPS_RETURN_IF_ERROR(app.store().checkpoint());
  return loaded;
}

Result<DemoCredentials> load_demo_data(App& app, const Clock& clock, const DemoOptions& options) {
  auto users = load_demo_setup(app, options.unit_cell_m);
  if (!users) return users.status();
  auto components = load_demo_components(app, clock.now());
  if (!components) return components.status();
  CITYOPS_RETURN_IF_ERROR(report_demo_cases(app, clock, options));
  spdlog::info("demo cases: {} reported over the last {} days", options.cases, options.days);
  CITYOPS_RETURN_IF_ERROR(advance_demo_cases(app, clock.now(), options.seed));
  return users;
}

Result<DemoCredentials> load_demo_setup(App& app, double unit_cell_m) {
  const auto& dir = app.config().reference_dir;
  auto reference = import_default_reference(app.store(), dir);
  if (!reference) return reference.status();

  auto outline_text = read_file(dir / "demo" / "beidaihe-outline.geojson");
  if (!outline_text) return outline_text.status();
  auto outline = geo::parse_features(*outline_text);
  if (!outline) return outline.status();
  if (outline->empty()) return internal_error("the demo outline file is empty");
  const auto wgs84 =
      geo::convert_datum(outline->front().geometry, geo::Datum::kGcj02, geo::Datum::kWgs84);
  auto demo = geo::build_demo_regions(wgs84, unit_cell_m);
  if (!demo) return demo.status();
  CITYOPS_RETURN_IF_ERROR(store_regions(app.store(), *demo));
  CITYOPS_RETURN_IF_ERROR(app.reload_reference());
  spdlog::info("demo regions: {} streets, {} communities, {} governance grids, {} unit grids",
               demo->streets.size(), demo->communities.size(), demo->governance_grids.size(),
               demo->unit_grids.size());

  auto users = create_demo_users(app.accounts(), *app.reference());
  if (!users) return users.status();
  spdlog::info("demo accounts: {}, one per role and a grid leader", users->size());

  auto staff = demo_staff(*app.reference());
  if (!staff) return staff.status();
  auto written = app.store().upsert_staff(
      *staff, std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  if (!written) return written.status();
  spdlog::info("demo staff: {} over {} governance grids", staff->size(),
               app.reference()->regions_of("governance_grid").size());
  return users;
}

Result<store::CaseQuery::Box> district_bounds(store::Store& store) {
  auto districts = store.regions("district");
  if (!districts) return districts.status();
  if (districts->empty()) return internal_error("no district outline is loaded");
  auto outline = geo::parse_features(districts->front().geometry);
  if (!outline || outline->empty()) return internal_error("the district outline is unreadable");
  store::CaseQuery::Box box{180, 90, -180, -90};
  for (const auto& polygon : outline->front().geometry) {
    for (const auto& p : polygon.outer()) {
      box.min_lon = std::min(box.min_lon, p.x());
      box.max_lon = std::max(box.max_lon, p.x());
      box.min_lat = std::min(box.min_lat, p.y());
      box.max_lat = std::max(box.max_lat, p.y());
    }
  }
  return box;
}

}  // namespace cityops::app
