// China's official working calendar and deadline arithmetic.
//
// Working time in a Chinese government office is the office's daily hours on working days.
// A day is a working day when the State Council's yearly notice makes it one: public holidays
// (which may fall on weekdays) are off, and some weekend days are make-up working days (调休).
// Days the notice does not mention follow the weekly rule: Monday to Friday work, Saturday and
// Sunday off. Everything here is in China Standard Time (UTC+8, no daylight saving).
//
// Usage:
//   WorkCalendar calendar(years, OfficeHours::standard());
//   const Due due = calendar.add(start, *parse_time_limit("3wd"));
//   if (!due.unpublished_years.empty()) { /* warn: weekly rule assumed for those years */ }
//
// The class is immutable after construction and safe to share between threads.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/time_limit.h"

namespace cityops {

// One span of office time within a day, as offsets from local midnight; the span is
// half-open: [start, end).
struct OfficePeriod {
  std::chrono::seconds start{0};
  std::chrono::seconds end{0};

  friend bool operator==(const OfficePeriod&, const OfficePeriod&) = default;
};

// The office's hours, the same on every working day.
struct OfficeHours {
  // Sorted by start, non-overlapping, each 0 <= start < end <= 24:00.
  std::vector<OfficePeriod> periods;

  // 08:30-12:00 and 13:30-17:30, the usual hours of a district office.
  static OfficeHours standard();

  // Office time in one working day.
  std::chrono::seconds per_day() const;

  friend bool operator==(const OfficeHours&, const OfficeHours&) = default;
};

// Parses "08:30-12:00,13:30-17:30": comma-separated HH:MM-HH:MM periods (24:00 allowed as an
// end). Periods may be given in any order; the result is sorted. Refuses empty text, malformed
// times, periods that end before they start and overlapping periods (code
// "bad_office_hours", field "office_hours").
Result<OfficeHours> parse_office_hours(std::string_view text);
// The inverse of parse_office_hours.
std::string format_office_hours(const OfficeHours& hours);

// A day the yearly notice names.
struct CalendarDay {
  std::chrono::year_month_day date;
  bool off_day = true;  // true: public holiday; false: weekend day worked in exchange (调休)
  std::string name;     // the festival it belongs to, e.g. "国庆节、中秋节"

  friend bool operator==(const CalendarDay&, const CalendarDay&) = default;
};

// The days one yearly notice names. `days` may include dates of the neighbouring years (a
// notice for year Y can fix the New Year days at the end of Y-1).
struct CalendarYear {
  int year = 0;
  std::vector<CalendarDay> days;

  friend bool operator==(const CalendarYear&, const CalendarYear&) = default;
};

// The result of deadline arithmetic.
struct Due {
  Timestamp due;
  // Years the computation looked at whose notice is not loaded, ascending. For their days the
  // weekly rule alone was applied (no holidays guessed); callers should warn.
  std::vector<int> unpublished_years;
};

class WorkCalendar {
 public:
  // Days from all years are merged. When two notices name the same date, the one with the
  // larger `year` wins (the later notice is the authority on the days it shares). Invalid
  // dates are ignored; office periods are sorted, clipped to the day and merged where they
  // overlap, so any OfficeHours value is usable.
  WorkCalendar(std::vector<CalendarYear> years, OfficeHours hours);

  // True when a notice for `year` was loaded.
  bool is_published(int year) const;
  // The loaded years, ascending.
  std::vector<int> published_years() const;

  // A day named by a notice is what the notice says; any other day is a working day exactly
  // when it is Monday to Friday.
  bool is_working_day(std::chrono::year_month_day date) const;

  const OfficeHours& office_hours() const { return hours_; }

  // The instant a limit that starts at `start` runs out.
  //
  // natural_hours: start plus the hours, nights and holidays included.
  // working_hours: counts only seconds inside office periods of working days. A limit that
  //   runs out exactly at the end of a period is due at that end (17:30), not at the next
  //   opening.
  // working_days: a start outside office time first moves to the next office moment (in the
  //   lunch break to 13:30; after closing or on a non-working day to the next working day's
  //   opening); then the due instant is N working days later at that time of day.
  //   Example: 3 working days from Tue 2025-09-30 16:00 is Sat 2025-10-11 16:00 (1-8 Oct are
  //   holidays, Sat 11 Oct is a make-up working day).
  //
  // Hours may be fractional (rounded to the second); days are rounded to the nearest whole
  // number, at least one. A limit that is not positive is due at `start`.
  //
  // The computation never runs away: it gives up when it meets 731 consecutive days without
  // office time (a calendar with no office periods, or one that lists every day as off) or
  // when it has scanned 36,525 days (an absurd limit). It then returns the start of the day
  // after the last one scanned, which is far in the future; a calendar built from real notices
  // and real hours never reaches either bound.
  Due add(Timestamp start, TimeLimit limit) const;

  // Counted time between two instants: office seconds on working days for the working units,
  // plain seconds for natural hours; zero when `to <= from`. The share of a limit used at
  // `now` is counted_between(start, now) / counted_between(start, due). Scans at most 36,525
  // days.
  std::chrono::seconds counted_between(Timestamp from, Timestamp to, TimeUnit unit) const;

 private:
  // Like is_working_day, and notes the year of a day not named by any notice when that year
  // is not published.
  bool is_working_day_noting(std::chrono::sys_days day, std::set<int>& unpublished) const;
  Due add_working_hours(Timestamp start, std::chrono::seconds amount) const;
  Due add_working_days(Timestamp start, long long amount) const;

  std::set<int> published_;
  // Days since 1970-01-01 -> off_day, for every day a notice names.
  std::unordered_map<long long, bool> named_days_;
  OfficeHours hours_;
};

}  // namespace cityops
