// The geometry behind the gazetteer: distances along a road, where two roads meet, and a point
// that is sure to lie inside an area. Inputs and outputs are WGS84 longitude/latitude.
#pragma once

#include <vector>

#include "geo/datum.h"
#include "geo/geometry.h"

namespace cityops::geo {

// The length of a polyline in metres, the sum of its great-circle segment lengths.
double line_length_m(const std::vector<LonLat>& line);

// The point `metres` along `line` from its first vertex, interpolated linearly in degrees
// within the segment reached. Held at the first vertex below 0 and at the last past the end.
// REQUIRES: `line` is not empty.
LonLat point_along(const std::vector<LonLat>& line, double metres);

struct Approach {
  LonLat point{};    // where the lines cross, or halfway between their closest points
  double gap_m = 0;  // 0 where they cross
};

// Where two polylines come closest, computed on a local plane (metres east and north of the
// first vertex of `a`), which is exact enough over a district. Where several segment pairs
// tie, the first pair in vertex order wins, so the answer is deterministic.
// REQUIRES: both lines have at least one vertex.
Approach closest_approach(const std::vector<LonLat>& a, const std::vector<LonLat>& b);

// A point inside `area`: the centroid of its largest polygon when that lies inside it,
// otherwise the middle of the widest inside span on one of a few horizontal lines across that
// polygon (a centroid can fall outside a crescent or an L-shaped community). The same area
// always gives the same point; (0, 0) for an area without surface.
LonLat interior_point(const MultiPolygon& area);

}  // namespace cityops::geo
