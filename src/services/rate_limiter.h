// Allowances for callers, as token buckets kept in memory.
//
// Each id has a bucket that holds at most `burst` requests and refills at `rate_per_minute`.
// A bucket starts full. Buckets are not persisted: a restart grants at worst one more burst.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "common/time.h"

namespace cityops::services {

// Thread-safe. Time comes from the clock given, in whole seconds.
class RateLimiter {
 public:
  // `clock` must outlive the limiter. Both numbers are at least 1 (the configuration checks
  // them); smaller ones are taken as 1.
  RateLimiter(const Clock& clock, int rate_per_minute, int burst);

  // Takes one request from the bucket of `id`. Zero when it is allowed; otherwise the whole
  // seconds, at least one, until the bucket holds a request again (nothing is taken then).
  std::chrono::seconds charge(int64_t id);

 private:
  // Levels are counted in sixtieths of a request so that refilling `rate_per_minute` of them
  // each second stays exact, with no rounding to drift.
  static constexpr int64_t kUnitsPerRequest = 60;

  struct Bucket {
    int64_t units = 0;
    Timestamp updated{};
  };

  const Clock& clock_;
  int64_t refill_per_second_;
  int64_t capacity_;
  std::mutex mutex_;
  std::unordered_map<int64_t, Bucket> buckets_;
};

}  // namespace cityops::services
