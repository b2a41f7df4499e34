// The iCalendar form of the holiday notices (declared in calendar_import.h).
#include <fmt/format.h>

#include <map>
#include <optional>

#include "domain/calendar_import.h"

namespace cityops {

using namespace std::chrono;

namespace {

// Longer events are not holiday runs; refusing them also bounds the expansion below.
constexpr int kMaxEventDays = 366;

struct ContentLine {
  size_t number = 0;  // the physical line it starts on
  std::string name;   // upper case
  std::string value;
};

struct Event {
  size_t line = 0;
  std::string summary;
  std::optional<year_month_day> start;
  std::optional<year_month_day> end;
  std::optional<int> duration_days;
};

Status bad_ics(size_t line, std::string message) {
  return invalid("bad_icalendar", fmt::format("line {}: {}", line, message));
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Splits a content line "NAME;PARAM=x:VALUE"; the first ':' outside double quotes ends the
// name and parameters.
std::optional<ContentLine> split_content_line(size_t number, std::string_view line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) {
      const auto head = line.substr(0, i);
      return ContentLine{number, upper(head.substr(0, head.find(';'))),
                         std::string(line.substr(i + 1))};
    }
  }
  return std::nullopt;
}

// Joins folded lines (a line break followed by one space or tab continues the line) and
// splits the stream into content lines. Folds may fall inside a UTF-8 sequence, so joining
// happens on bytes before anything is decoded.
Result<std::vector<ContentLine>> unfold(std::string_view text) {
  std::vector<std::pair<size_t, std::string>> raw;
  size_t number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !raw.empty()) {
      raw.back().second.append(line.substr(1));
    } else if (!line.empty()) {
      raw.emplace_back(number, std::string(line));
    }
  }
  std::vector<ContentLine> lines;
  for (const auto& [n, line] : raw) {
    auto content = split_content_line(n, line);
    if (!content) return bad_ics(n, "not a content line NAME:VALUE");
    lines.push_back(std::move(*content));
  }
  return lines;
}

std::string unescape_text(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      const char next = value[++i];
      out += (next == 'n' || next == 'N') ? '\n' : next;
    } else {
      out += value[i];
    }
  }
  return out;
}

std::optional<year_month_day> parse_ics_date(std::string_view value) {
  if (value.size() != 8) return std::nullopt;
  const std::string iso =
      fmt::format("{}-{}-{}", value.substr(0, 4), value.substr(4, 2), value.substr(6, 2));
  return parse_date(iso);
}

// "P3D", "P1W", optionally signed "+".
std::optional<int> parse_duration_days(std::string_view value) {
  if (value.starts_with('+')) value.remove_prefix(1);
  if (value.size() < 3 || value.front() != 'P') return std::nullopt;
  const char unit = value.back();
  const auto digits = value.substr(1, value.size() - 2);
  int n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9' || n > kMaxEventDays) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (unit == 'D') return n;
  if (unit == 'W') return n * 7;
  return std::nullopt;
}

Status read_date_property(const ContentLine& line, std::optional<year_month_day>& out) {
  if (line.value.find('T') != std::string::npos) {
    return bad_ics(line.number, fmt::format("{} {} has a time of day; holiday events are all-day "
                                            "dates",
                                            line.name, line.value));
  }
  out = parse_ics_date(line.value);
  if (!out)
    return bad_ics(line.number,
                   fmt::format("{} \"{}\" is not a date YYYYMMDD", line.name, line.value));
  return Status::ok();
}

// "上班(补国庆节、中秋节假期)" -> workday "国庆节、中秋节"; "春节假期" -> holiday "春节".
std::pair<bool, std::string> classify(const std::string& summary) {
  std::string_view s = summary;
  const bool workday = s.starts_with("上班") || s.find("补班") != std::string_view::npos;
  if (s.starts_with("上班")) s.remove_prefix(std::string_view("上班").size());
  for (std::string_view open : {"(", "（"}) {
    if (s.starts_with(open)) s.remove_prefix(open.size());
  }
  for (std::string_view close : {")", "）"}) {
    if (s.ends_with(close)) s.remove_suffix(close.size());
  }
  if (s.starts_with("补")) s.remove_prefix(std::string_view("补").size());
  if (s.ends_with("假期")) s.remove_suffix(std::string_view("假期").size());
  return {!workday, s.empty() ? summary : std::string(s)};
}

