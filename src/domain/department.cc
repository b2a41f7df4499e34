#include "domain/department.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/csv.h"

namespace cityops {

std::optional<DepartmentKind> parse_department_kind(std::string_view text) {
  if (text == "agency") return DepartmentKind::kAgency;
  if (text == "enterprise") return DepartmentKind::kEnterprise;
  if (text == "street_office") return DepartmentKind::kStreetOffice;
  return std::nullopt;
}

std::string_view to_string(DepartmentKind kind) {
  switch (kind) {
    case DepartmentKind::kAgency:
      return "agency";
    case DepartmentKind::kEnterprise:
      return "enterprise";
    case DepartmentKind::kStreetOffice:
      return "street_office";
  }
  return "agency";
}

bool is_department_code(std::string_view code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status check_known_department(const std::vector<Department>* known, const std::string& code) {
  if (!known || known->empty()) return Status::ok();
  const bool found = std::any_of(known->begin(), known->end(),
                                 [&](const Department& d) { return d.code == code; });
  if (found) return Status::ok();
  return invalid("unknown_department", "no department has the code " + code, "department");
}

namespace {

bool is_street_code(std::string_view text) {
  return text.size() == 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<std::vector<Department>> parse_departments_csv(std::string_view text) {
  auto rows = parse_csv(text, /*allow_comments=*/true);
  if (!rows) return rows.status();
  if (rows->empty()) return invalid("missing_column", "the departments file has no header");
  const CsvRow& header = rows->front();
  auto columns = locate_columns(header, {"code", "name", "kind", "street"});
  if (!columns) return columns.status();
  const size_t code_at = (*columns)[0], name_at = (*columns)[1], kind_at = (*columns)[2],
               street_at = (*columns)[3];

  std::vector<Department> departments;
  std::set<std::string, std::less<>> codes;
  std::set<std::string, std::less<>> streets;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    CITYOPS_RETURN_IF_ERROR(check_row_width(row, header.size(), r));
    Department d;
    d.code = row[code_at];
    d.name = row[name_at];
    d.street_code = row[street_at];

    if (!is_department_code(d.code)) {
      return invalid("bad_code", fmt::format("row {}: '{}' is not a department code", r, d.code),
                     "code");
    }
    if (!codes.insert(d.code).second) {
      return invalid("duplicate_code", fmt::format("row {}: code '{}' repeats", r, d.code), "code");
    }
    if (d.name.empty()) {
      return invalid("missing_name", fmt::format("row {}: department has no name", r), "name");
    }
    const auto kind = parse_department_kind(row[kind_at]);
    if (!kind) {
      return invalid("unknown_kind", fmt::format("row {}: unknown kind '{}'", r, row[kind_at]),
                     "kind");
    }
    d.kind = *kind;

    // Only territorial offices own a street; that link drives the territorial fallback.
    const bool office = d.kind == DepartmentKind::kStreetOffice;
    if (office ? !is_street_code(d.street_code) : !d.street_code.empty()) {
      return invalid("bad_street",
                     fmt::format("row {}: street '{}' does not fit kind '{}'", r, d.street_code,
                                 to_string(d.kind)),
                     "street");
    }
    if (office && !streets.insert(d.street_code).second) {
      return invalid("duplicate_street",
                     fmt::format("row {}: street {} already has an office", r, d.street_code),
                     "street");
    }
    departments.push_back(std::move(d));
  }
  return departments;
}

}  // namespace cityops
