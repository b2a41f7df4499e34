#include "services/reference_data.h"

#include <spdlog/spdlog.h>

#include "domain/calendar_import.h"
#include "geo/geojson.h"

namespace cityops::services {

std::optional<geo::RegionLayer> parse_region_layer(std::string_view name) {
  if (name == "district") return geo::RegionLayer::kDistrict;
  if (name == "street") return geo::RegionLayer::kStreet;
  if (name == "community") return geo::RegionLayer::kCommunity;
  if (name == "unit_grid") return geo::RegionLayer::kUnitGrid;
  if (name == "governance_grid") return geo::RegionLayer::kGovernanceGrid;
  return std::nullopt;
}

namespace {

Status context(const Status& status, const std::string& set) {
  return {status.kind(), status.code(), "reference set '" + set + "': " + status.message(),
          status.field()};
}

}  // namespace

Result<std::shared_ptr<const ReferenceData>> ReferenceData::load(store::Store& store,
                                                                 const OfficeHours& hours,
                                                                 std::string_view places_csv,
                                                                 std::string_view self_handling) {
  auto sets = store.reference_sets();
  if (!sets) return sets.status();

  std::vector<Category> categories;
  // A district may load several category files (a standard list and its own extension).
  for (const auto& [name, content] : *sets) {
    if (name.rfind("taxonomy", 0) != 0) continue;
    auto parsed = parse_taxonomy_csv(content);
    if (!parsed) return context(parsed.status(), name);
    for (auto& c : *parsed) categories.push_back(std::move(c));
  }
  CITYOPS_RETURN_IF_ERROR(check_unique_codes(categories));
  std::vector<Department> departments;
  if (auto it = sets->find("departments"); it != sets->end()) {
    auto parsed = parse_departments_csv(it->second);
    if (!parsed) return context(parsed.status(), "departments");
    departments = std::move(parsed).value();
  }
  std::vector<RoutingRule> rules;
  if (auto it = sets->find("routing"); it != sets->end()) {
    auto parsed = parse_routing_csv(it->second);
    if (!parsed) return context(parsed.status(), "routing");
    rules = std::move(parsed).value();
  }
  std::vector<CalendarYear> years;
  for (const auto& [name, content] : *sets) {
    if (name.rfind("calendar-", 0) != 0) continue;
    auto parsed = parse_calendar_csv(content);
    if (!parsed) return context(parsed.status(), name);
    years.push_back(std::move(parsed).value());
  }

  std::shared_ptr<ReferenceData> data(
      new ReferenceData(Taxonomy(std::move(categories)), departments,
                        Router(std::move(rules), departments), WorkCalendar(years, hours)));

  // Streets and communities are also places an address can name.
  std::vector<geo::GazetteerArea> named_areas;
  for (const auto layer_name : kRegionLayers) {
    const std::string layer(layer_name);
    auto records = store.regions(layer);
    if (!records) return records.status();
    const bool named = layer == "street" || layer == "community";
    for (const auto& record : *records) {
      auto features = geo::parse_features(record.geometry);
      if (!features || features->empty()) {
        return internal_error("stored geometry of " + record.code + " does not parse");
      }
      geo::GazetteerArea area{record.code, record.name, layer, {}};
      for (auto& feature : *features) {
        if (named) {
          area.area.insert(area.area.end(), feature.geometry.begin(), feature.geometry.end());
        }
        data->index_.add(*parse_region_layer(layer), record.code, std::move(feature.geometry));
      }
      if (named) named_areas.push_back(std::move(area));
      RegionInfo info{record.code, layer, record.name, record.parent};
      data->regions_by_code_.emplace(record.code, info);
      data->regions_by_layer_[layer].push_back(std::move(info));
    }
  }
  auto gazetteer = geo::Gazetteer::build(places_csv, std::move(named_areas));
  if (!gazetteer) {
    const Status& s = gazetteer.status();
    return Status(s.kind(), s.code(), "gazetteer places: " + s.message(), s.field());
  }
  data->gazetteer_ = std::move(gazetteer).value();
  // A fresh database has no taxonomy yet to check the list against; it is read after import.
  if (!data->taxonomy_.all().empty()) {
    auto list = SelfHandlingList::parse(self_handling, data->taxonomy_);
    if (!list) return context(list.status(), "self-handling");
    data->self_handling_ = std::move(list).value();
  }
  spdlog::info(
      "reference data: {} categories, {} departments, {} calendar years, {} unit grids, {} named "
      "places",
      data->taxonomy_.all().size(), data->departments_.size(), years.size(),
      data->index_.size(geo::RegionLayer::kUnitGrid), data->gazetteer_.entries().size());
  return std::shared_ptr<const ReferenceData>(std::move(data));
}

const Department* ReferenceData::department(std::string_view code) const {
  for (const auto& d : departments_) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

const RegionInfo* ReferenceData::region(std::string_view code) const {
  const auto it = regions_by_code_.find(code);
  return it == regions_by_code_.end() ? nullptr : &it->second;
}

const std::vector<RegionInfo>& ReferenceData::regions_of(std::string_view layer) const {
  static const std::vector<RegionInfo> kNone;
  const auto it = regions_by_layer_.find(layer);
  return it == regions_by_layer_.end() ? kNone : it->second;
}

Placement ReferenceData::place(geo::LonLat p) const {
  Placement placement;
  auto at = [&](geo::RegionLayer layer) { return index_.locate(layer, p).value_or(""); };
  placement.district = at(geo::RegionLayer::kDistrict);
  placement.unit_grid = at(geo::RegionLayer::kUnitGrid);
  placement.governance_grid = at(geo::RegionLayer::kGovernanceGrid);
  placement.community = at(geo::RegionLayer::kCommunity);
  placement.street = at(geo::RegionLayer::kStreet);

  // A unit grid id carries its community and street; trust it over a second polygon test
  // where the layers disagree along shared edges.
  if (placement.unit_grid.size() == 15) {
    placement.community = placement.unit_grid.substr(0, 12);
    placement.street = placement.unit_grid.substr(0, 9);
  }
  return placement;
}

}  // namespace cityops::services
