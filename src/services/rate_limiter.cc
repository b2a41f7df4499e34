#include "services/rate_limiter.h"

#include <algorithm>

namespace cityops::services {

RateLimiter::RateLimiter(const Clock& clock, int rate_per_minute, int burst)
    : clock_(clock),
      refill_per_second_(std::max(rate_per_minute, 1)),
      capacity_(int64_t{std::max(burst, 1)} * kUnitsPerRequest) {}

std::chrono::seconds RateLimiter::charge(int64_t id) {
  const Timestamp now = clock_.now();
  std::lock_guard lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(id, Bucket{capacity_, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.updated) {
    // Capped before multiplying, so a bucket idle for years cannot overflow.
    const int64_t idle = (now - bucket.updated).count();
    const int64_t to_full = (capacity_ - bucket.units) / refill_per_second_ + 1;
    bucket.units = std::min(capacity_, bucket.units + std::min(idle, to_full) * refill_per_second_);
  }
  // A clock that stepped back refills nothing until it passes the last time seen.
  bucket.updated = std::max(bucket.updated, now);

  if (bucket.units >= kUnitsPerRequest) {
    bucket.units -= kUnitsPerRequest;
    return std::chrono::seconds{0};
  }
  const int64_t missing = kUnitsPerRequest - bucket.units;
  return std::chrono::seconds{(missing + refill_per_second_ - 1) / refill_per_second_};
}

}  // namespace cityops::services
