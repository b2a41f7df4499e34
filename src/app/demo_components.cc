#include "app/demo_components.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <optional>

namespace cityops::app {

namespace {

constexpr std::string_view kToiletCategory = "03001";  // 公共厕所
constexpr std::string_view kLampCategory = "01037";    // 路灯
// Manholes alternate between rain water and sewage, the two networks under every road.
constexpr std::string_view kRainManholeCategory = "01003";    // 雨水井盖
constexpr std::string_view kSewageManholeCategory = "01002";  // 污水井盖
constexpr std::string_view kCameraCategory = "01050";         // 监控电子眼设施
constexpr std::string_view kFloodCategory = "01067";          // 防汛监测设施
// Spots step along their road by this much until they stand inside a unit grid.
constexpr double kNudgeM = 20;

struct Spot {
  const geo::Entry* road;
  double along_m;  // from the road's first vertex
  geo::LonLat point;
};

double road_length(const geo::Entry& road) {
  double total = 0;
  for (size_t i = 1; i < road.line.size(); ++i)
    total += geo::distance_m(road.line[i - 1], road.line[i]);
  return total;
}

// The point `along_m` metres from the road's start, held at its end.
geo::LonLat point_along(const geo::Entry& road, double along_m) {
  for (size_t i = 1; i < road.line.size(); ++i) {
    const double leg = geo::distance_m(road.line[i - 1], road.line[i]);
    if (along_m <= leg && leg > 0) {
      const double t = along_m / leg;
      const auto& a = road.line[i - 1];
      const auto& b = road.line[i];
      return {a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)};
    }
    along_m -= leg;
  }
  return road.line.back();
}

class Builder {
 public:
  Builder(const services::ReferenceData& reference, std::string district, Timestamp now)
      : reference_(reference), district_(std::move(district)), now_(now) {}

  bool inside(geo::LonLat p) const { return !reference_.place(p).unit_grid.empty(); }

  void add(std::string_view category, const Spot& spot, const std::string& name,
           const std::string& owner, ComponentStatus status) {
    int& sequence = sequences_[std::string(category)];
    const auto placement = reference_.place(spot.point);
    Component c;
    c.id = make_component_id(district_, category, ++sequence);
    c.category = std::string(category);
    c.name = name;
    c.location = c.reported_location = spot.point;
    c.unit_grid = placement.unit_grid;
    c.governance_grid = placement.governance_grid;
    const int number = static_cast<int>(spot.along_m / geo::Gazetteer::kMetresPerHouseNumber) + 1;
    c.address = fmt::format("北戴河区{}{}号附近", spot.road->name, number);
    c.status = status;
    c.owner_department = owner;
    const Category* cat = reference_.taxonomy().find(CategoryKind::kComponent, category);
    c.maintainer_department = cat && !cat->department.empty() ? cat->department : owner;
    c.updated_at = now_;
    components_.push_back(std::move(c));
  }

  int sequence(std::string_view category) { return sequences_[std::string(category)]; }
  std::vector<Component>& components() { return components_; }

 private:
  const services::ReferenceData& reference_;
  std::string district_;
  Timestamp now_;
  std::map<std::string, int> sequences_;
  std::vector<Component> components_;
};

// Every `spacing_m` along each road, starting half a spacing in.
std::vector<Spot> spots_every(const std::vector<const geo::Entry*>& roads, double spacing_m) {
  std::vector<Spot> spots;
  for (const auto* road : roads) {
    const double length = road_length(*road);
    for (double at = spacing_m / 2; at < length; at += spacing_m) {
      spots.push_back({road, at, point_along(*road, at)});
    }
  }
  return spots;
}

// `count` spots at equal steps over all roads taken end to end; each moves on along its road
// until it stands inside a unit grid. A spot that never does is empty.
std::vector<std::optional<Spot>> spread_inside(const std::vector<const geo::Entry*>& roads,
                                               double total_m, int count, const Builder& builder) {
  std::vector<std::optional<Spot>> spots;
  const double step = total_m / count;
  size_t road = 0;
  double road_start = 0;
  for (int i = 0; i < count; ++i) {
    const double at = (i + 0.5) * step;
    while (road + 1 < roads.size() && at - road_start > road_length(*roads[road])) {
      road_start += road_length(*roads[road++]);
    }
    Spot spot{roads[road], at - road_start, {}};
    const double length = road_length(*roads[road]);
    bool inside = false;
    for (double tried = 0; tried < 2 * length && !inside; tried += kNudgeM) {
      spot.along_m = std::fmod(at - road_start + tried, length);
      spot.point = point_along(*roads[road], spot.along_m);
      inside = builder.inside(spot.point);
    }
    spots.push_back(inside ? std::optional<Spot>(spot) : std::nullopt);
  }
  return spots;
}

}  // namespace

