#include "domain/patrol.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cityops::patrol {
namespace {

using namespace std::chrono;

Timestamp at(const char* text) { return parse_rfc3339(text).value(); }

// Metres per degree of latitude on the sphere distance_m uses (mean radius 6371008.8 m).
constexpr double kMetresPerDegree = 6371008.8 * 3.14159265358979323846 / 180;

// A fix `north_m` metres north of a point in Beidaihe, `seconds` after 09:00.
Fix fix(int seconds, double north_m) {
  return {at("2026-12-05T09:00:00+08:00") + std::chrono::seconds{seconds},
          {119.48, 39.82 + north_m / kMetresPerDegree}};
}

TEST(PatrolChecks, RangeNamesTheFieldAtFault) {
  struct Row {
    const char* label;
    double lon, lat;
    const char* field;
  };
  for (const auto& row : {Row{"inside", 119.5, 39.8, ""}, Row{"lon too big", 181, 39.8, "lon"},
                          Row{"lat too small", 119.5, -90.5, "lat"},
                          Row{"lon not a number", NAN, 39.8, "lon"}, Row{"edges", -180, 90, ""}}) {
    SCOPED_TRACE(row.label);
    const Status s = check_range(row.lon, row.lat);
    EXPECT_EQ(s.is_ok(), std::string(row.field).empty());
    if (!s.is_ok()) {
      EXPECT_EQ(s.code(), "out_of_range");
      EXPECT_EQ(s.field(), row.field);
    }
  }
}

TEST(PatrolChecks, TimeWithinThePatrolAndNotInTheFuture) {
  const TrackLimits limits;  // 120 s ahead allowed, 300 s after the end
  const Timestamp now = at("2026-12-05T10:00:00+08:00");
  const Timestamp start = at("2026-12-05T08:00:00+08:00");
  const Timestamp end = at("2026-12-05T09:00:00+08:00");
  struct Row {
    const char* label;
    Timestamp t;
    std::optional<Timestamp> ended;
    const char* code;
  };
  for (const auto& row : {
           Row{"open patrol, now", now, std::nullopt, ""},
           Row{"two minutes ahead", now + seconds{120}, std::nullopt, ""},
           Row{"a second more", now + seconds{121}, std::nullopt, "future_time"},
           Row{"before the start", start - seconds{1}, std::nullopt, "before_patrol"},
           Row{"at the start", start, end, ""},
           Row{"within the end allowance", end + seconds{300}, end, ""},
           Row{"past the end allowance", end + seconds{301}, end, "after_patrol"},
       }) {
    SCOPED_TRACE(row.label);
    const Status s = check_time(row.t, now, start, row.ended, limits);
    EXPECT_EQ(s.is_ok(), std::string(row.code).empty());
    if (!s.is_ok()) {
      EXPECT_EQ(s.code(), row.code);
      EXPECT_EQ(s.field(), "t");
    }
  }
}

TEST(PatrolChecks, SpeedAgainstBothNeighboursInTime) {
  const TrackLimits limits;  // 50 m/s
  // Walking north at 2 m/s, a fix every 10 seconds.
  std::vector<Fix> track = {fix(0, 0), fix(10, 20), fix(30, 60)};
  EXPECT_TRUE(check_speed(track, fix(20, 40), limits).is_ok());
  // 600 m in 10 s from the fix before it.
  const Status jump = check_speed(track, fix(20, 620), limits);
  EXPECT_EQ(jump.code(), "impossible_speed");
  EXPECT_EQ(jump.field(), "t");
  // Fine from the fix before (490 m in 10 s is too fast) ... and checked against the fix
  // after: a late fix between two stored ones must agree with both.
  EXPECT_EQ(check_speed(track, fix(25, 20 + 40 * 15), limits).code(), "impossible_speed");
  // Before the first and after the last fix only one neighbour counts.
  EXPECT_TRUE(check_speed(track, fix(-100, -100), limits).is_ok());
  EXPECT_TRUE(check_speed(track, fix(1000, 60 + 970 * 49), limits).is_ok());
  EXPECT_EQ(check_speed(track, fix(1000, 60 + 970 * 51), limits).code(), "impossible_speed");
  // An empty track accepts any first fix.
  EXPECT_TRUE(check_speed({}, fix(0, 1e6), limits).is_ok());
}

TEST(PatrolTrack, LengthInTimeOrderWhateverTheInsertOrder) {
  std::vector<Fix> track;
  for (int i : {3, 0, 2, 1, 4}) insert_sorted(track, fix(i * 60, i * 100.0));
  ASSERT_EQ(track.size(), 5u);
  for (size_t i = 1; i < track.size(); ++i) EXPECT_LT(track[i - 1].at, track[i].at);
  EXPECT_NEAR(track_length_m(track), 400, 0.01);
  // Out and back counts both ways.
  std::vector<Fix> back = {fix(0, 0), fix(60, 100), fix(120, 0)};
  EXPECT_NEAR(track_length_m(back), 200, 0.01);
  EXPECT_EQ(track_length_m({fix(0, 0)}), 0);
}

TEST(PatrolCoverage, OverlapClipsToTheDay) {
  const Timestamp day = at("2026-12-05T00:00:00+08:00");
  const Timestamp next = day + days{1};
  EXPECT_EQ(overlap(day - hours{2}, day + hours{3}, day, next), hours{3});
  EXPECT_EQ(overlap(day + hours{22}, next + hours{5}, day, next), hours{2});
  EXPECT_EQ(overlap(day + hours{9}, day + hours{10}, day, next), hours{1});
  EXPECT_EQ(overlap(next, next + hours{1}, day, next), seconds{0});
  EXPECT_EQ(overlap(day - hours{1}, day - minutes{1}, day, next), seconds{0});
}

TEST(PatrolCoverage, ShareOfAssignedGridsVisited) {
  const auto c = coverage({"A", "B", "C", "D"}, {"B", "D", "X"});
  EXPECT_EQ(c.visited, (std::vector<std::string>{"B", "D"}));
  EXPECT_EQ(c.unvisited, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(c.elsewhere, (std::vector<std::string>{"X"}));
  EXPECT_DOUBLE_EQ(c.share, 0.5);
  EXPECT_DOUBLE_EQ(coverage({}, {"X"}).share, 0);
  EXPECT_DOUBLE_EQ(coverage({"A"}, {"A"}).share, 1);
}

}  // namespace
}  // namespace cityops::patrol
