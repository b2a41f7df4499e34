// The reference data every request needs, loaded once from the store into memory: the
// taxonomy, departments and routing rules, the working calendar, the regions with their
// spatial index, and the gazetteer of named places built over those regions. A snapshot is
// immutable and shared between threads; an import builds a new snapshot rather than changing
// one in place.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/calendar.h"
#include "domain/department.h"
#include "domain/routing.h"
#include "domain/self_handling.h"
#include "domain/taxonomy.h"
#include "geo/gazetteer.h"
#include "geo/region_index.h"
#include "store/store.h"

namespace cityops::services {

// Names of the region layers as stored and as the API spells them.
inline constexpr std::array<std::string_view, 5> kRegionLayers{"district", "street", "community",
                                                               "unit_grid", "governance_grid"};
std::optional<geo::RegionLayer> parse_region_layer(std::string_view name);

struct RegionInfo {
  std::string code;
  std::string layer;
  std::string name;
  std::string parent;
};

// Where a point falls, layer by layer. Empty strings where a layer has no region there.
struct Placement {
  std::string district;
  std::string street;
  std::string community;
  std::string unit_grid;
  std::string governance_grid;
};

class ReferenceData {
 public:
  // Builds a snapshot from what the store holds. Missing sets give empty lists (a fresh
  // database), but a set that does not parse is an error: the server must not start on it.
  // The gazetteer holds the places of `places_csv` (parse_gazetteer_csv; none when empty) and
  // the stored street and community regions; a places file that does not parse is an error.
  // `self_handling_csv` lists the categories grid workers may handle on the spot (none when
  // empty); a list naming an unknown category is an error.
  static Result<std::shared_ptr<const ReferenceData>> load(store::Store& store,
                                                           const OfficeHours& office_hours,
                                                           std::string_view places_csv = {},
                                                           std::string_view self_handling_csv = {});

  const Taxonomy& taxonomy() const { return taxonomy_; }
  const std::vector<Department>& departments() const { return departments_; }
  const Department* department(std::string_view code) const;
  const Router& router() const { return router_; }
  const WorkCalendar& calendar() const { return calendar_; }
  const geo::RegionIndex& regions() const { return index_; }
  const RegionInfo* region(std::string_view code) const;
  const std::vector<RegionInfo>& regions_of(std::string_view layer) const;
  // Named places, roads, streets and communities: resolve() turns an address into a point.
  const geo::Gazetteer& gazetteer() const { return gazetteer_; }
  // The categories a grid worker may handle on the spot (自处置).
  const SelfHandlingList& self_handling() const { return self_handling_; }

  // Resolves a WGS84 point to every region layer.
  Placement place(geo::LonLat wgs84) const;

 private:
  ReferenceData(Taxonomy taxonomy, std::vector<Department> departments, Router router,
                WorkCalendar calendar)
      : taxonomy_(std::move(taxonomy)),
        departments_(std::move(departments)),
        router_(std::move(router)),
        calendar_(std::move(calendar)) {}

  Taxonomy taxonomy_;
  std::vector<Department> departments_;
  Router router_;
  WorkCalendar calendar_;
  geo::RegionIndex index_;
  std::map<std::string, RegionInfo, std::less<>> regions_by_code_;
  std::map<std::string, std::vector<RegionInfo>, std::less<>> regions_by_layer_;
  geo::Gazetteer gazetteer_;
  SelfHandlingList self_handling_;
};

}  // namespace cityops::services
