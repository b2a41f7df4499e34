// The JSON and CSV forms and the shared normalisation; iCalendar is in calendar_ical.cc.
#include "domain/calendar_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace cityops {

using namespace std::chrono;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status bad_json(std::string message, std::string field = {}) {
  return invalid("bad_calendar_json", std::move(message), std::move(field));
}

Status bad_csv(size_t line, std::string message, std::string field = {}) {
  return invalid("bad_calendar_csv", fmt::format("line {}: {}", line, message), std::move(field));
}

std::optional<int> parse_year_number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (value < 1900 || value > 9999) return std::nullopt;
  return value;
}

Result<CalendarDay> parse_json_day(const nlohmann::json& entry, size_t index) {
  const std::string where = fmt::format("days[{}]", index);
  if (!entry.is_object()) return bad_json(where + " is not an object", where);
  const auto name = entry.find("name");
  const auto date = entry.find("date");
  const auto off = entry.find("isOffDay");
  if (name == entry.end() || !name->is_string()) {
    return bad_json(where + ".name is missing or not a string", where + ".name");
  }
  if (date == entry.end() || !date->is_string()) {
    return bad_json(where + ".date is missing or not a string", where + ".date");
  }
  if (off == entry.end() || !off->is_boolean()) {
    return bad_json(where + ".isOffDay is missing or not a boolean", where + ".isOffDay");
  }
  const auto& date_text = date->get_ref<const std::string&>();
  const auto parsed = parse_date(date_text);
  if (!parsed) {
    return bad_json(fmt::format("{}.date \"{}\" is not a date YYYY-MM-DD", where, date_text),
                    where + ".date");
  }
  return CalendarDay{*parsed, off->get<bool>(), name->get<std::string>()};
}

// Splits "date,kind,name" where name may be double-quoted.
std::optional<std::vector<std::string>> split_csv_row(std::string_view line) {
  std::vector<std::string> fields;
  for (int i = 0; i < 2; ++i) {
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    fields.emplace_back(line.substr(0, comma));
    line.remove_prefix(comma + 1);
  }
  if (line.empty() || line.front() != '"') {
    if (line.find_first_of(",\"") != std::string_view::npos) return std::nullopt;
    fields.emplace_back(line);
    return fields;
  }
  std::string name;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] != '"') {
      name += line[i];
    } else if (i + 1 < line.size() && line[i + 1] == '"') {
      name += '"';
      ++i;
    } else if (i + 1 == line.size()) {
      fields.push_back(std::move(name));
      return fields;
    } else {
      return std::nullopt;  // text after the closing quote
    }
  }
  return std::nullopt;  // no closing quote
}

// A CSV row or comment is one line: line breaks become spaces.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

std::string quote_csv_name(std::string name) {
  name = one_line(std::move(name));
  if (name.find_first_of(",\"") == std::string::npos) return name;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

Result<CalendarYear> normalize_calendar_year(CalendarYear year) {
  for (const auto& day : year.days) {
    if (!day.date.ok()) return invalid("calendar_conflict", "a calendar day has an invalid date");
  }
  std::stable_sort(year.days.begin(), year.days.end(),
                   [](const CalendarDay& a, const CalendarDay& b) { return a.date < b.date; });
  std::vector<CalendarDay> merged;
  for (auto& day : year.days) {
    if (!merged.empty() && merged.back().date == day.date) {
      if (merged.back().off_day != day.off_day) {
        return invalid("calendar_conflict",
                       fmt::format("{} is listed both as a holiday and as a working day",
                                   format_date(day.date)),
                       "date");
      }
      continue;
    }
    merged.push_back(std::move(day));
  }
  year.days = std::move(merged);
  return year;
}

Result<CalendarYear> parse_holiday_cn_json(std::string_view text) {
  try {
    const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return bad_json("holiday calendar is not valid JSON");
    if (!doc.is_object()) return bad_json("holiday calendar must be a JSON object");

    const auto year = doc.find("year");
    if (year == doc.end() || !year->is_number_integer()) {
      return bad_json("\"year\" is missing or not an integer", "year");
    }
    const auto year_value = year->get<long long>();
    if (year_value < 1900 || year_value > 9999) {
      return bad_json(fmt::format("\"year\" {} is out of range", year_value), "year");
    }

    const auto days = doc.find("days");
    if (days == doc.end() || !days->is_array()) {
      return bad_json("\"days\" is missing or not an array", "days");
    }
    CalendarYear result{static_cast<int>(year_value), {}};
    for (size_t i = 0; i < days->size(); ++i) {
      auto day = parse_json_day((*days)[i], i);
      if (!day) return day.status();
      result.days.push_back(std::move(day).value());
    }
    return normalize_calendar_year(std::move(result));
  } catch (const nlohmann::json::exception& e) {
    // Checked accessors above should not throw; this keeps the no-exceptions contract anyway.
    return bad_json(fmt::format("holiday calendar could not be read: {}", e.what()));
  }
}

Result<CalendarYear> parse_calendar_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::optional<int> year;
  bool header_seen = false;
  CalendarYear result;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (trim(line).empty()) continue;

    if (line.front() == '#') {
      const auto comment = trim(line.substr(1));
      if (!comment.starts_with("year:")) continue;
      const auto value = parse_year_number(trim(comment.substr(5)));
      if (!value) return bad_csv(line_number, "\"# year:\" needs a year 1900-9999", "year");
      if (year && *year != *value) return bad_csv(line_number, "a second, different year", "year");
      year = value;
      continue;
    }

    if (!header_seen) {
      if (trim(line) != "date,kind,name") {
        return bad_csv(line_number, "expected the header \"date,kind,name\"");
      }
      header_seen = true;
      continue;
    }

    const auto fields = split_csv_row(line);
    if (!fields) return bad_csv(line_number, "expected three fields: date,kind,name");
    const auto date = parse_date((*fields)[0]);
    if (!date) {
      return bad_csv(line_number, fmt::format("\"{}\" is not a date YYYY-MM-DD", (*fields)[0]),
                     "date");
    }
    const auto& kind = (*fields)[1];
    if (kind != "holiday" && kind != "workday") {
      return bad_csv(line_number,
                     fmt::format("kind \"{}\" is neither \"holiday\" nor \"workday\"", kind),
                     "kind");
    }
    result.days.push_back({*date, kind == "holiday", (*fields)[2]});
  }

  if (!year) return bad_csv(line_number, "no \"# year: YYYY\" line", "year");
  if (!header_seen) return bad_csv(line_number, "no header \"date,kind,name\"");
  result.year = *year;
  return normalize_calendar_year(std::move(result));
}

std::string format_calendar_csv(const CalendarYear& year, std::string_view source) {
  auto days = year.days;
  std::stable_sort(days.begin(), days.end(),
                   [](const CalendarDay& a, const CalendarDay& b) { return a.date < b.date; });
  std::string out = fmt::format("# year: {}\n", year.year);
  if (!source.empty()) out += fmt::format("# source: {}\n", one_line(std::string(source)));
  out += "date,kind,name\n";
  for (const auto& day : days) {
    out += fmt::format("{},{},{}\n", format_date(day.date), day.off_day ? "holiday" : "workday",
                       quote_csv_name(day.name));
  }
  return out;
}

}  // namespace cityops
