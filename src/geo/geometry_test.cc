#include "geo/geometry.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace cityops::geo {
namespace {

constexpr double kEarthRadiusM = 6371008.8;

MultiPolygon lon_lat_box(double west, double south, double east, double north) {
  MultiPolygon area;
  area.resize(1);
  area[0].outer() = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
  return area;
}

// The exact area of a lon/lat box on the sphere: R^2 * dlon * (sin north - sin south).
double spherical_box_m2(double west, double south, double east, double north) {
  const double rad = std::numbers::pi / 180;
  return kEarthRadiusM * kEarthRadiusM * (east - west) * rad *
         (std::sin(north * rad) - std::sin(south * rad));
}

TEST(Geometry, AreaMatchesTheSphereForLonLatBoxes) {
  const struct {
    const char* label;
    double west, south, east, north;
    double tolerance;  // relative
  } cases[] = {
      {"250 m at Beidaihe", 119.48, 39.83, 119.48 + 0.00292, 39.83 + 0.00225, 1e-4},
      {"a district", 119.32, 39.78, 119.54, 39.92, 1e-4},
      {"at the equator", 10, -0.5, 11, 0.5, 1e-4},
      // Straight edges in degrees are not straight on the ground; a degree-scale box at high
      // latitude shows the approximation, still far inside what grids need.
      {"one degree at 60 N", 20, 60, 21, 61, 5e-3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const double want = spherical_box_m2(c.west, c.south, c.east, c.north);
    EXPECT_NEAR(area_m2(lon_lat_box(c.west, c.south, c.east, c.north)), want, want * c.tolerance);
  }
}

TEST(Geometry, AreaSubtractsHolesAndIgnoresOrientation) {
  MultiPolygon outer = lon_lat_box(119.4, 39.8, 119.5, 39.9);
  const double full = area_m2(outer);
  MultiPolygon with_hole = outer;
  // The hole is written counter-clockwise, the wrong way; it must still be subtracted.
  with_hole[0].inners().push_back(
      {{119.42, 39.82}, {119.44, 39.82}, {119.44, 39.84}, {119.42, 39.84}, {119.42, 39.82}});
  const double hole = area_m2(lon_lat_box(119.42, 39.82, 119.44, 39.84));
  EXPECT_NEAR(area_m2(with_hole), full - hole, full * 1e-9);

  MultiPolygon reversed = outer;
  std::reverse(reversed[0].outer().begin(), reversed[0].outer().end());
  EXPECT_NEAR(area_m2(reversed), full, full * 1e-12);

  EXPECT_EQ(area_m2(MultiPolygon{}), 0);
}

TEST(Geometry, BoundingBoxSpansAllPolygons) {
  MultiPolygon area = lon_lat_box(119.4, 39.8, 119.5, 39.9);
  area.push_back(lon_lat_box(119.6, 39.7, 119.7, 39.75)[0]);
  const Box box = bounding_box(area);
  EXPECT_EQ(box.min_corner().x(), 119.4);
  EXPECT_EQ(box.min_corner().y(), 39.7);
  EXPECT_EQ(box.max_corner().x(), 119.7);
  EXPECT_EQ(box.max_corner().y(), 39.9);

  const Point p = to_point(LonLat{119.1, 39.2});
  EXPECT_EQ(p.x(), 119.1);
  EXPECT_EQ(to_lon_lat(p).lat, 39.2);
}

}  // namespace
}  // namespace cityops::geo
