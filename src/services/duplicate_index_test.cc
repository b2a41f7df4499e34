// Possible duplicates: same category, within the radius, inside the time window, nearest first,
// capped at the limit. Distances are checked against values worked out by hand from the
// sphere of mean radius 6,371,008.8 m, on which 0.001 degree of latitude is 111.19508 m.
#include "services/duplicate_index.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

namespace cityops::services {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr double kMetresPerMilliDegree = 111.19508023;  // 6371008.8 * pi / 180 / 1000
constexpr double kTolerance = 1e-4;                     // metres

// 2026-12-04T16:30:00Z.
const Timestamp kNow{seconds{1796401800}};
const geo::LonLat kHere{119.485, 39.834};

geo::LonLat north_of_here(double degrees) { return {kHere.lon, kHere.lat + degrees}; }

class DuplicateIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.add("01001", "n-0.001", north_of_here(0.001), kNow - hours{1});
    index_.add("01001", "s-0.002", north_of_here(-0.002), kNow - hours{2});
    index_.add("01001", "n-0.003", north_of_here(0.003), kNow - hours{3});
    index_.add("01001", "here-old", kHere, kNow - hours{24 * 31});
    index_.add("01001", "here-edge", kHere, kNow - hours{24 * 30});
    index_.add("02002", "other-category", kHere, kNow);
  }

  std::vector<std::string> numbers(const std::vector<DuplicateCandidate>& found) const {
    std::vector<std::string> out;
    for (const auto& c : found) out.push_back(c.number);
    return out;
  }

  DuplicateIndex index_;
  const Timestamp window_start_ = kNow - hours{24 * 30};
};

TEST_F(DuplicateIndexTest, NearestFirstWithHandComputedDistances) {
  const auto found = index_.find("01001", kHere, 250, window_start_, 10);
  ASSERT_EQ(numbers(found), (std::vector<std::string>{"here-edge", "n-0.001", "s-0.002"}));
  EXPECT_NEAR(found[0].distance_m, 0.0, kTolerance);
  EXPECT_NEAR(found[1].distance_m, 1 * kMetresPerMilliDegree, kTolerance);
  EXPECT_NEAR(found[2].distance_m, 2 * kMetresPerMilliDegree, kTolerance);
  EXPECT_EQ(found[0].reported_at, kNow - hours{24 * 30});
  EXPECT_EQ(found[1].reported_at, kNow - hours{1});
}

