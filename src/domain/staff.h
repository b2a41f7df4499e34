// Grid staff: the people who patrol and inspect the governance grids, their roles, teams and
// grid assignments, and the CSV format they are imported in. Pure functions: no I/O.
//
//   staff_no,name,role,phone,team,grids,username
//   GS0001,王芳,grid_leader,13812345678,东海滩社区一队,130304-GG-001;130304-GG-002,
//
// A file is checked row by row: good rows are kept, each bad row is reported with its line.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cityops {

enum class StaffRole { kGridLeader, kGridWorker, kInspector, kAuxiliaryInspector };

// "grid_leader", "grid_worker", "inspector", "auxiliary_inspector"; nullopt otherwise.
std::optional<StaffRole> parse_staff_role(std::string_view text);
std::string_view to_string(StaffRole role);

struct StaffMember {
  std::string staff_no;  // unique
  std::string name;
  StaffRole role = StaffRole::kGridWorker;
  std::string phone;
  std::string team;
  std::vector<std::string> grids;  // governance grid codes
  std::string username;            // the linked login account; empty for none
  bool active = true;
};

// A Chinese mobile number (1[3-9] and nine digits) or a landline with its area code
// (0 and 2-3 digits, an optional '-', then 7-8 digits).
bool valid_phone(std::string_view phone);

// "138****1234" for a mobile; a landline keeps its area code and last four digits.
std::string mask_phone(std::string_view phone);

// One refused CSV row: the physical line it starts on (the header is line 1).
struct StaffRowError {
  size_t line = 0;
  std::string field;
  std::string code;
  std::string message;
};

struct StaffCsv {
  std::vector<StaffMember> good;
  std::vector<StaffRowError> rejected;
};

// Reads the staff CSV. The header must name the columns staff_no, name, role, phone, team,
// grids and username (any order); without them, or when the text is not CSV, the whole file is
// refused ("missing_column", "malformed_csv"). Each data row is then checked on its own:
// "bad_row_width", "empty_staff_no", "empty_name", "unknown_role", "invalid_phone",
// "unknown_grid" (when `grid_exists` says no), "duplicate_staff_no" (within the file; the
// first row is kept). Grids are ';'-separated.
Result<StaffCsv> parse_staff_csv(std::string_view text,
                                 const std::function<bool(std::string_view)>& grid_exists);

}  // namespace cityops
