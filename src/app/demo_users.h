// One account per role for the demo data set, so that every screen and permission can be
// tried at once. Passwords are random and returned once; nothing else keeps them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "services/accounts.h"
#include "services/reference_data.h"

namespace cityops::app {

// The community whose grids the demo grid worker and inspector cover (Donghaitan, Dongshan).
inline constexpr std::string_view kDemoGridCommunity = "130304002003";

// The extra demo account, a grid worker by role, linked to its team's grid leader (demo_staff.h).
inline constexpr std::string_view kDemoLeaderUsername = "grid_leader";

// (username, password) pairs.
using DemoCredentials = std::vector<std::pair<std::string, std::string>>;

// Creates an account for every role, named after the role, with a random 12-character
// password: the department handler in "city_mgmt", the intake clerk, shift lead, dispatcher
// and supervisor in "command_center", the grid worker and inspector over the governance grids
// and unit grids of kDemoGridCommunity; then kDemoLeaderUsername, a grid worker over the same
// grids. Returns (username, password) pairs in role order, the leader last.
// Fails when the reference data lacks those departments or grids, or a username is taken.
Result<DemoCredentials> create_demo_users(services::AccountService& accounts,
                                          const services::ReferenceData& reference);

// A password of `length` characters drawn uniformly from letters and digits that cannot be
// misread for one another (no 0/O, 1/l/I).
std::string random_password(size_t length);

}  // namespace cityops::app
