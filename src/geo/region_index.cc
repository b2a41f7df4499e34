#include "geo/region_index.h"

#include <array>
#include <utility>
#include <vector>

#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/geometry/strategies/strategies.hpp>

namespace cityops::geo {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

constexpr size_t kLayerCount = 5;

struct Region {
  std::string id;
  MultiPolygon area;
};

using TreeValue = std::pair<Box, size_t>;  // bounding box, index into Layer::regions
using Tree = bgi::rtree<TreeValue, bgi::rstar<16>>;

struct Layer {
  std::vector<Region> regions;
  Tree tree;
};

}  // namespace

struct RegionIndex::Impl {
  std::array<Layer, kLayerCount> layers;
};

RegionIndex::RegionIndex() : impl_(std::make_unique<Impl>()) {}
RegionIndex::~RegionIndex() = default;
RegionIndex::RegionIndex(RegionIndex&&) noexcept = default;
RegionIndex& RegionIndex::operator=(RegionIndex&&) noexcept = default;

void RegionIndex::add(RegionLayer layer, std::string id, MultiPolygon area) {
  Layer& l = impl_->layers[static_cast<size_t>(layer)];
  const size_t index = l.regions.size();
  // An empty shape has no meaningful envelope; keep it countable but out of the tree.
  const bool empty = area.empty();
  Box box;
  if (!empty) box = bounding_box(area);
  l.regions.push_back(Region{std::move(id), std::move(area)});
  if (!empty) l.tree.insert(TreeValue{box, index});
}

std::optional<std::string> RegionIndex::locate(RegionLayer layer, LonLat p) const {
  const Layer& l = impl_->layers[static_cast<size_t>(layer)];
  const Point point = to_point(p);
  const Region* best = nullptr;
  // Query iterators avoid allocating a result vector on every lookup.
  for (auto it = l.tree.qbegin(bgi::covers(point)); it != l.tree.qend(); ++it) {
    const Region& candidate = l.regions[it->second];
    if (best != nullptr && candidate.id >= best->id) continue;
    if (bg::covered_by(point, candidate.area)) best = &candidate;
  }
  if (best == nullptr) return std::nullopt;
  return best->id;
}

size_t RegionIndex::size(RegionLayer layer) const {
  return impl_->layers[static_cast<size_t>(layer)].regions.size();
}

}  // namespace cityops::geo
