#include "geo/grid_generator.h"

#include <cmath>
#include <exception>
#include <numbers>
#include <set>

#include <fmt/format.h>
// Boost 1.74's envelope of multi-geometries, used inside intersection, trips a false
// maybe-uninitialized warning in GCC at -O2; silence it for these headers only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/algorithms/intersects.hpp>
#pragma GCC diagnostic pop

namespace cityops::geo {
namespace {

namespace bg = boost::geometry;

constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180.0;
constexpr double kMaxLatticeSquares = 4e6;
constexpr double kSliverFraction = 0.01;
constexpr int kMaxSequence = 999;

bool is_community_code(const std::string& code) {
  if (code.size() != 12) return false;
  for (char ch : code) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// A community clipped to the outline, with its envelope for cheap rejection.
struct Clipped {
  const CommunityArea* community;
  MultiPolygon area;
  Box envelope;
  int next_sequence = 1;
};

Polygon square(double west, double south, double east, double north) {
  Polygon p;
  // Counter-clockwise and closed, as the Polygon type requires.
  p.outer() = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
  return p;
}

Result<std::vector<Clipped>> clip_communities(const MultiPolygon& outline,
                                              const std::vector<CommunityArea>& communities) {
  std::vector<Clipped> clipped;
  std::set<std::string> seen;
  for (const CommunityArea& community : communities) {
    if (!is_community_code(community.code)) {
      return invalid("invalid_code",
                     fmt::format("community code \"{}\" is not 12 digits", community.code), "code");
    }
    if (!seen.insert(community.code).second) {
      return invalid("invalid_code", fmt::format("community code {} repeats", community.code),
                     "code");
    }
    Clipped c{&community, {}, {}};
    bg::intersection(community.area, outline, c.area);
    if (c.area.empty()) continue;
    c.envelope = bounding_box(c.area);
    clipped.push_back(std::move(c));
  }
  return clipped;
}

Result<std::vector<UnitGridCell>> generate(const MultiPolygon& outline,
                                           const std::vector<CommunityArea>& communities,
                                           double cell_size_m) {
  const Box bounds = bounding_box(outline);
  const double west = bounds.min_corner().x();
  const double north = bounds.max_corner().y();
  const double mean_lat = (bounds.min_corner().y() + north) / 2;
  const double dlat = cell_size_m / kMetresPerDegree;
  const double dlon = dlat / std::cos(mean_lat * std::numbers::pi / 180);
  const double rows_f = std::ceil((north - bounds.min_corner().y()) / dlat);
  const double cols_f = std::ceil((bounds.max_corner().x() - west) / dlon);
  if (!(rows_f * cols_f <= kMaxLatticeSquares)) {
    return invalid("invalid_cell_size",
                   fmt::format("{} m cells would need {} lattice squares; at most {} allowed",
                               cell_size_m, rows_f * cols_f, kMaxLatticeSquares),
                   "cell_size_m");
  }

  auto clipped = clip_communities(outline, communities);
  if (!clipped) return clipped.status();

  const double sliver_m2 = kSliverFraction * cell_size_m * cell_size_m;
  const int rows = std::max(1, static_cast<int>(rows_f));
  const int cols = std::max(1, static_cast<int>(cols_f));
  std::vector<UnitGridCell> cells;
  for (int r = 0; r < rows; ++r) {
    const double top = north - r * dlat;
    const double bottom = north - (r + 1) * dlat;
    for (int c = 0; c < cols; ++c) {
      const double left = west + c * dlon;
      const double right = west + (c + 1) * dlon;
      const Box cell_box{{left, bottom}, {right, top}};
      const Polygon cell_square = square(left, bottom, right, top);
      for (Clipped& community : *clipped) {
        if (!bg::intersects(cell_box, community.envelope)) continue;
        MultiPolygon piece;
        bg::intersection(cell_square, community.area, piece);
        if (piece.empty() || area_m2(piece) < sliver_m2) continue;
        if (community.next_sequence > kMaxSequence) {
          return invalid("too_many_cells",
                         fmt::format("community {} would need more than {} unit grids of {} m",
                                     community.community->code, kMaxSequence, cell_size_m),
                         community.community->code);
        }
        const std::string id =
            fmt::format("{}{:03d}", community.community->code, community.next_sequence++);
        cells.push_back(UnitGridCell{id, community.community->code, std::move(piece)});
      }
    }
  }
  return cells;
}

}  // namespace

Result<std::vector<UnitGridCell>> generate_unit_grids(const MultiPolygon& outline,
                                                      const std::vector<CommunityArea>& communities,
                                                      double cell_size_m) {
  if (!std::isfinite(cell_size_m) || cell_size_m < 1) {
    return invalid("invalid_cell_size",
                   fmt::format("cell size {} m is not at least 1 m", cell_size_m), "cell_size_m");
  }
  if (outline.empty() || bg::area(outline) <= 0) {
    return invalid("empty_outline", "the outline has no area", "outline");
  }
  // Boost.Geometry reports invalid input (self-intersections and the like) by throwing.
  try {
    return generate(outline, communities, cell_size_m);
  } catch (const std::exception& e) {
    return invalid("geometry_failed", fmt::format("clipping the outline failed: {}", e.what()));
  }
}

}  // namespace cityops::geo
