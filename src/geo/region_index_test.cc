#include "geo/region_index.h"

#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace cityops::geo {
namespace {

MultiPolygon square(double west, double south, double size) {
  MultiPolygon area;
  area.resize(1);
  area[0].outer() = {{west, south},
                     {west + size, south},
                     {west + size, south + size},
                     {west, south + size},
                     {west, south}};
  return area;
}

// A 3 x 3 block of quarter-degree squares named by row (a = south) and column. Quarters are
// exact in binary, so the edge points below lie exactly on the shared edges.
void add_block(RegionIndex& index, bool reverse_order) {
  std::vector<std::pair<std::string, MultiPolygon>> cells;
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 3; ++col) {
      cells.emplace_back(fmt::format("{}{}", static_cast<char>('a' + row), col),
                         square(119.0 + col * 0.25, 39.0 + row * 0.25, 0.25));
    }
  }
  if (reverse_order) std::reverse(cells.begin(), cells.end());
  for (auto& [id, area] : cells) index.add(RegionLayer::kUnitGrid, id, area);
}

TEST(RegionIndex, LocatesInteriorAndEdgePointsDeterministically) {
  const struct {
    const char* label;
    LonLat p;
    std::optional<std::string> want;
  } cases[] = {
      {"centre of the south-west cell", {119.125, 39.125}, "a0"},
      {"centre of the middle cell", {119.375, 39.375}, "b1"},
      {"north-east cell", {119.7499, 39.7499}, "c2"},
      {"edge between a0 and a1", {119.25, 39.125}, "a0"},
      {"edge between b2 and c2", {119.625, 39.5}, "b2"},
      {"vertex shared by a1 a2 b1 b2", {119.5, 39.25}, "a1"},
      {"outer boundary corner", {119.0, 39.0}, "a0"},
      {"just outside to the west", {118.9999, 39.125}, std::nullopt},
      {"far away", {0, 0}, std::nullopt},
  };
  for (bool reverse : {false, true}) {
    RegionIndex index;
    add_block(index, reverse);
    EXPECT_EQ(index.size(RegionLayer::kUnitGrid), 9u);
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(c.label) + (reverse ? " (reverse insertion)" : ""));
      EXPECT_EQ(index.locate(RegionLayer::kUnitGrid, c.p), c.want);
    }
  }
}

TEST(RegionIndex, KeepsLayersApartAndHonoursHoles) {
  RegionIndex index;
  MultiPolygon ring = square(119.0, 39.0, 1.0);
  ring[0].inners().push_back(
      {{119.25, 39.25}, {119.25, 39.75}, {119.75, 39.75}, {119.75, 39.25}, {119.25, 39.25}});
  index.add(RegionLayer::kStreet, "street-with-lake", ring);
  index.add(RegionLayer::kCommunity, "lake-community", square(119.25, 39.25, 0.5));
  index.add(RegionLayer::kDistrict, "empty", MultiPolygon{});

  EXPECT_EQ(index.locate(RegionLayer::kStreet, {119.1, 39.1}), "street-with-lake");
  EXPECT_EQ(index.locate(RegionLayer::kStreet, {119.5, 39.5}), std::nullopt);
  EXPECT_EQ(index.locate(RegionLayer::kCommunity, {119.5, 39.5}), "lake-community");
  EXPECT_EQ(index.locate(RegionLayer::kCommunity, {119.1, 39.1}), std::nullopt);
  EXPECT_EQ(index.locate(RegionLayer::kGovernanceGrid, {119.5, 39.5}), std::nullopt);
  EXPECT_EQ(index.size(RegionLayer::kDistrict), 1u);
  EXPECT_EQ(index.locate(RegionLayer::kDistrict, {119.5, 39.5}), std::nullopt);
  EXPECT_EQ(index.size(RegionLayer::kGovernanceGrid), 0u);
}

// A 80 x 80 lattice of small squares: every centre must come back as its own cell, from many
// threads at once, after a move.
TEST(RegionIndex, ResolvesThousandsOfCellsFromConcurrentReaders) {
  constexpr int kSide = 80;
  constexpr double kSize = 0.0025;
  RegionIndex built;
  for (int r = 0; r < kSide; ++r) {
    for (int c = 0; c < kSide; ++c) {
      built.add(RegionLayer::kUnitGrid, fmt::format("{:02d}-{:02d}", r, c),
                square(119.3 + c * kSize, 39.7 + r * kSize, kSize));
    }
  }
  const RegionIndex index = std::move(built);
  ASSERT_EQ(index.size(RegionLayer::kUnitGrid), static_cast<size_t>(kSide * kSide));

  std::vector<int> wrong(4, 0);
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int r = 0; r < kSide; ++r) {
        for (int c = 0; c < kSide; ++c) {
          const LonLat centre{119.3 + (c + 0.5) * kSize, 39.7 + (r + 0.5) * kSize};
          if (index.locate(RegionLayer::kUnitGrid, centre) != fmt::format("{:02d}-{:02d}", r, c)) {
            ++wrong[t];
          }
        }
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0) << "reader " << t;
}

}  // namespace
}  // namespace cityops::geo
