// Token buckets on a clock the tests move: exact refills, burst caps, a clock stepping back,
// and many threads charging one bucket.
#include "services/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cityops::services {
namespace {

using namespace std::chrono_literals;

const Timestamp kStart = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}};

int admitted(RateLimiter& limiter, int64_t id, int tries) {
  int n = 0;
  for (int i = 0; i < tries; ++i) n += limiter.charge(id) == 0s ? 1 : 0;
  return n;
}

TEST(RateLimiter, RefillsExactlyAtRatesThatDoNotDivideAMinute) {
  FixedClock clock(kStart);
  RateLimiter limiter(clock, /*rate_per_minute=*/7, /*burst=*/7);
  EXPECT_EQ(admitted(limiter, 1, 100), 7);
  // 7 a minute is one every 8.57 s: charged every second for a minute, exactly 7 get through.
  int over_a_minute = 0;
  for (int second = 0; second < 60; ++second) {
    clock.advance(1s);
    over_a_minute += admitted(limiter, 1, 100);
  }
  EXPECT_EQ(over_a_minute, 7);
  EXPECT_EQ(limiter.charge(1), 9s);
  clock.advance(8s);
  EXPECT_EQ(limiter.charge(1), 1s);
  clock.advance(1s);
  EXPECT_EQ(admitted(limiter, 1, 100), 1);
}

TEST(RateLimiter, LongIdleFillsToTheBurstOnly) {
  FixedClock clock(kStart);
  RateLimiter limiter(clock, /*rate_per_minute=*/1'000'000, /*burst=*/5);
  EXPECT_EQ(admitted(limiter, 1, 10), 5);
  clock.advance(std::chrono::hours(24 * 365 * 50));
  EXPECT_EQ(admitted(limiter, 1, 10), 5);
}

TEST(RateLimiter, AClockSteppingBackRefillsNothing) {
  FixedClock clock(kStart);
  RateLimiter limiter(clock, /*rate_per_minute=*/60, /*burst=*/2);
  EXPECT_EQ(admitted(limiter, 1, 5), 2);
  clock.set(kStart - 1h);
  EXPECT_EQ(admitted(limiter, 1, 5), 0);
  // Back where it was: still nothing earned, as no time passed since the last charge.
  clock.set(kStart);
  EXPECT_EQ(admitted(limiter, 1, 5), 0);
  clock.advance(1s);
  EXPECT_EQ(admitted(limiter, 1, 5), 1);
}

TEST(RateLimiter, NumbersBelowOneAreTakenAsOne) {
  FixedClock clock(kStart);
  RateLimiter limiter(clock, 0, 0);
  EXPECT_EQ(admitted(limiter, 1, 5), 1);
  EXPECT_EQ(limiter.charge(1), 60s);
}

TEST(RateLimiter, ManyThreadsShareOneBucketWithoutLosingCount) {
  FixedClock clock(kStart);  // never moves: the burst is all there is
  RateLimiter limiter(clock, /*rate_per_minute=*/60, /*burst=*/100);
  std::atomic<int> total{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      total += admitted(limiter, 1, 500);
      (void)admitted(limiter, 100 + t, 1);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(total.load(), 100);
}

}  // namespace
}  // namespace cityops::services
