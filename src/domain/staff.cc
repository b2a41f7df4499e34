#include "domain/staff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "common/csv.h"

namespace cityops {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Splits the text into records, each with the physical line it starts on, so that errors can
// name lines even when a quoted field holds a line break.
std::vector<std::pair<size_t, std::string_view>> records_by_line(std::string_view text) {
  std::vector<std::pair<size_t, std::string_view>> out;
  size_t line = 1, start = 0, start_line = 1;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] != '\n') continue;
    ++line;
    if (quoted) continue;
    out.emplace_back(start_line, text.substr(start, i + 1 - start));
    start = i + 1;
    start_line = line;
  }
  if (start < text.size()) out.emplace_back(start_line, text.substr(start));
  return out;
}

bool blank(std::string_view record) {
  return std::all_of(record.begin(), record.end(), [](char c) { return c == '\r' || c == '\n'; });
}

struct Columns {
  size_t staff_no, name, role, phone, team, grids, username, width;
};

// The row as a member, or the first fault found in it.
std::optional<StaffRowError> check_row(const CsvRow& row, const Columns& c, size_t line,
                                       const std::function<bool(std::string_view)>& grid_exists,
                                       StaffMember& out) {
  auto fault = [line](std::string field, std::string code, std::string message) {
    return StaffRowError{line, std::move(field), std::move(code), std::move(message)};
  };
  if (row.size() != c.width) {
    return fault("", "bad_row_width",
                 fmt::format("the row has {} fields, the header has {}", row.size(), c.width));
  }
  out.staff_no = row[c.staff_no];
  if (out.staff_no.empty()) return fault("staff_no", "empty_staff_no", "staff_no is empty");
  out.name = row[c.name];
  if (out.name.empty()) return fault("name", "empty_name", "name is empty");
  const auto role = parse_staff_role(row[c.role]);
  if (!role) {
    return fault("role", "unknown_role",
                 fmt::format("role '{}' is not grid_leader, grid_worker, inspector or "
                             "auxiliary_inspector",
                             row[c.role]));
  }
  out.role = *role;
  out.phone = row[c.phone];
  if (!valid_phone(out.phone)) {
    return fault(
        "phone", "invalid_phone",
        fmt::format("phone '{}' is neither a mobile nor a landline with its area code", out.phone));
  }
  out.team = row[c.team];
  out.grids = split_list(row[c.grids]);
  for (const auto& grid : out.grids) {
    if (!grid_exists(grid)) {
      return fault("grids", "unknown_grid", fmt::format("no governance grid {}", grid));
    }
  }
  out.username = row[c.username];
  out.active = true;
  return std::nullopt;
}

}  // namespace

std::optional<StaffRole> parse_staff_role(std::string_view text) {
  if (text == "grid_leader") return StaffRole::kGridLeader;
  if (text == "grid_worker") return StaffRole::kGridWorker;
  if (text == "inspector") return StaffRole::kInspector;
  if (text == "auxiliary_inspector") return StaffRole::kAuxiliaryInspector;
  return std::nullopt;
}

std::string_view to_string(StaffRole role) {
  switch (role) {
    case StaffRole::kGridLeader:
      return "grid_leader";
    case StaffRole::kGridWorker:
      return "grid_worker";
    case StaffRole::kInspector:
      return "inspector";
    case StaffRole::kAuxiliaryInspector:
      return "auxiliary_inspector";
  }
  return "grid_worker";
}

bool valid_phone(std::string_view phone) {
  if (phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9') {
    return all_digits(phone);
  }
  if (phone.empty() || phone[0] != '0') return false;
  // Area codes have three or four digits, the leading 0 included.
  for (size_t area = 3; area <= 4; ++area) {
    if (phone.size() <= area) continue;
    std::string_view rest = phone.substr(area);
    if (!rest.empty() && rest[0] == '-') rest.remove_prefix(1);
    if (all_digits(phone.substr(0, area)) && all_digits(rest) && rest.size() >= 7 &&
        rest.size() <= 8 && rest[0] != '0') {
      return true;
    }
  }
  return false;
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  const size_t keep_front = phone[0] == '1' ? 3 : std::min(phone.find('-'), size_t{4});
  const size_t keep_back = 4;
  const size_t hidden = phone.size() - std::min(phone.size(), keep_front + keep_back);
  return std::string(phone.substr(0, keep_front)) + std::string(hidden, '*') +
         std::string(phone.substr(phone.size() - keep_back));
}

Result<StaffCsv> parse_staff_csv(std::string_view text,
                                 const std::function<bool(std::string_view)>& grid_exists) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  auto records = records_by_line(text);
  records.erase(
      std::remove_if(records.begin(), records.end(), [](const auto& r) { return blank(r.second); }),
      records.end());
  if (records.empty()) return invalid("missing_column", "the file has no header", "staff_no");

  auto header = parse_csv(records.front().second, false);
  if (!header) return header.status();
  if (header->empty()) return invalid("missing_column", "the file has no header", "staff_no");
  auto positions = locate_columns(
      header->front(), {"staff_no", "name", "role", "phone", "team", "grids", "username"});
  if (!positions) return positions.status();
  const auto& p = *positions;
  const Columns columns{p[0], p[1], p[2], p[3], p[4], p[5], p[6], header->front().size()};

  StaffCsv out;
  std::set<std::string, std::less<>> seen;
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& [line, record] = records[i];
    auto rows = parse_csv(record, false);
    if (!rows || rows->size() != 1) {
      const std::string why = rows ? "the row does not parse" : rows.status().message();
      out.rejected.push_back({line, "", "malformed_csv", why});
      continue;
    }
    StaffMember member;
    if (auto fault = check_row(rows->front(), columns, line, grid_exists, member)) {
      out.rejected.push_back(std::move(*fault));
      continue;
    }
    if (!seen.insert(member.staff_no).second) {
      out.rejected.push_back(
          {line, "staff_no", "duplicate_staff_no",
           fmt::format("staff_no {} appears earlier in the file", member.staff_no)});
      continue;
    }
    out.good.push_back(std::move(member));
  }
  return out;
}

}  // namespace cityops
