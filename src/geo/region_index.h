// Point-to-region lookup for the administrative and grid layers.
//
// Every case location resolves to a unit grid, community, street/town and district, and to a
// governance grid. The index holds one R-tree of bounding boxes per layer; a lookup asks the
// tree for the boxes that contain the point and then tests the few candidate polygons exactly.
//
// Threading: build with add() from one thread, then any number of threads may call the const
// methods concurrently (they read only). add() must not run concurrently with anything.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "geo/geometry.h"

namespace cityops::geo {

enum class RegionLayer { kDistrict, kStreet, kCommunity, kUnitGrid, kGovernanceGrid };

class RegionIndex {
 public:
  RegionIndex();
  ~RegionIndex();
  RegionIndex(RegionIndex&&) noexcept;
  RegionIndex& operator=(RegionIndex&&) noexcept;
  RegionIndex(const RegionIndex&) = delete;
  RegionIndex& operator=(const RegionIndex&) = delete;

  // Adds a region; coordinates are WGS84 lon/lat like every stored location. Ids are not
  // checked for uniqueness; an empty area is kept but never found.
  void add(RegionLayer layer, std::string id, MultiPolygon area);

  // The id of the region of `layer` that covers `p` (interior or boundary), or nullopt.
  // Regions of one layer are expected not to overlap; where they touch, a point on the shared
  // edge or vertex resolves to the smallest id in byte order among the covering regions, so
  // the answer does not depend on insertion order.
  std::optional<std::string> locate(RegionLayer layer, LonLat p) const;

  // How many regions `layer` holds.
  size_t size(RegionLayer layer) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cityops::geo
