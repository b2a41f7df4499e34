#include "domain/role.h"

#include <algorithm>
#include <array>

namespace cityops {

namespace {

struct RoleName {
  Role role;
  std::string_view name;
};

constexpr std::array<RoleName, 9> kRoleNames{{
    {Role::kAdmin, "admin"},
    {Role::kIntakeClerk, "intake_clerk"},
    {Role::kShiftLead, "shift_lead"},
    {Role::kDispatcher, "dispatcher"},
    {Role::kDepartmentHandler, "department_handler"},
    {Role::kInspector, "inspector"},
    {Role::kGridWorker, "grid_worker"},
    {Role::kSupervisor, "supervisor"},
    {Role::kViewer, "viewer"},
}};

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& entry : kRoleNames) {
    if (entry.name == text) return entry.role;
  }
  return std::nullopt;
}

std::string_view to_string(Role role) {
  for (const auto& entry : kRoleNames) {
    if (entry.role == role) return entry.name;
  }
  return "unknown";
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> out;
    for (const auto& entry : kRoleNames) out.push_back(entry.role);
    return out;
  }();
  return roles;
}

bool role_needs_department(Role role) { return role == Role::kDepartmentHandler; }

bool role_needs_grids(Role role) { return role == Role::kGridWorker || role == Role::kInspector; }

bool may_see_personal_data(Role role) {
  switch (role) {
    case Role::kIntakeClerk:
    case Role::kShiftLead:
    case Role::kDispatcher:
    case Role::kSupervisor:
      return true;
    case Role::kAdmin:
    case Role::kDepartmentHandler:
    case Role::kInspector:
    case Role::kGridWorker:
    case Role::kViewer:
      return false;
  }
  return false;
}

bool in_scope(const Principal& principal, const Case& c) {
  switch (principal.role) {
    case Role::kDepartmentHandler:
      // An empty department or street must never match a case whose field is empty too.
      if (principal.department.empty()) return false;
      if (c.department == principal.department) return true;
      if (contains(c.co_departments, principal.department)) return true;
      return !principal.street.empty() && c.street == principal.street;
    case Role::kGridWorker:
    case Role::kInspector:
      return (!c.unit_grid.empty() && contains(principal.grids, c.unit_grid)) ||
             (!c.governance_grid.empty() && contains(principal.grids, c.governance_grid));
    case Role::kAdmin:
    case Role::kIntakeClerk:
    case Role::kShiftLead:
    case Role::kDispatcher:
    case Role::kSupervisor:
    case Role::kViewer:
      return true;
  }
  return false;
}

}  // namespace cityops
