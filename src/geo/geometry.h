// Planar geometry types over longitude/latitude degrees.
//
// Boost.Geometry models with x = longitude and y = latitude in degrees, treated as cartesian.
// At district scale (tens of kilometres) the distortion of treating degrees as a plane is far
// below what matters for point-in-polygon and clipping, and cartesian algorithms are much
// faster than geographic ones. Areas in square metres come from area_m2(), which projects.
//
// Polygons follow RFC 7946: outer rings counter-clockwise, holes clockwise, rings closed (the
// last point repeats the first). boost::geometry::correct() establishes this for any input.
// Only the model headers are included here; algorithms (area, intersection, rtree) belong in
// the .cc files that use them, to keep compile times low.
#pragma once

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include "geo/datum.h"

namespace cityops::geo {

using Point = boost::geometry::model::d2::point_xy<double>;
using Polygon = boost::geometry::model::polygon<Point, /*ClockWise=*/false, /*Closed=*/true>;
using Ring = Polygon::ring_type;
using MultiPolygon = boost::geometry::model::multi_polygon<Polygon>;
using Box = boost::geometry::model::box<Point>;

inline Point to_point(LonLat p) { return Point{p.lon, p.lat}; }
inline LonLat to_lon_lat(const Point& p) { return LonLat{p.x(), p.y()}; }

// The smallest box holding every outer-ring vertex; a box with inverted (infinite) corners for
// an empty shape.
Box bounding_box(const MultiPolygon& area);

// Approximate area in square metres. Vertices are projected with a sinusoidal projection
// centred on the shape's bounding box, which is equal-area on the sphere, so the only error is
// that of straight edges in degrees being slightly curved on the ground: negligible at
// district scale. Holes are subtracted whatever their orientation; 0 for an empty shape.
double area_m2(const MultiPolygon& area);

}  // namespace cityops::geo
