#include "geo/demo_regions.h"
#include "common/source_dir.h"

#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "geo/geojson.h"
#include "geo/region_index.h"
#include "support/geo_support.h"

namespace cityops::geo {
namespace {

// The project's own coarse drawing of the district, in GCJ-02.
MultiPolygon demo_outline_wgs84() {
  const std::string text = cityops::testing::read_text(std::string(::cityops::source_dir()) +
                                                       "/data/demo/beidaihe-outline.geojson");
  const auto features = parse_features(text);
  EXPECT_TRUE(features) << features.status().message();
  if (!features || features->size() != 1) return {};
  EXPECT_EQ(features->front().properties.value("datum", ""), "gcj02");
  return convert_datum(features->front().geometry, Datum::kGcj02, Datum::kWgs84);
}

// Whether every sample point of a 7 x 7 raster over `part`'s bounding box that falls inside
// `part` also falls inside `whole`, by the test-side point-in-polygon. Counts the points seen.
// The raster is offset unevenly so that no point lands on the box's diagonals, which are
// often edges of clipped pieces.
bool samples_inside(const MultiPolygon& part, const MultiPolygon& whole, int& seen) {
  const Box b = bounding_box(part);
  for (int i = 0; i < 7; ++i) {
    for (int j = 0; j < 7; ++j) {
      const LonLat p{
          b.min_corner().x() + (i + 0.37) / 7 * (b.max_corner().x() - b.min_corner().x()),
          b.min_corner().y() + (j + 0.61) / 7 * (b.max_corner().y() - b.min_corner().y())};
      if (!cityops::testing::area_contains(part, p)) continue;
      ++seen;
      if (!cityops::testing::area_contains(whole, p)) return false;
    }
  }
  return true;
}

double total_m2(const std::vector<NamedArea>& areas) {
  double sum = 0;
  for (const NamedArea& a : areas) sum += area_m2(a.area);
  return sum;
}

class DemoRegionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    outline_ = new MultiPolygon(demo_outline_wgs84());
    auto built = build_demo_regions(*outline_);
    ASSERT_TRUE(built) << built.status().message();
    regions_ = new DemoRegions(std::move(*built));
  }
  static void TearDownTestSuite() {
    delete regions_;
    delete outline_;
  }
  static MultiPolygon* outline_;
  static DemoRegions* regions_;
};
MultiPolygon* DemoRegionsTest::outline_ = nullptr;
DemoRegions* DemoRegionsTest::regions_ = nullptr;

TEST_F(DemoRegionsTest, OutlineIsACoarseDrawingOfTheDistrict) {
  ASSERT_EQ(outline_->size(), 1u);
  const size_t vertices = (*outline_)[0].outer().size() - 1;
  EXPECT_GE(vertices, 20u);
  EXPECT_LE(vertices, 40u);
  const Box box = bounding_box(*outline_);
  EXPECT_NEAR(box.min_corner().x(), 119.32, 0.02);
  EXPECT_NEAR(box.max_corner().x(), 119.54, 0.02);
  EXPECT_NEAR(box.min_corner().y(), 39.78, 0.02);
  EXPECT_NEAR(box.max_corner().y(), 39.92, 0.02);
}

TEST_F(DemoRegionsTest, HasTheFourStreetsWithTheirCommunities) {
  const DemoRegions& r = *regions_;
  EXPECT_EQ(r.district.code, "130304");
  EXPECT_EQ(r.district.name, "北戴河区");
  const std::map<std::string, std::string> want = {{"130304001", "西山街道"},
                                                   {"130304002", "东山街道"},
                                                   {"130304003", "海滨镇"},
                                                   {"130304004", "戴河镇"}};
  ASSERT_EQ(r.streets.size(), 4u);
  for (const NamedArea& s : r.streets) {
    EXPECT_EQ(want.at(s.code), s.name);
    EXPECT_EQ(s.parent_code, "130304");
  }
  std::map<std::string, int> per_street;
  for (const NamedArea& c : r.communities) {
    SCOPED_TRACE(c.code);
    ASSERT_EQ(c.code.size(), 12u);
    EXPECT_EQ(c.code.substr(0, 9), c.parent_code);
    EXPECT_TRUE(want.count(c.parent_code));
    EXPECT_FALSE(c.name.empty());
    ++per_street[c.parent_code];
  }
  for (const auto& [street, count] : per_street) EXPECT_GE(count, 3) << street;
}

TEST_F(DemoRegionsTest, StreetsLieRoughlyWhereTheyAre) {
  std::map<std::string, Box> boxes;
  for (const NamedArea& s : regions_->streets) boxes[s.name] = bounding_box(s.area);
  const auto mid_x = [&](const char* n) {
    return (boxes[n].min_corner().x() + boxes[n].max_corner().x()) / 2;
  };
  const auto mid_y = [&](const char* n) {
    return (boxes[n].min_corner().y() + boxes[n].max_corner().y()) / 2;
  };
  EXPECT_LT(mid_x("戴河镇"), mid_x("海滨镇"));
  EXPECT_LT(mid_x("西山街道"), mid_x("东山街道"));
  EXPECT_LT(mid_y("西山街道"), mid_y("海滨镇"));
  EXPECT_GT(mid_x("东山街道"), mid_x("海滨镇"));
}

TEST_F(DemoRegionsTest, LayersTileTheOutline) {
  const double outline_m2 = area_m2(*outline_);
  const double tolerance = outline_m2 * 0.005;
  EXPECT_NEAR(total_m2(regions_->streets), outline_m2, tolerance);
  EXPECT_NEAR(total_m2(regions_->communities), outline_m2, tolerance);
  EXPECT_NEAR(total_m2(regions_->governance_grids), outline_m2, tolerance);
  double cells_m2 = 0;
  for (const UnitGridCell& cell : regions_->unit_grids) cells_m2 += area_m2(cell.area);
  EXPECT_NEAR(cells_m2, outline_m2, tolerance);
}