Result<int64_t> load_demo_components(App& app, Timestamp now) {
  const auto reference = app.reference();
  std::vector<const geo::Entry*> roads;
  double total_m = 0;
  for (const auto& e : reference->gazetteer().entries()) {
    if (!e.is_road()) continue;
    roads.push_back(&e);
    total_m += road_length(e);
  }
  if (roads.empty()) return internal_error("the gazetteer has no roads for demo components");
  Builder builder(*reference, app.config().district_code, now);

  for (const auto& spot : spread_inside(roads, total_m, kDemoToilets, builder)) {
    if (!spot) return internal_error("no place inside for a demo toilet");
    const auto name =
        fmt::format("{}公共厕所{}号", spot->road->name, builder.sequence(kToiletCategory) + 1);
    builder.add(kToiletCategory, *spot, name, "city_mgmt", ComponentStatus::kIntact);
  }
  for (const auto& spot : spread_inside(roads, total_m, kDemoCameras, builder)) {
    if (!spot) return internal_error("no place inside for a demo camera");
    const auto name =
        fmt::format("{}监控{}号", spot->road->name, builder.sequence(kCameraCategory) + 1);
    builder.add(kCameraCategory, *spot, name, "public_security", ComponentStatus::kIntact);
  }
  for (const auto& spot : spread_inside(roads, total_m, kDemoFloodGauges, builder)) {
    if (!spot) return internal_error("no place inside for a demo flood gauge");
    const int n = builder.sequence(kFloodCategory) + 1;
    const auto name = fmt::format("{}积水监测点{}号", spot->road->name, n);
    builder.add(kFloodCategory, *spot, name, "water", ComponentStatus::kIntact);
  }

  for (const auto& spot : spots_every(roads, kDemoLampSpacingM)) {
    if (!builder.inside(spot.point)) continue;
    const int n = builder.sequence(kLampCategory) + 1;
    // One lamp in forty is out, as a patrol would find.
    builder.add(kLampCategory, spot, fmt::format("{}路灯{}号", spot.road->name, n), "city_mgmt",
                n % 40 == 0 ? ComponentStatus::kDamaged : ComponentStatus::kIntact);
  }
  int manholes = 0;
  for (const auto& spot : spots_every(roads, kDemoManholeSpacingM)) {
    if (!builder.inside(spot.point)) continue;
    const auto category = manholes++ % 2 == 0 ? kRainManholeCategory : kSewageManholeCategory;
    const int n = builder.sequence(category) + 1;
    const auto* cat = reference->taxonomy().find(CategoryKind::kComponent, category);
    builder.add(category, spot, fmt::format("{}{}{}号", spot.road->name, cat ? cat->name : "", n),
                "housing", n % 60 == 0 ? ComponentStatus::kLost : ComponentStatus::kIntact);
  }

  auto counts = app.store().upsert_components(builder.components());
  if (!counts) return counts.status();
  spdlog::info(
      "demo components: {} toilets, {} cameras, {} flood gauges, {} street lamps, {} manholes",
      builder.sequence(kToiletCategory), builder.sequence(kCameraCategory),
      builder.sequence(kFloodCategory), builder.sequence(kLampCategory), manholes);
  return counts->imported + counts->updated;
}

}  // namespace cityops::app
