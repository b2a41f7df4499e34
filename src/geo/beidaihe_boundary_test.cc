// Unit grids and lookups over the published outline of Beidaihe District, which is in GCJ-02
// (read from ../shared/data; skipped when that folder is absent).
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <set>
#include <string>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/intersection.hpp>
#pragma GCC diagnostic pop
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "geo/geojson.h"
#include "geo/grid_generator.h"
#include "geo/region_index.h"
#include "support/geo_support.h"
#include "support/shared_data.h"

namespace cityops::geo {
namespace {

using cityops::testing::area_contains;

constexpr double kCellM = 250;
constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180;
constexpr int kStrips = 6;

MultiPolygon load_outline_gcj02(const std::filesystem::path& data) {
  const auto features = parse_features(cityops::testing::read_text(
      (data / "boundaries" / "beidaihe_130304_datav_v3_gcj02.geojson").string()));
  EXPECT_TRUE(features) << features.status().message();
  if (!features || features->size() != 1) return {};
  EXPECT_EQ(features->front().properties.value("adcode", 0), 130304);
  return features->front().geometry;
}

// Cuts the outline into vertical strips used as communities: the whole district at 250 m is
// about 2 700 cells, more than one community's 3-digit sequence can number.
std::vector<CommunityArea> strips(const MultiPolygon& outline) {
  const Box b = bounding_box(outline);
  const double width = (b.max_corner().x() - b.min_corner().x()) / kStrips;
  std::vector<CommunityArea> out;
  for (int i = 0; i < kStrips; ++i) {
    const double west = b.min_corner().x() + i * width;
    Polygon box;
    box.outer() = {{west, b.min_corner().y() - 0.01},
                   {west + width, b.min_corner().y() - 0.01},
                   {west + width, b.max_corner().y() + 0.01},
                   {west, b.max_corner().y() + 0.01},
                   {west, b.min_corner().y() - 0.01}};
    CommunityArea community{fmt::format("130304900{:03d}", i + 1), {}};
    boost::geometry::intersection(outline, box, community.area);
    out.push_back(std::move(community));
  }
  return out;
}

// The cell whose polygon contains `p`, by the test-side point-in-polygon; "" when none does.
std::string containing_cell(const std::vector<UnitGridCell>& cells, LonLat p) {
  for (const UnitGridCell& cell : cells) {
    if (area_contains(cell.area, p)) return cell.id;
  }
  return "";
}

class BeidaiheBoundaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CITYOPS_REQUIRE_SHARED_DATA(data);
    outline_gcj02_ = load_outline_gcj02(data);
    ASSERT_FALSE(outline_gcj02_.empty());
    outline_ = convert_datum(outline_gcj02_, Datum::kGcj02, Datum::kWgs84);
  }
  MultiPolygon outline_gcj02_;
  MultiPolygon outline_;
};

TEST_F(BeidaiheBoundaryTest, TheWholeDistrictIsTooManyCellsForOneCommunity) {
  const auto cells = generate_unit_grids(outline_, {{"130304900000", outline_}}, kCellM);
  ASSERT_FALSE(cells);
  EXPECT_EQ(cells.status().code(), "too_many_cells");
}

TEST_F(BeidaiheBoundaryTest, UnitGridsTileTheDistrictInLatticeOrder) {
  const auto cells = generate_unit_grids(outline_, strips(outline_), kCellM);
  ASSERT_TRUE(cells) << cells.status().message();

  double total = 0;
  std::set<std::string> ids;
  for (const UnitGridCell& cell : *cells) {
    total += area_m2(cell.area);
    EXPECT_EQ(cell.id.size(), 15u);
    EXPECT_TRUE(ids.insert(cell.id).second) << cell.id;
  }
  const double outline_m2 = area_m2(outline_);
  EXPECT_NEAR(total, outline_m2, outline_m2 * 0.005);
  // About 157 km2 of 0.0625 km2 cells, plus partial cells along the edges.
  EXPECT_GT(cells->size(), 2500u);
  EXPECT_LT(cells->size(), 3200u);

  // The lattice as the header states it, restated here to recover each cell's row and column
  // from a point inside it.
  const Box b = bounding_box(outline_);
  const double north = b.max_corner().y();
  const double west = b.min_corner().x();
  const double mean_lat = (b.min_corner().y() + north) / 2;
  const double dlat = kCellM / kMetresPerDegree;
  const double dlon = dlat / std::cos(mean_lat * std::numbers::pi / 180);
  std::map<std::string, std::pair<int, int>> last;
  for (const UnitGridCell& cell : *cells) {
    SCOPED_TRACE(cell.id);
    // Each piece lies in one lattice square, which is convex, so its vertex average does too.
    double x = 0, y = 0;
    const Ring& ring = cell.area[0].outer();
    for (size_t i = 0; i + 1 < ring.size(); ++i) x += ring[i].x(), y += ring[i].y();
    const double n = static_cast<double>(ring.size() - 1);
    const std::pair<int, int> position{static_cast<int>(std::floor((north - y / n) / dlat)),
                                       static_cast<int>(std::floor((x / n - west) / dlon))};
    const auto it = last.find(cell.community_code);
    const int sequence = std::stoi(cell.id.substr(12));
    if (it == last.end()) {
      EXPECT_EQ(sequence, 1);
    } else {
      EXPECT_LT(it->second, position) << "north to south, then west to east";
    }
    last[cell.community_code] = position;
  }
  EXPECT_EQ(last.size(), static_cast<size_t>(kStrips));
}

TEST_F(BeidaiheBoundaryTest, Gcj02PointsResolveOnlyAfterConversion) {
  const auto cells = generate_unit_grids(outline_, strips(outline_), kCellM);
  ASSERT_TRUE(cells) << cells.status().message();
  RegionIndex index;
  for (const UnitGridCell& cell : *cells) index.add(RegionLayer::kUnitGrid, cell.id, cell.area);

  // Points spread over the district as a map client would report them, in GCJ-02. A fixed
  // linear congruential sequence keeps them the same on every platform.
  const Box b = bounding_box(outline_gcj02_);
  uint64_t state = 20261204;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  int checked = 0;
  for (int attempt = 0; attempt < 1000 && checked < 50; ++attempt) {
    const LonLat gcj{b.min_corner().x() + next() * (b.max_corner().x() - b.min_corner().x()),
                     b.min_corner().y() + next() * (b.max_corner().y() - b.min_corner().y())};
    if (!area_contains(outline_gcj02_, gcj)) continue;
    const LonLat wgs = convert(gcj, Datum::kGcj02, Datum::kWgs84);
    const std::string expected = containing_cell(*cells, wgs);
    // A point inside the district can still miss every cell by falling in a dropped sliver.
    if (expected.empty()) continue;
    ++checked;
    SCOPED_TRACE(fmt::format("gcj02 {:.6f}, {:.6f} -> {}", gcj.lon, gcj.lat, expected));

    EXPECT_GT(distance_m(gcj, wgs), 450);
    EXPECT_LT(distance_m(gcj, wgs), 650);
    EXPECT_EQ(index.locate(RegionLayer::kUnitGrid, wgs), expected);
    // Taking the GCJ-02 numbers for WGS84 moves the point by more than a cell's diagonal.
    const auto wrong = index.locate(RegionLayer::kUnitGrid, gcj);
    EXPECT_NE(wrong.value_or(""), expected);
    EXPECT_NE(containing_cell(*cells, gcj), expected);
  }
  EXPECT_EQ(checked, 50);
}

}  // namespace
}  // namespace cityops::geo
