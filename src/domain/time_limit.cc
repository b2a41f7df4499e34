#include "domain/time_limit.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace cityops {

std::optional<TimeUnit> parse_time_unit(std::string_view text) {
  if (text == "working_hours") return TimeUnit::kWorkingHours;
  if (text == "working_days") return TimeUnit::kWorkingDays;
  if (text == "natural_hours") return TimeUnit::kNaturalHours;
  return std::nullopt;
}

std::string_view to_string(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kWorkingHours:
      return "working_hours";
    case TimeUnit::kWorkingDays:
      return "working_days";
    case TimeUnit::kNaturalHours:
      return "natural_hours";
  }
  return "working_hours";
}

namespace {

std::string_view suffix_of(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kWorkingHours:
      return "wh";
    case TimeUnit::kWorkingDays:
      return "wd";
    case TimeUnit::kNaturalHours:
      return "nh";
  }
  return "wh";
}

}  // namespace

std::optional<TimeLimit> parse_time_limit(std::string_view text) {
  if (text.size() < 3) return std::nullopt;
  const auto suffix = text.substr(text.size() - 2);
  TimeLimit limit;
  if (suffix == "wh") {
    limit.unit = TimeUnit::kWorkingHours;
  } else if (suffix == "wd") {
    limit.unit = TimeUnit::kWorkingDays;
  } else if (suffix == "nh") {
    limit.unit = TimeUnit::kNaturalHours;
  } else {
    return std::nullopt;
  }

  const auto number = text.substr(0, text.size() - 2);
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(),
                                            limit.amount, std::chars_format::fixed);
  if (error != std::errc{} || end != number.data() + number.size()) return std::nullopt;
  if (!(limit.amount > 0) || !std::isfinite(limit.amount)) return std::nullopt;
  if (limit.unit == TimeUnit::kWorkingDays && std::floor(limit.amount) != limit.amount) {
    return std::nullopt;
  }
  return limit;
}

std::string format_time_limit(const TimeLimit& limit) {
  return fmt::format("{}{}", limit.amount, suffix_of(limit.unit));
}

}  // namespace cityops
