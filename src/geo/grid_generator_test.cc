#include "geo/grid_generator.h"

#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/geo_support.h"

namespace cityops::geo {
namespace {

// The lattice as the header defines it, restated here: 250 m cells near 39.85 N.
constexpr double kCellM = 250;
constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180;
constexpr double kNorth = 39.9;
constexpr double kWest = 119.4;
constexpr double kDlat = kCellM / kMetresPerDegree;

MultiPolygon box(double west, double south, double east, double north) {
  MultiPolygon area;
  area.resize(1);
  area[0].outer() = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
  return area;
}

// An outline exactly `cols` x `rows` cells, anchored at (kWest, kNorth).
struct Lattice {
  int rows, cols;
  double dlon() const {
    const double mean_lat = kNorth - rows * kDlat / 2;
    return kDlat / std::cos(mean_lat * std::numbers::pi / 180);
  }
  double east() const { return kWest + cols * dlon(); }
  double south() const { return kNorth - rows * kDlat; }
  MultiPolygon outline() const { return box(kWest, south(), east(), kNorth); }
  // The lattice square holding a point; pieces never leave their square, so their vertex
  // average does not either.
  std::pair<int, int> row_col(const MultiPolygon& piece) const {
    double x = 0, y = 0;
    int n = 0;
    for (const Point& p : piece[0].outer()) x += p.x(), y += p.y(), ++n;
    return {static_cast<int>(std::floor((kNorth - y / n) / kDlat)),
            static_cast<int>(std::floor((x / n - kWest) / dlon()))};
  }
};

TEST(UnitGrids, OneCommunityGetsOneCellPerSquareNumberedRowByRow) {
  const Lattice lattice{3, 4};
  const auto cells =
      generate_unit_grids(lattice.outline(), {{"130304001001", lattice.outline()}}, kCellM);
  ASSERT_TRUE(cells) << cells.status().message();
  ASSERT_EQ(cells->size(), 12u);
  for (size_t i = 0; i < cells->size(); ++i) {
    const UnitGridCell& cell = (*cells)[i];
    SCOPED_TRACE(cell.id);
    EXPECT_EQ(cell.id, "130304001001" + fmt::format("{:03d}", i + 1));
    EXPECT_EQ(cell.community_code, "130304001001");
    EXPECT_NEAR(area_m2(cell.area), kCellM * kCellM, kCellM * kCellM * 0.005);
    const auto [row, col] = lattice.row_col(cell.area);
    EXPECT_EQ(row, static_cast<int>(i) / 4);
    EXPECT_EQ(col, static_cast<int>(i) % 4);
  }
}

TEST(UnitGrids, NumbersEachCommunitySeparatelyAndDropsSlivers) {
  const Lattice lattice{4, 6};
  // The west community ends 2.5 cells in; the east one reaches 0.5 % of a cell into the third
  // column, a sliver that must be dropped.
  const double cut = kWest + 2.5 * lattice.dlon();
  const double sliver_edge = kWest + 2.005 * lattice.dlon();
  const std::vector<CommunityArea> communities = {
      {"130304003201", box(cut, lattice.south(), lattice.east(), kNorth)},
      {"130304003001", box(kWest - 1, lattice.south() - 1, cut, kNorth + 1)},
      {"130304004001", box(kWest, lattice.south(), sliver_edge, kNorth)},
  };
  const auto cells = generate_unit_grids(lattice.outline(), communities, kCellM);
  ASSERT_TRUE(cells) << cells.status().message();

  std::map<std::string, std::vector<const UnitGridCell*>> by_community;
  double total = 0;
  for (const UnitGridCell& cell : *cells) {
    by_community[cell.community_code].push_back(&cell);
    total += area_m2(cell.area);
  }
  // West: columns 0..2 in each of 4 rows; east: columns 2..5; the overlapping third one
  // (130304004001) gets columns 0 and 1 only, the sliver in column 2 dropped.
  EXPECT_EQ(by_community["130304003001"].size(), 12u);
  EXPECT_EQ(by_community["130304003201"].size(), 16u);
  EXPECT_EQ(by_community["130304004001"].size(), 8u);

  // Every cell lies inside the outline, numbering restarts in each community and follows
  // (row, column) order.
  for (const auto& [code, list] : by_community) {
    std::pair<int, int> previous{-1, -1};
    for (size_t i = 0; i < list.size(); ++i) {
      SCOPED_TRACE(list[i]->id);
      EXPECT_EQ(list[i]->id, code + fmt::format("{:03d}", i + 1));
      const auto position = lattice.row_col(list[i]->area);
      EXPECT_LT(previous, position);
      previous = position;
    }
  }
  // The first two communities tile the outline; the third adds its 2 x 4 overlap.
  const double outline_m2 = area_m2(lattice.outline());
  EXPECT_NEAR(total, outline_m2 + 8 * kCellM * kCellM, outline_m2 * 0.005);
}

TEST(UnitGrids, LeavesAreasOutsideEveryCommunityUncovered) {
  const Lattice lattice{2, 2};
  const auto cells = generate_unit_grids(lattice.outline(), {}, kCellM);
  ASSERT_TRUE(cells);
  EXPECT_TRUE(cells->empty());
}

TEST(UnitGrids, RefusesBadInput) {
  const Lattice small{2, 2};
  const Lattice tall{1000, 1};
  const struct {
    const char* label;
    MultiPolygon outline;
    std::vector<CommunityArea> communities;
    double cell_m;
    const char* code;
    const char* field;
  } cases[] = {
      {"zero cell", small.outline(), {}, 0, "invalid_cell_size", "cell_size_m"},
      {"negative cell", small.outline(), {}, -250, "invalid_cell_size", "cell_size_m"},
      {"NaN cell", small.outline(), {}, std::nan(""), "invalid_cell_size", "cell_size_m"},
      {"lattice too large", box(100, 20, 130, 50), {}, 1, "invalid_cell_size", "cell_size_m"},
      {"empty outline", MultiPolygon{}, {}, kCellM, "empty_outline", "outline"},
      {"short code",
       small.outline(),
       {{"13030400100", small.outline()}},
       kCellM,
       "invalid_code",
       "code"},
      {"letter in code",
       small.outline(),
       {{"13030400100a", small.outline()}},
       kCellM,
       "invalid_code",
       "code"},
      {"repeated code",
       small.outline(),
       {{"130304001001", small.outline()}, {"130304001001", small.outline()}},
       kCellM,
       "invalid_code",
       "code"},
      {"1000 cells in one community",
       tall.outline(),
       {{"130304002003", tall.outline()}},
       kCellM,
       "too_many_cells",
       "130304002003"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto result = generate_unit_grids(c.outline, c.communities, c.cell_m);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(result.status().code(), c.code);
    EXPECT_EQ(result.status().field(), c.field);
  }
  // 999 cells still fit.
  const Lattice full{999, 1};
  const auto fits = generate_unit_grids(full.outline(), {{"130304002003", full.outline()}}, kCellM);
  ASSERT_TRUE(fits) << fits.status().message();
  EXPECT_EQ(fits->back().id, "130304002003999");
}

}  // namespace
}  // namespace cityops::geo