Status expand(const Event& event, std::map<int, CalendarYear>& years) {
  if (!event.start) return bad_ics(event.line, "event without DTSTART");
  // The summary is what tells a holiday from a make-up working day.
  if (event.summary.empty()) return bad_ics(event.line, "event without SUMMARY");
  const sys_days first{*event.start};
  sys_days end = first + days{1};
  if (event.end) {
    end = sys_days{*event.end};
  } else if (event.duration_days) {
    end = first + days{*event.duration_days};
  }
  if (end <= first) return bad_ics(event.line, "event ends before it starts");
  if (end - first > days{kMaxEventDays}) return bad_ics(event.line, "event is longer than a year");

  const auto [off_day, name] = classify(event.summary);
  const year_month_day last{end - days{1}};
  int year = static_cast<int>(last.year());
  // The notice for year Y fixes the New Year break, which can begin in late December of Y-1.
  if (name == "元旦" && last.month() == December) ++year;
  auto& bucket = years[year];
  bucket.year = year;
  for (sys_days day = first; day < end; day += days{1}) {
    bucket.days.push_back({year_month_day{day}, off_day, name});
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<CalendarYear>> parse_icalendar(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  auto lines = unfold(text);
  if (!lines) return lines.status();
  if (lines->empty() || lines->front().name != "BEGIN" ||
      upper(lines->front().value) != "VCALENDAR") {
    return bad_ics(lines->empty() ? 1 : lines->front().number,
                   "stream does not begin with BEGIN:VCALENDAR");
  }

  std::vector<std::string> open;  // components, outermost first
  std::optional<Event> event;
  std::map<int, CalendarYear> years;
  for (const auto& line : *lines) {
    if (line.name == "BEGIN") {
      open.push_back(upper(line.value));
      if (open.back() == "VEVENT") {
        if (event) return bad_ics(line.number, "VEVENT inside a VEVENT");
        event = Event{line.number, {}, {}, {}, {}};
      }
      continue;
    }
    if (line.name == "END") {
      if (open.empty() || open.back() != upper(line.value)) {
        return bad_ics(line.number, fmt::format("END:{} does not close an open BEGIN", line.value));
      }
      if (open.back() == "VEVENT") {
        CITYOPS_RETURN_IF_ERROR(expand(*event, years));
        event.reset();
      }
      open.pop_back();
      continue;
    }
    // Properties of components nested in an event (alarms) are not the event's.
    if (!event || open.back() != "VEVENT") continue;
    if (line.name == "SUMMARY") event->summary = unescape_text(line.value);
    if (line.name == "DTSTART") CITYOPS_RETURN_IF_ERROR(read_date_property(line, event->start));
    if (line.name == "DTEND") CITYOPS_RETURN_IF_ERROR(read_date_property(line, event->end));
    if (line.name == "DURATION") {
      event->duration_days = parse_duration_days(line.value);
      if (!event->duration_days) {
        return bad_ics(line.number,
                       fmt::format("DURATION \"{}\" is not a whole number of days", line.value));
      }
    }
  }
  if (!open.empty()) {
    return bad_ics(lines->back().number, fmt::format("BEGIN:{} is never closed", open.back()));
  }
  if (years.empty()) return bad_ics(lines->back().number, "no holiday events");

  std::vector<CalendarYear> result;
  for (auto& [year, calendar] : years) {
    auto normalized = normalize_calendar_year(std::move(calendar));
    if (!normalized) return normalized.status();
    result.push_back(std::move(normalized).value());
  }
  return result;
}

}  // namespace cityops