TEST_F(DemoRegionsTest, Has207GovernanceGridsEachInsideOneCommunity) {
  ASSERT_EQ(regions_->governance_grids.size(), 207u);
  std::map<std::string, const NamedArea*> communities;
  for (const NamedArea& c : regions_->communities) communities[c.code] = &c;
  std::map<std::string, double> grid_m2;
  int seen = 0;
  for (size_t i = 0; i < regions_->governance_grids.size(); ++i) {
    const NamedArea& grid = regions_->governance_grids[i];
    SCOPED_TRACE(grid.code);
    EXPECT_EQ(grid.code, fmt::format("130304-GG-{:03d}", i + 1));
    ASSERT_TRUE(communities.count(grid.parent_code));
    EXPECT_TRUE(samples_inside(grid.area, communities[grid.parent_code]->area, seen));
    grid_m2[grid.parent_code] += area_m2(grid.area);
  }
  EXPECT_GT(seen, 207 * 10);
  // Grids inside a community that add up to its area tile it.
  for (const auto& [code, community] : communities) {
    EXPECT_NEAR(grid_m2[code], area_m2(community->area), area_m2(community->area) * 0.005) << code;
  }
}

TEST_F(DemoRegionsTest, UnitGridsAreUniqueAndInsideTheirCommunity) {
  std::map<std::string, const NamedArea*> communities;
  for (const NamedArea& c : regions_->communities) communities[c.code] = &c;
  std::set<std::string> ids;
  std::map<std::string, double> cell_m2;
  int seen = 0;
  ASSERT_GT(regions_->unit_grids.size(), 2000u);
  for (const UnitGridCell& cell : regions_->unit_grids) {
    SCOPED_TRACE(cell.id);
    EXPECT_EQ(cell.id.size(), 15u);
    EXPECT_EQ(cell.id.substr(0, 12), cell.community_code);
    EXPECT_TRUE(ids.insert(cell.id).second) << "duplicate id";
    ASSERT_TRUE(communities.count(cell.community_code));
    EXPECT_TRUE(samples_inside(cell.area, communities[cell.community_code]->area, seen));
    cell_m2[cell.community_code] += area_m2(cell.area);
  }
  EXPECT_GT(seen, 2000 * 10);
  for (const auto& [code, community] : communities) {
    EXPECT_NEAR(cell_m2[code], area_m2(community->area), area_m2(community->area) * 0.005) << code;
  }
}

TEST_F(DemoRegionsTest, ResolvesAPointThroughEveryLayer) {
  RegionIndex index;
  index.add(RegionLayer::kDistrict, regions_->district.code, regions_->district.area);
  for (const NamedArea& s : regions_->streets) index.add(RegionLayer::kStreet, s.code, s.area);
  for (const NamedArea& c : regions_->communities) {
    index.add(RegionLayer::kCommunity, c.code, c.area);
  }
  for (const NamedArea& g : regions_->governance_grids) {
    index.add(RegionLayer::kGovernanceGrid, g.code, g.area);
  }
  for (const UnitGridCell& u : regions_->unit_grids) {
    index.add(RegionLayer::kUnitGrid, u.id, u.area);
  }
  // The vertex average of each unit grid's first part, when it falls inside, must resolve
  // to a consistent chain of codes.
  int checked = 0;
  for (const UnitGridCell& u : regions_->unit_grids) {
    double x = 0, y = 0;
    const Ring& ring = u.area[0].outer();
    for (size_t i = 0; i + 1 < ring.size(); ++i) x += ring[i].x(), y += ring[i].y();
    const LonLat p{x / (ring.size() - 1), y / (ring.size() - 1)};
    if (!cityops::testing::area_contains(u.area, p)) continue;
    ++checked;
    const auto cell = index.locate(RegionLayer::kUnitGrid, p);
    const auto community = index.locate(RegionLayer::kCommunity, p);
    const auto street = index.locate(RegionLayer::kStreet, p);
    ASSERT_TRUE(cell && community && street) << u.id;
    EXPECT_EQ(*cell, u.id);
    EXPECT_EQ(cell->substr(0, 12), *community);
    EXPECT_EQ(community->substr(0, 9), *street);
    EXPECT_EQ(index.locate(RegionLayer::kDistrict, p), "130304");
    EXPECT_TRUE(index.locate(RegionLayer::kGovernanceGrid, p));
  }
  EXPECT_GT(checked, 2000);
}

TEST_F(DemoRegionsTest, IsDeterministic) {
  const auto again = build_demo_regions(*outline_);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->unit_grids.size(), regions_->unit_grids.size());
  for (size_t i = 0; i < again->unit_grids.size(); ++i) {
    EXPECT_EQ(again->unit_grids[i].id, regions_->unit_grids[i].id);
    EXPECT_EQ(area_m2(again->unit_grids[i].area), area_m2(regions_->unit_grids[i].area));
  }
  for (size_t i = 0; i < again->governance_grids.size(); ++i) {
    EXPECT_EQ(area_m2(again->governance_grids[i].area),
              area_m2(regions_->governance_grids[i].area));
  }
}

TEST(DemoRegions, RefusesAnEmptyOutlineAndABadCellSize) {
  const auto empty = build_demo_regions(MultiPolygon{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.status().code(), "empty_outline");

  const auto bad_cell = build_demo_regions(demo_outline_wgs84(), -1);
  ASSERT_FALSE(bad_cell);
  EXPECT_EQ(bad_cell.status().code(), "invalid_cell_size");
}

}  // namespace
}  // namespace cityops::geo
