// Road lengths, points along roads, where roads meet and points inside areas, checked against
// answers worked out by hand on a degree grid near Beidaihe.
#include "geo/place_geometry.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "support/geo_support.h"

namespace cityops::geo {
namespace {

constexpr double kMetresPerDegreeLat = 6371008.8 * std::numbers::pi / 180;

TEST(PlaceGeometry, LengthAndPointsAlongALine) {
  const std::vector<LonLat> north{{119.5, 39.80}, {119.5, 39.81}, {119.5, 39.83}};
  EXPECT_NEAR(line_length_m(north), 0.03 * kMetresPerDegreeLat, 0.01);
  EXPECT_EQ(line_length_m({{119.5, 39.8}}), 0);

  const struct {
    double metres;
    double lat;
  } cases[] = {{-5, 39.80},
               {0, 39.80},
               {0.005 * kMetresPerDegreeLat, 39.805},
               {0.02 * kMetresPerDegreeLat, 39.82},
               {1e9, 39.83}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.metres);
    const LonLat p = point_along(north, c.metres);
    EXPECT_DOUBLE_EQ(p.lon, 119.5);
    EXPECT_NEAR(p.lat, c.lat, 1e-9);
  }
}

TEST(PlaceGeometry, ClosestApproachOfTwoLines) {
  // A cross: the east-west line meets the north-south one at (119.5, 39.8).
  const std::vector<LonLat> east{{119.49, 39.80}, {119.51, 39.80}};
  const std::vector<LonLat> north{{119.50, 39.79}, {119.50, 39.81}};
  auto meet = closest_approach(east, north);
  EXPECT_EQ(meet.gap_m, 0);
  EXPECT_LT(distance_m(meet.point, {119.50, 39.80}), 0.01);

  // A T whose stem stops 0.001 degree (about 111 m) short of the bar: halfway across the gap.
  const std::vector<LonLat> stem{{119.50, 39.78}, {119.50, 39.799}};
  meet = closest_approach(east, stem);
  EXPECT_NEAR(meet.gap_m, 0.001 * kMetresPerDegreeLat, 0.5);
  EXPECT_LT(distance_m(meet.point, {119.50, 39.7995}), 0.5);

  // Parallel lines 0.002 degree apart, overlapping between 119.50 and 119.51: every point of
  // the overlap is equally close, and the first line's end is tried before the second's start.
  const std::vector<LonLat> parallel{{119.50, 39.802}, {119.52, 39.802}};
  meet = closest_approach(east, parallel);
  EXPECT_NEAR(meet.gap_m, 0.002 * kMetresPerDegreeLat, 0.5);
  EXPECT_LT(distance_m(meet.point, {119.51, 39.801}), 0.5);
}

TEST(PlaceGeometry, InteriorPointStaysInsideAwkwardShapes) {
  const struct {
    const char* label;
    Ring ring;
  } cases[] = {
      {"square", {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
      // The centroid of a C lies in its mouth.
      {"C", {{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 2}, {3, 2}, {3, 3}, {0, 3}, {0, 0}}},
      {"thin L", {{0, 0}, {10, 0}, {10, 0.2}, {0.2, 0.2}, {0.2, 10}, {0, 10}, {0, 0}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    MultiPolygon area;
    area.resize(1);
    area[0].outer() = c.ring;
    const LonLat p = interior_point(area);
    EXPECT_TRUE(cityops::testing::area_contains(area, p)) << p.lon << " " << p.lat;
    // Deterministic: the same area gives the same point.
    const LonLat again = interior_point(area);
    EXPECT_EQ(p.lon, again.lon);
    EXPECT_EQ(p.lat, again.lat);
  }

  // A ring with a hole over the centroid.
  MultiPolygon holed;
  holed.resize(1);
  holed[0].outer() = {{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}};
  holed[0].inners().push_back({{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}});
  const LonLat p = interior_point(holed);
  EXPECT_TRUE(cityops::testing::area_contains(holed, p)) << p.lon << " " << p.lat;

  EXPECT_EQ(interior_point(MultiPolygon{}).lon, 0);
}

}  // namespace
}  // namespace cityops::geo
