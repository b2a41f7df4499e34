// Test-side geometry written independently of Boost.Geometry, so tests of the geo code do not
// check a library against itself.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "geo/geometry.h"

namespace cityops::testing {

// Even-odd ray casting: true when `p` is strictly inside `ring` (points on an edge may go
// either way, so tests keep their points off edges).
inline bool ring_contains(const geo::Ring& ring, geo::LonLat p) {
  bool inside = false;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const double xi = ring[i].x(), yi = ring[i].y();
    const double xj = ring[j].x(), yj = ring[j].y();
    if ((yi > p.lat) != (yj > p.lat) && p.lon < xi + (p.lat - yi) * (xj - xi) / (yj - yi)) {
      inside = !inside;
    }
  }
  return inside;
}

inline bool area_contains(const geo::MultiPolygon& area, geo::LonLat p) {
  for (const geo::Polygon& polygon : area) {
    if (!ring_contains(polygon.outer(), p)) continue;
    bool in_hole = false;
    for (const geo::Ring& hole : polygon.inners()) in_hole = in_hole || ring_contains(hole, p);
    if (!in_hole) return true;
  }
  return false;
}

// Twice the signed shoelace area in square degrees: positive for counter-clockwise rings.
inline double signed_area2(const geo::Ring& ring) {
  double sum = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    sum += ring[i].x() * ring[i + 1].y() - ring[i + 1].x() * ring[i].y();
  }
  return sum;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cityops::testing
