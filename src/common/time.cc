#include "common/time.h"

#include <fmt/format.h>

#include <cctype>

namespace cityops {

using namespace std::chrono;

LocalDateTime to_local(Timestamp t) {
  const auto local = t + kChinaOffset;
  const auto day = floor<days>(local);
  return {year_month_day{day}, duration_cast<seconds>(local - day)};
}

Timestamp from_local(year_month_day date, seconds time_of_day) {
  return Timestamp{sys_days{date}.time_since_epoch() + time_of_day - kChinaOffset};
}

std::string format_rfc3339(Timestamp t) {
  const auto local = to_local(t);
  const auto hms = hh_mm_ss<seconds>{local.time_of_day};
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", format_date(local.date), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

std::string format_date(year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string format_compact_date(year_month_day d) {
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

namespace {

// Reads exactly `width` digits at `pos`.
std::optional<int> read_digits(std::string_view s, size_t pos, size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = read_digits(text, 0, 4);
  const auto m = read_digits(text, 5, 2);
  const auto d = read_digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)},
                           day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  if (text.size() < 20) return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  if (!date || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) return std::nullopt;
  const auto hh = read_digits(text, 11, 2);
  const auto mm = read_digits(text, 14, 2);
  const auto ss = read_digits(text, 17, 2);
  if (!hh || !mm || !ss || text[13] != ':' || text[16] != ':') return std::nullopt;
  if (*hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;

  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == digits_start) return std::nullopt;
  }
  if (pos >= text.size()) return std::nullopt;

  int offset_seconds = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    if (pos + 1 != text.size()) return std::nullopt;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const auto oh = read_digits(text, pos + 1, 2);
    const auto om = read_digits(text, pos + 4, 2);
    if (!oh || !om || pos + 6 != text.size() || text[pos + 3] != ':') return std::nullopt;
    if (*oh > 23 || *om > 59) return std::nullopt;
    offset_seconds = (*oh * 3600 + *om * 60) * (text[pos] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }

  const auto local = sys_days{*date} + hours{*hh} + minutes{*mm} + seconds{*ss};
  return Timestamp{local.time_since_epoch() - seconds{offset_seconds}};
}

Timestamp SystemClock::now() const { return time_point_cast<seconds>(system_clock::now()); }

}  // namespace cityops
