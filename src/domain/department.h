// Departments that receive cases: government agencies, public-service enterprises, and the
// territorial offices (streets and towns) that take what no specialised department owns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cityops {

enum class DepartmentKind { kAgency, kEnterprise, kStreetOffice };

// "agency", "enterprise", "street_office".
std::optional<DepartmentKind> parse_department_kind(std::string_view text);
std::string_view to_string(DepartmentKind kind);

struct Department {
  std::string code;  // readable lowercase ASCII id, e.g. "city_mgmt", "street_xishan"
  std::string name;  // the official name, in Chinese
  DepartmentKind kind = DepartmentKind::kAgency;
  std::string street_code;  // 9-digit street/town code; set exactly for street offices
};

// Parses a departments file (columns code,name,kind,street; '#' comment lines allowed; extra
// columns ignored). Refuses, with the row number in the message: a code that is not
// [a-z0-9_]+ ("bad_code"), a repeated code ("duplicate_code"), an empty name ("missing_name"),
// an unknown kind ("unknown_kind"), a street office without a 9-digit street code or another
// kind with one ("bad_street"), and two offices for the same street ("duplicate_street").
Result<std::vector<Department>> parse_departments_csv(std::string_view text);

// True for codes made of lowercase ASCII letters, digits and underscores.
bool is_department_code(std::string_view code);

// kInvalidArgument "unknown_department" (field "department") when `code` is not one of `known`.
// A null or empty list accepts any code: before any department list is loaded there is
// nothing to check against.
Status check_known_department(const std::vector<Department>* known, const std::string& code);

}  // namespace cityops
