// Roles, the signed-in principal, and the scope rules that decide which cases a principal may
// see and whether reporters' personal data reaches them unmasked. Pure functions: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/case.h"

namespace cityops {

enum class Role {
  kAdmin,              // manages accounts
  kIntakeClerk,        // takes reports from the hotline and other channels
  kShiftLead,          // registers, rejects, merges, cancels
  kDispatcher,         // sends registered cases to departments
  kDepartmentHandler,  // signs for, handles and reports back on a department's cases
  kInspector,          // verifies handled cases on site, in assigned grids
  kGridWorker,         // patrols assigned grids and reports findings
  kSupervisor,         // urges, supervises, evaluates
  kViewer,             // reads, with personal data masked
};

// "admin", "intake_clerk", "shift_lead", "dispatcher", "department_handler", "inspector",
// "grid_worker", "supervisor", "viewer"; nullopt for anything else (matching is exact).
std::optional<Role> parse_role(std::string_view text);
std::string_view to_string(Role role);
// Every role, in declaration order.
const std::vector<Role>& all_roles();

// Who is making a request, as resolved from a session.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  std::string department;          // department code; may be empty except for handlers
  std::vector<std::string> grids;  // unit or governance grid ids, for grid-bound roles
  std::string street;              // the street code when `department` is a street office
};

// True when the role needs `department` (department_handler).
bool role_needs_department(Role role);
// True when the role is bound to grids (grid_worker, inspector).
bool role_needs_grids(Role role);

// True for roles that must see reporters' names and phone numbers to do their work (intake
// clerk, shift lead, dispatcher, supervisor); everyone else gets them masked.
bool may_see_personal_data(Role role);

// Whether `principal` may see case `c`:
// - department_handler: the case's lead department or one of its co-departments is the
//   principal's department; a street office's handler also sees every case in its street;
// - grid_worker and inspector: the case's unit grid or governance grid is one of the
//   principal's grids (no grids, no cases);
// - every other role: all cases.
bool in_scope(const Principal& principal, const Case& c);

}  // namespace cityops
