#include "domain/role.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

TEST(Role, NamesRoundTripExactly) {
  const std::vector<std::string_view> expected{"admin",       "intake_clerk",       "shift_lead",
                                               "dispatcher",  "department_handler", "inspector",
                                               "grid_worker", "supervisor",         "viewer"};
  ASSERT_EQ(all_roles().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i]);
    EXPECT_EQ(to_string(all_roles()[i]), expected[i]);
    EXPECT_EQ(parse_role(expected[i]), all_roles()[i]);
  }
}

TEST(Role, RefusesUnknownAndNearMissNames) {
  for (std::string_view text : {"", "Admin", "ADMIN", " admin", "admin ", "grid-worker",
                                "gridworker", "root", "department"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_role(text).has_value());
  }
}

TEST(Role, PersonalDataOnlyForRolesThatContactReporters) {
  const std::vector<std::pair<Role, bool>> table{
      {Role::kAdmin, false},      {Role::kIntakeClerk, true},        {Role::kShiftLead, true},
      {Role::kDispatcher, true},  {Role::kDepartmentHandler, false}, {Role::kInspector, false},
      {Role::kGridWorker, false}, {Role::kSupervisor, true},         {Role::kViewer, false}};
  ASSERT_EQ(table.size(), all_roles().size());
  for (const auto& [role, expected] : table) {
    SCOPED_TRACE(to_string(role));
    EXPECT_EQ(may_see_personal_data(role), expected);
  }
}

TEST(Role, RequirementsOfDepartmentAndGrids) {
  for (Role role : all_roles()) {
    SCOPED_TRACE(to_string(role));
    EXPECT_EQ(role_needs_department(role), role == Role::kDepartmentHandler);
    EXPECT_EQ(role_needs_grids(role), role == Role::kGridWorker || role == Role::kInspector);
  }
}

Case make_case(std::string department, std::vector<std::string> co, std::string street,
               std::string unit_grid, std::string governance_grid) {
  Case c;
  c.number = "130304-20261204-000001";
  c.department = std::move(department);
  c.co_departments = std::move(co);
  c.street = std::move(street);
  c.unit_grid = std::move(unit_grid);
  c.governance_grid = std::move(governance_grid);
  return c;
}

Principal make_principal(Role role, std::string department = {},
                         std::vector<std::string> grids = {}, std::string street = {}) {
  Principal p;
  p.user_id = 7;
  p.username = "someone";
  p.role = role;
  p.department = std::move(department);
  p.grids = std::move(grids);
  p.street = std::move(street);
  return p;
}

TEST(Role, ScopeTable) {
  // A case on the beach of Dongshan street, led by city management with sanitation helping.
  const Case beach =
      make_case("city_mgmt", {"sanitation"}, "130304002", "130304002003001", "130304-GG-040");
  // A case in Xishan street with no co-departments.
  const Case xishan = make_case("housing", {}, "130304001", "130304001001007", "130304-GG-003");
  // A case not yet placed (empty street and grids), led by nobody yet.
  const Case unplaced = make_case("", {}, "", "", "");

  struct Row {
    const char* label;
    Principal principal;
    const Case* c;
    bool expected;
  };
  const std::vector<Row> table{
      {"handler of lead department", make_principal(Role::kDepartmentHandler, "city_mgmt"), &beach,
       true},
      {"handler of co-department", make_principal(Role::kDepartmentHandler, "sanitation"), &beach,
       true},
      {"handler of unrelated department", make_principal(Role::kDepartmentHandler, "housing"),
       &beach, false},
      {"street office handler, own street",
       make_principal(Role::kDepartmentHandler, "street_dongshan", {}, "130304002"), &beach, true},
      {"street office handler, other street",
       make_principal(Role::kDepartmentHandler, "street_dongshan", {}, "130304002"), &xishan,
       false},
      {"agency handler without street does not match empty street",
       make_principal(Role::kDepartmentHandler, "ecology"), &unplaced, false},
      {"handler without department sees nothing", make_principal(Role::kDepartmentHandler),
       &unplaced, false},
      {"grid worker, unit grid assigned",
       make_principal(Role::kGridWorker, "", {"130304002003001"}), &beach, true},
      {"grid worker, governance grid assigned",
       make_principal(Role::kGridWorker, "", {"130304-GG-040"}), &beach, true},
      {"grid worker, other grids", make_principal(Role::kGridWorker, "", {"130304-GG-040"}),
       &xishan, false},
      {"grid worker without grids", make_principal(Role::kGridWorker), &beach, false},
      {"grid worker, empty grid id never matches unplaced case",
       make_principal(Role::kGridWorker, "", {""}), &unplaced, false},
      {"inspector, governance grid", make_principal(Role::kInspector, "", {"130304-GG-003"}),
       &xishan, true},
      {"inspector, other grid", make_principal(Role::kInspector, "", {"130304-GG-003"}), &beach,
       false},
      {"inspector without grids", make_principal(Role::kInspector), &xishan, false},
      {"admin", make_principal(Role::kAdmin), &beach, true},
      {"intake clerk", make_principal(Role::kIntakeClerk), &xishan, true},
      {"shift lead", make_principal(Role::kShiftLead), &unplaced, true},
      {"dispatcher", make_principal(Role::kDispatcher), &beach, true},
      {"supervisor", make_principal(Role::kSupervisor), &xishan, true},
      {"viewer", make_principal(Role::kViewer), &unplaced, true},
      {"department of a district-wide role does not narrow it",
       make_principal(Role::kDispatcher, "command_center"), &xishan, true},
  };
  for (const auto& row : table) {
    SCOPED_TRACE(row.label);
    EXPECT_EQ(in_scope(row.principal, *row.c), row.expected);
  }
}

}  // namespace
}  // namespace cityops