TEST_F(DuplicateIndexTest, RadiusIsInclusiveAndExact) {
  const struct {
    const char* label;
    double radius_m;
    std::vector<std::string> numbers;
  } cases[] = {
      {"zero radius keeps the same point", 0, {"here-edge"}},
      {"just short of 0.001 degree", 111.19, {"here-edge"}},
      {"just past 0.001 degree", 111.20, {"here-edge", "n-0.001"}},
      {"just short of 0.002 degree", 222.39, {"here-edge", "n-0.001"}},
      {"just past 0.002 degree", 222.40, {"here-edge", "n-0.001", "s-0.002"}},
      {"just short of 0.003 degree", 333.58, {"here-edge", "n-0.001", "s-0.002"}},
      {"just past 0.003 degree", 333.59, {"here-edge", "n-0.001", "s-0.002", "n-0.003"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(numbers(index_.find("01001", kHere, c.radius_m, window_start_, 10)), c.numbers);
  }
}

TEST_F(DuplicateIndexTest, WindowStartIsInclusive) {
  const struct {
    const char* label;
    Timestamp since;
    std::vector<std::string> numbers;
  } cases[] = {
      {"31 days back", kNow - hours{24 * 31}, {"here-edge", "here-old", "n-0.001", "s-0.002"}},
      {"30 days back", kNow - hours{24 * 30}, {"here-edge", "n-0.001", "s-0.002"}},
      {"a second later", kNow - hours{24 * 30} + seconds{1}, {"n-0.001", "s-0.002"}},
      {"90 minutes back", kNow - std::chrono::minutes{90}, {"n-0.001"}},
      {"from now", kNow, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(numbers(index_.find("01001", kHere, 250, c.since, 10)), c.numbers);
  }
}

TEST_F(DuplicateIndexTest, LimitKeepsTheNearest) {
  const struct {
    size_t limit;
    std::vector<std::string> numbers;
  } cases[] = {
      {0, {}},
      {1, {"here-edge"}},
      {2, {"here-edge", "n-0.001"}},
      {3, {"here-edge", "n-0.001", "s-0.002"}},
      {50, {"here-edge", "n-0.001", "s-0.002"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("limit " + std::to_string(c.limit));
    EXPECT_EQ(numbers(index_.find("01001", kHere, 250, window_start_, c.limit)), c.numbers);
  }
}

TEST_F(DuplicateIndexTest, OnlyTheSameCategory) {
  EXPECT_EQ(numbers(index_.find("02002", kHere, 250, window_start_, 10)),
            (std::vector<std::string>{"other-category"}));
  EXPECT_TRUE(index_.find("03003", kHere, 250, window_start_, 10).empty());
  EXPECT_TRUE(index_.find("", kHere, 250, window_start_, 10).empty());
}

TEST_F(DuplicateIndexTest, RemoveTakesOutOneCase) {
  index_.remove("n-0.001");
  EXPECT_EQ(numbers(index_.find("01001", kHere, 250, window_start_, 10)),
            (std::vector<std::string>{"here-edge", "s-0.002"}));

  // An unknown number changes nothing; removing twice is harmless.
  index_.remove("no-such-case");
  index_.remove("n-0.001");
  EXPECT_EQ(numbers(index_.find("01001", kHere, 250, window_start_, 10)),
            (std::vector<std::string>{"here-edge", "s-0.002"}));
  EXPECT_EQ(numbers(index_.find("02002", kHere, 250, window_start_, 10)),
            (std::vector<std::string>{"other-category"}));
}

TEST(DuplicateIndex, EqualDistancesOrderByNumber) {
  DuplicateIndex index;
  const geo::LonLat p{119.485, 39.834};
  index.add("01001", "130304-20261205-000009", p, kNow);
  index.add("01001", "130304-20261205-000003", p, kNow);
  index.add("01001", "130304-20261205-000005", p, kNow);
  const auto found = index.find("01001", p, 10, kNow, 10);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].number, "130304-20261205-000003");
  EXPECT_EQ(found[1].number, "130304-20261205-000005");
  EXPECT_EQ(found[2].number, "130304-20261205-000009");
}

TEST(DuplicateIndex, EastWestDistancesAreNotCutByTheBoxTest) {
  // 0.0029 degree of longitude at 39.834 N: 111,195.08 m * cos(39.834 deg) * 0.0029 = 247.62 m.
  DuplicateIndex index;
  const geo::LonLat p{119.485, 39.834};
  index.add("01001", "east", {p.lon + 0.0029, p.lat}, kNow);
  index.add("01001", "west", {p.lon - 0.0029, p.lat}, kNow);
  const auto found = index.find("01001", p, 250, kNow, 10);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NEAR(found[0].distance_m, 247.6226, 0.01);
  EXPECT_NEAR(found[1].distance_m, 247.6226, 0.01);
  EXPECT_TRUE(index.find("01001", p, 247.6, kNow, 10).empty());
}

TEST(DuplicateIndex, OnTheEquatorADegreeThousandthIsTheSameBothWays) {
  DuplicateIndex index;
  index.add("x", "east", {0.001, 0}, kNow);
  index.add("x", "north", {0, 0.001}, kNow);
  const auto found = index.find("x", {0, 0}, 200, kNow, 10);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NEAR(found[0].distance_m, kMetresPerMilliDegree, kTolerance);
  EXPECT_NEAR(found[1].distance_m, kMetresPerMilliDegree, kTolerance);
}

// Points scattered over many cells, searched with radii from a few metres to wider than the
// cell window: the cells must never hide an entry that a scan of everything would find.
TEST(DuplicateIndexCells, AgreesWithAPlainScanAcrossCellBorders) {
  DuplicateIndex index;
  std::vector<std::pair<std::string, geo::LonLat>> all;
  uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) / double(1 << 24);
  };
  for (int i = 0; i < 3000; ++i) {
    const geo::LonLat p{119.45 + next() * 0.06, 39.81 + next() * 0.04};
    const std::string number = "c" + std::to_string(i);
    index.add("01001", number, p, kNow);
    all.emplace_back(number, p);
  }
  for (double radius : {30.0, 250.0, 900.0, 50000.0}) {
    for (int q = 0; q < 40; ++q) {
      const geo::LonLat p{119.45 + next() * 0.06, 39.81 + next() * 0.04};
      std::vector<std::pair<double, std::string>> expected;
      for (const auto& [number, at] : all) {
        const double d = geo::distance_m(p, at);
        if (d <= radius) expected.emplace_back(d, number);
      }
      std::sort(expected.begin(), expected.end());
      if (expected.size() > 7) expected.resize(7);
      const auto found = index.find("01001", p, radius, kNow, 7);
      ASSERT_EQ(found.size(), expected.size()) << "radius " << radius;
      for (size_t i = 0; i < found.size(); ++i) EXPECT_EQ(found[i].number, expected[i].second);
    }
  }
  index.remove("c0");
  EXPECT_EQ(index.size(), 2999u);
}

}  // namespace
}  // namespace cityops::services
