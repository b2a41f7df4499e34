// Filters for the components inventory and for case counts, kept apart from store.h so that
// the store's own header stays about cases.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/component.h"

namespace cityops::store {

// Unset fields do not filter. Without `near` components come by id; with it, closest first.
struct ComponentQuery {
  struct Box {
    double min_lon, min_lat, max_lon, max_lat;
  };
  std::optional<Box> bbox;  // WGS84
  // A WGS84 centre; with `radius_m`, only components within it.
  struct Point {
    double lon, lat;
  };
  std::optional<Point> near;
  std::optional<double> radius_m;
  std::optional<std::string> category;
  std::optional<ComponentStatus> status;
  int limit = 100;
  int offset = 0;
};

struct ComponentPage {
  std::vector<Component> items;
  bool more = false;  // another page follows
};

// Counts of cases reported in [from, to), grouped by one plain column.
struct CaseCountQuery {
  // unit_grid, governance_grid, street, community or category.
  std::string by;
  Timestamp from{};
  Timestamp to{};
  std::optional<std::string> category;
  bool open_only = false;
};

struct KeyCount {
  std::string key;
  int64_t count = 0;
};

struct UpsertCounts {
  int64_t imported = 0;  // new ids
  int64_t updated = 0;   // ids already stored, replaced
};

}  // namespace cityops::store
