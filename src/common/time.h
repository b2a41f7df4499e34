// Instants and China Standard Time.
//
// Instants are UTC seconds (`Timestamp`). China keeps one offset, UTC+08:00, with no daylight
// saving, so civil dates and times of day in the district are that instant plus eight hours.
// Wire format is RFC 3339; we always answer with the +08:00 offset.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cityops {

using Timestamp = std::chrono::sys_seconds;

inline constexpr std::chrono::seconds kChinaOffset{8 * 3600};

// A civil date and second-of-day in China Standard Time.
struct LocalDateTime {
  std::chrono::year_month_day date;
  std::chrono::seconds time_of_day;
};

LocalDateTime to_local(Timestamp t);
Timestamp from_local(std::chrono::year_month_day date, std::chrono::seconds time_of_day);

// "2025-10-11T16:00:00+08:00".
std::string format_rfc3339(Timestamp t);
// "2025-10-11".
std::string format_date(std::chrono::year_month_day d);
// "20251011", as used inside case numbers.
std::string format_compact_date(std::chrono::year_month_day d);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" and also a space for 'T'. Fractions are
// dropped. A missing offset is refused: an instant without one is ambiguous.
std::optional<Timestamp> parse_rfc3339(std::string_view text);
// Accepts "YYYY-MM-DD"; the date must exist.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// A clock that can be replaced in tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : now_(t) {}
  Timestamp now() const override { return now_; }
  void set(Timestamp t) { now_ = t; }
  void advance(std::chrono::seconds d) { now_ += d; }

 private:
  Timestamp now_;
};

}  // namespace cityops
