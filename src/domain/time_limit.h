// A time limit for one step of a case: an amount and the kind of time it is counted in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cityops {

enum class TimeUnit {
  kWorkingHours,  // office hours on working days only
  kWorkingDays,   // whole working days; the due time keeps the start's time of day
  kNaturalHours,  // wall-clock hours, nights and holidays included
};

// "working_hours", "working_days", "natural_hours".
std::optional<TimeUnit> parse_time_unit(std::string_view text);
std::string_view to_string(TimeUnit unit);

struct TimeLimit {
  double amount = 0;  // > 0; hours may be fractional (0.5 = 30 minutes), days are whole
  TimeUnit unit = TimeUnit::kWorkingHours;

  friend bool operator==(const TimeLimit&, const TimeLimit&) = default;
};

// The compact form used in data files: "4wh" (working hours), "3wd" (working days),
// "24nh" (natural hours), "0.5wh". Refuses zero, negatives, fractional days and junk.
std::optional<TimeLimit> parse_time_limit(std::string_view text);
std::string format_time_limit(const TimeLimit& limit);

}  // namespace cityops
