#include "app/demo.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <random>

#include "app/demo_workflow.h"
#include "app/importer.h"
#include "geo/demo_regions.h"
#include "geo/geojson.h"

namespace cityops::app {

namespace {

// Roads, places and names that make the demo read like the district's own register.
constexpr std::array<std::string_view, 16> kPlaces{
    "海宁路",     "保二路",   "东经路", "西经路",    "联峰路",           "中海滩路",
    "草厂路",     "安一路",   "剑秋路", "东海滩路",  "北戴河火车站广场", "老虎石公园",
    "鸽子窝公园", "刘庄市场", "戴河口", "碧螺塔公园"};
constexpr std::array<std::string_view, 12> kSurnames{"张", "王", "李", "赵", "刘", "陈",
                                                     "杨", "黄", "周", "吴", "孙", "马"};
constexpr std::array<std::string_view, 12> kGivenNames{"伟", "芳", "敏", "静", "磊", "洋",
                                                       "艳", "军", "杰", "娟", "强", "霞"};

// Categories that fill a resort district's register, most frequent first.
constexpr std::array<std::string_view, 18> kCommonCategories{
    "06015", "06001", "06002", "06017", "06006", "06010", "06030", "06036", "07001",
    "08001", "01001", "01002", "02003", "02007", "03001", "04001", "06023", "06008"};

struct ChannelWeight {
  Channel channel;
  int weight;
};
constexpr std::array<ChannelWeight, 8> kChannels{{
    {Channel::kHotline, 40},
    {Channel::kGridPatrol, 22},
    {Channel::kWeb, 10},
    {Channel::kMobileApp, 10},
    {Channel::kVideoAnalytics, 8},
    {Channel::kInspection, 6},
    {Channel::kSensor, 2},
    {Channel::kLeaderInstruction, 2},
}};

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

Channel pick_channel(std::mt19937& rng) {
  int total = 0;
  for (const auto& c : kChannels) total += c.weight;
  int roll = std::uniform_int_distribution<int>(0, total - 1)(rng);
  for (const auto& c : kChannels) {
    if (roll < c.weight) return c.channel;
    roll -= c.weight;
  }
  return Channel::kHotline;
}

Status report_demo_cases(App& app, const Clock& clock, const DemoOptions& options) {
  std::mt19937 rng(options.seed);
  const auto reference = app.reference();
  const auto& unit_grids = reference->regions_of("unit_grid");
  if (unit_grids.empty()) return internal_error("demo regions have no unit grids");

  std::vector<const Category*> categories;
  for (auto code : kCommonCategories) {
    if (const auto* c = reference->taxonomy().find(code)) categories.push_back(c);
  }
  if (categories.empty()) return internal_error("demo categories missing from the taxonomy");

  // Points are drawn in the district's bounding box and kept when they fall in a unit grid.
  double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;
  auto districts = app.store().regions("district");
  if (!districts || districts->empty()) return internal_error("demo district missing");
  auto outline = geo::parse_features(districts->front().geometry);
  if (!outline || outline->empty()) return internal_error("demo outline unreadable");
  for (const auto& polygon : outline->front().geometry) {
    for (const auto& p : polygon.outer()) {
      min_lon = std::min(min_lon, p.x());
      max_lon = std::max(max_lon, p.x());
      min_lat = std::min(min_lat, p.y());
      max_lat = std::max(max_lat, p.y());
    }
  }

  const auto now = clock.now();
  std::uniform_real_distribution<double> lon(min_lon, max_lon), lat(min_lat, max_lat);
  std::uniform_int_distribution<int> day(0, options.days - 1), hour(6, 21), minute(0, 59);
  std::geometric_distribution<int> category_rank(0.18);
  std::uniform_int_distribution<size_t> place(0, kPlaces.size() - 1);
  std::uniform_int_distribution<size_t> surname(0, kSurnames.size() - 1);
  std::uniform_int_distribution<size_t> given(0, kGivenNames.size() - 1);
  std::uniform_int_distribution<int> phone(10000000, 99999999);

  for (int i = 0; i < options.cases; ++i) {
    services::NewCase input;
    do {
      input.location = {lon(rng), lat(rng)};
    } while (reference->place(input.location).unit_grid.empty());
    const auto* category = categories[std::min<size_t>(category_rank(rng), categories.size() - 1)];
    input.category = reference->taxonomy().ref_of(*category);
    const auto where = kPlaces[place(rng)];
    input.address = fmt::format("北戴河区{}", where);
    input.description = fmt::format("{}附近发现{}，请相关部门尽快处理。", where, category->name);
    input.channel = pick_channel(rng);
    input.urgency = i % 11 == 0 ? Urgency::kUrgent : Urgency::kNormal;
    input.reporter = {fmt::format("{}{}", kSurnames[surname(rng)], kGivenNames[given(rng)]),
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
  auto demo = geo::build_demo_regions(wgs84, options.unit_cell_m);
  if (!demo) return demo.status();
  CITYOPS_RETURN_IF_ERROR(store_regions(app.store(), *demo));
  CITYOPS_RETURN_IF_ERROR(app.reload_reference());
  spdlog::info("demo regions: {} streets, {} communities, {} governance grids, {} unit grids",
               demo->streets.size(), demo->communities.size(), demo->governance_grids.size(),
               demo->unit_grids.size());

  auto users = create_demo_users(app.accounts(), *app.reference());
  if (!users) return users.status();
  spdlog::info("demo accounts: {}, one per role", users->size());

  CITYOPS_RETURN_IF_ERROR(report_demo_cases(app, clock, options));
  spdlog::info("demo cases: {} reported over the last {} days", options.cases, options.days);
  CITYOPS_RETURN_IF_ERROR(advance_demo_cases(app, clock.now(), options.seed));
  return users;
}

}  // namespace cityops::app
