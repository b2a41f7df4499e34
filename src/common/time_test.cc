#include "common/time.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

using namespace std::chrono;

TEST(Rfc3339, ParsesOffsetsToTheSameInstant) {
  const auto a = parse_rfc3339("2025-09-30T16:00:00+08:00");
  const auto b = parse_rfc3339("2025-09-30T08:00:00Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  // 2025-09-30T08:00:00Z is 1759219200 seconds after the epoch.
  EXPECT_EQ(a->time_since_epoch().count(), 1759219200);
}

TEST(Rfc3339, FormatsInChinaStandardTime) {
  EXPECT_EQ(format_rfc3339(Timestamp{seconds{1759219200}}), "2025-09-30T16:00:00+08:00");
}

TEST(Rfc3339, RefusesMissingOffsetAndImpossibleDates) {
  EXPECT_FALSE(parse_rfc3339("2025-09-30T16:00:00"));
  EXPECT_FALSE(parse_rfc3339("2025-02-30T16:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2025-09-30T24:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("garbage"));
}

TEST(LocalTime, CrossesMidnightAtTheOffset) {
  // 16:30 UTC is 00:30 the next day in Beijing.
  const auto t = parse_rfc3339("2025-12-31T16:30:00Z");
  const auto local = to_local(*t);
  EXPECT_EQ(format_date(local.date), "2026-01-01");
  EXPECT_EQ(local.time_of_day, minutes{30});
  EXPECT_EQ(from_local(local.date, local.time_of_day), *t);
}

}  // namespace
}  // namespace cityops
