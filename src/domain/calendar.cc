#include "domain/calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cityops {

using namespace std::chrono;

namespace {

constexpr seconds kDay{24 * 3600};
// Real calendars never go more than about ten days without office time; two years means the
// calendar itself has none.
constexpr int kMaxIdleDays = 731;
// About a century: the most any single computation scans.
constexpr int kMaxScanDays = 36525;
// Amounts above this are clamped before conversion so that seconds cannot overflow; the scan
// bound above is reached long before.
constexpr double kMaxAmount = 1e7;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "HH:MM" with HH 00-23 and MM 00-59, or "24:00".
std::optional<seconds> parse_clock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':' || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[3]) ||
      !is_digit(s[4])) {
    return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return hours{h} + minutes{m};
}

std::string format_clock(seconds s) {
  const auto total_minutes = duration_cast<minutes>(s).count();
  return fmt::format("{:02}:{:02}", total_minutes / 60, total_minutes % 60);
}

Status bad_hours(std::string message) {
  return invalid("bad_office_hours", std::move(message), "office_hours");
}

// Sorts, clips to the day, drops empty periods and merges overlapping ones.
OfficeHours normalize(OfficeHours hours) {
  std::vector<OfficePeriod> clipped;
  for (auto p : hours.periods) {
    p.start = std::max(p.start, seconds{0});
    p.end = std::min(p.end, kDay);
    if (p.start < p.end) clipped.push_back(p);
  }
  std::sort(clipped.begin(), clipped.end(),
            [](const OfficePeriod& a, const OfficePeriod& b) { return a.start < b.start; });
  OfficeHours result;
  for (const auto& p : clipped) {
    if (!result.periods.empty() && p.start <= result.periods.back().end) {
      result.periods.back().end = std::max(result.periods.back().end, p.end);
    } else {
      result.periods.push_back(p);
    }
  }
  return result;
}

long long day_number(sys_days day) { return day.time_since_epoch().count(); }

std::vector<int> to_vector(const std::set<int>& years) { return {years.begin(), years.end()}; }

Timestamp at(sys_days day, seconds time_of_day) {
  return from_local(year_month_day{day}, time_of_day);
}

}  // namespace

OfficeHours OfficeHours::standard() {
  return {
      {{hours{8} + minutes{30}, hours{12}}, {hours{13} + minutes{30}, hours{17} + minutes{30}}}};
}

seconds OfficeHours::per_day() const {
  seconds total{0};
  for (const auto& p : periods) total += p.end - p.start;
  return total;
}

