// Readers and writers of China's yearly holiday notices.
//
// Three text forms carry the same facts (which dates are public holidays and which weekend
// days are make-up working days):
//   - the holiday-cn JSON form: {"year": 2025, "days": [{"name", "date", "isOffDay"}...]};
//   - iCalendar (RFC 5545) as published beside it: one all-day VEVENT per run of days, a
//     SUMMARY beginning with "上班" ("go to work") marking make-up working days;
//   - the project's own CSV form, checked in under data/calendar/:
//       # year: 2025
//       # source: State Council notice ...
//       date,kind,name
//       2025-01-01,holiday,元旦
//       2025-01-26,workday,春节
//
// Every parser returns the days sorted by date with repeats merged, and refuses a date given
// both as a holiday and as a working day. Errors have kind kInvalidArgument and a code naming
// the form ("bad_calendar_json", "bad_icalendar", "bad_calendar_csv", "calendar_conflict");
// messages name the line or entry at fault. Nothing here throws or touches files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/calendar.h"

namespace cityops {

// Sorts `year.days` by date and merges entries that repeat a date with the same kind (the
// first name is kept). Refuses invalid dates and a date listed with both kinds
// ("calendar_conflict").
Result<CalendarYear> normalize_calendar_year(CalendarYear year);

// Parses one holiday-cn file. `year` must be an integer in 1900-9999 and `days` an array of
// objects with a string `name`, a "YYYY-MM-DD" `date` and a boolean `isOffDay`; other members
// are ignored. Dates outside `year` are kept: a notice may fix days of the neighbouring year.
Result<CalendarYear> parse_holiday_cn_json(std::string_view text);

// Parses an iCalendar stream of all-day holiday events (CRLF or LF line ends, folded lines,
// TEXT escapes). An event covers DTSTART up to but excluding DTEND; without DTEND it covers
// DTSTART plus DURATION (PnD or PnW), or one day. A SUMMARY beginning with "上班" or holding
// "补班" marks make-up working days, anything else holidays; the festival name is the SUMMARY
// without "上班(补" ... "假期)" decoration. Each event is filed under the year of its last day,
// except that New Year (元旦) days in December belong to the next year's notice. Returns one
// CalendarYear per year, ascending. Refuses date-time (timed) events, events longer than a
// year, events without DTSTART, unbalanced BEGIN/END and a stream without any event.
Result<std::vector<CalendarYear>> parse_icalendar(std::string_view text);

// Parses the project's CSV form. Lines starting with '#' are comments, and exactly one of them
// must be "# year: YYYY". The first other line must be the header "date,kind,name"; each
// following line is a date, "holiday" or "workday", and a name (double-quoted when it holds a
// comma or a quote, quotes doubled inside). Blank lines, CRLF and a UTF-8 byte order mark are
// accepted.
Result<CalendarYear> parse_calendar_csv(std::string_view text);

// Writes the CSV form, days sorted by date: a "# year:" line, then "# source: <source>" when
// `source` is not empty, the header and one line per day. Line breaks in names become spaces.
// parse_calendar_csv(format_calendar_csv(y)) returns the normalised `y`.
std::string format_calendar_csv(const CalendarYear& year, std::string_view source = {});

}  // namespace cityops