Result<OfficeHours> parse_office_hours(std::string_view text) {
  if (trim(text).empty()) {
    return bad_hours("office hours are empty; expected periods like \"08:30-12:00,13:30-17:30\"");
  }
  OfficeHours hours;
  size_t pos = 0;
  while (true) {
    const size_t comma = text.find(',', pos);
    const auto item = trim(text.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    const size_t dash = item.find('-');
    const auto start =
        dash == std::string_view::npos ? std::nullopt : parse_clock(trim(item.substr(0, dash)));
    const auto end =
        dash == std::string_view::npos ? std::nullopt : parse_clock(trim(item.substr(dash + 1)));
    if (!start || !end) {
      return bad_hours(fmt::format("\"{}\" is not a period of the form HH:MM-HH:MM", item));
    }
    if (*start >= *end)
      return bad_hours(fmt::format("period \"{}\" does not end after it starts", item));
    hours.periods.push_back({*start, *end});
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }

  std::sort(hours.periods.begin(), hours.periods.end(),
            [](const OfficePeriod& a, const OfficePeriod& b) { return a.start < b.start; });
  for (size_t i = 1; i < hours.periods.size(); ++i) {
    if (hours.periods[i].start < hours.periods[i - 1].end) {
      return bad_hours(fmt::format("periods {} and {} overlap",
                                   format_office_hours({{hours.periods[i - 1]}}),
                                   format_office_hours({{hours.periods[i]}})));
    }
  }
  return hours;
}

std::string format_office_hours(const OfficeHours& hours) {
  std::string out;
  for (const auto& p : hours.periods) {
    if (!out.empty()) out += ',';
    out += format_clock(p.start) + "-" + format_clock(p.end);
  }
  return out;
}

WorkCalendar::WorkCalendar(std::vector<CalendarYear> years, OfficeHours hours)
    : hours_(normalize(std::move(hours))) {
  // Applying notices in ascending order lets the later notice win on shared dates.
  std::stable_sort(years.begin(), years.end(),
                   [](const CalendarYear& a, const CalendarYear& b) { return a.year < b.year; });
  for (const auto& year : years) {
    published_.insert(year.year);
    for (const auto& day : year.days) {
      if (day.date.ok()) named_days_[day_number(sys_days{day.date})] = day.off_day;
    }
  }
}

bool WorkCalendar::is_published(int year) const { return published_.contains(year); }

std::vector<int> WorkCalendar::published_years() const { return to_vector(published_); }

bool WorkCalendar::is_working_day(year_month_day date) const {
  std::set<int> ignored;
  return is_working_day_noting(sys_days{date}, ignored);
}

bool WorkCalendar::is_working_day_noting(sys_days day, std::set<int>& unpublished) const {
  if (const auto it = named_days_.find(day_number(day)); it != named_days_.end()) {
    return !it->second;
  }
  const int year = static_cast<int>(year_month_day{day}.year());
  if (!published_.contains(year)) unpublished.insert(year);
  const weekday wd{day};
  return wd != Saturday && wd != Sunday;
}

Due WorkCalendar::add(Timestamp start, TimeLimit limit) const {
  if (!(limit.amount > 0)) return {start, {}};
  const double amount = std::min(limit.amount, kMaxAmount);
  switch (limit.unit) {
    case TimeUnit::kNaturalHours:
      return {start + seconds{std::llround(amount * 3600)}, {}};
    case TimeUnit::kWorkingHours:
      return add_working_hours(start, seconds{std::llround(amount * 3600)});
    case TimeUnit::kWorkingDays:
      return add_working_days(start, std::max(1LL, std::llround(amount)));
  }
  return {start, {}};
}

Due WorkCalendar::add_working_hours(Timestamp start, seconds amount) const {
  std::set<int> unpublished;
  const auto local = to_local(start);
  sys_days day{local.date};
  seconds time_of_day = local.time_of_day;
  seconds remaining = amount;
  if (remaining <= seconds{0}) return {start, {}};

  int idle = 0;
  for (int scanned = 0; scanned < kMaxScanDays && idle < kMaxIdleDays; ++scanned) {
    bool counted = false;
    if (is_working_day_noting(day, unpublished)) {
      for (const auto& p : hours_.periods) {
        if (time_of_day >= p.end) continue;
        const seconds from = std::max(time_of_day, p.start);
        // `<=` keeps a limit that ends exactly at closing on that day.
        if (remaining <= p.end - from) return {at(day, from + remaining), to_vector(unpublished)};
        remaining -= p.end - from;
        counted = true;
      }
    }
    idle = counted ? 0 : idle + 1;
    day += days{1};
    time_of_day = seconds{0};
  }
  return {at(day, seconds{0}), to_vector(unpublished)};
}

Due WorkCalendar::add_working_days(Timestamp start, long long amount) const {
  std::set<int> unpublished;
  const auto local = to_local(start);
  sys_days day{local.date};
  seconds time_of_day = local.time_of_day;

  // Move to the next office moment: the start itself when inside a period.
  bool in_office = false;
  int scanned = 0;
  for (; scanned < kMaxIdleDays && !in_office; ++scanned) {
    if (is_working_day_noting(day, unpublished)) {
      const auto it = std::find_if(hours_.periods.begin(), hours_.periods.end(),
                                   [&](const OfficePeriod& p) { return time_of_day < p.end; });
      if (it != hours_.periods.end()) {
        time_of_day = std::max(time_of_day, it->start);
        in_office = true;
        continue;
      }
    }
    day += days{1};
    time_of_day = seconds{0};
  }
  if (!in_office) return {at(day, seconds{0}), to_vector(unpublished)};

  int idle = 0;
  for (long long stepped = 0; stepped < amount;) {
    if (scanned >= kMaxScanDays || idle >= kMaxIdleDays) {
      return {at(day + days{1}, seconds{0}), to_vector(unpublished)};
    }
    day += days{1};
    ++scanned;
    if (is_working_day_noting(day, unpublished)) {
      ++stepped;
      idle = 0;
    } else {
      ++idle;
    }
  }
  return {at(day, time_of_day), to_vector(unpublished)};
}

seconds WorkCalendar::counted_between(Timestamp from, Timestamp to, TimeUnit unit) const {
  if (to <= from) return seconds{0};
  if (unit == TimeUnit::kNaturalHours) return to - from;

  const auto local_from = to_local(from);
  const auto local_to = to_local(to);
  const sys_days first{local_from.date};
  const sys_days last{local_to.date};
  std::set<int> ignored;
  seconds total{0};
  int scanned = 0;
  for (sys_days day = first; day <= last && scanned < kMaxScanDays; day += days{1}, ++scanned) {
    if (!is_working_day_noting(day, ignored)) continue;
    const seconds lo = day == first ? local_from.time_of_day : seconds{0};
    const seconds hi = day == last ? local_to.time_of_day : kDay;
    for (const auto& p : hours_.periods) {
      const seconds overlap = std::min(hi, p.end) - std::max(lo, p.start);
      if (overlap > seconds{0}) total += overlap;
    }
  }
  return total;
}

}  // namespace cityops
