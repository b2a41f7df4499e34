// The demo's grid staff: exactly 5,684 people over the 207 governance grids, generated from the
// regions by fixed rules, so every start of the demo gives the same people.
//
// Each community has one team, named after it. Every governance grid has one grid leader, 24
// grid workers and one inspector; the first 95 grids (in code order) also have two auxiliary
// inspectors and the others one: 207 leaders, 4,968 workers, 207 inspectors and 302
// auxiliary inspectors. Staff numbers run GS00001 .. GS05684 grid by grid.
#pragma once

#include <string>
#include <vector>

#include "app/demo_users.h"
#include "common/status.h"
#include "domain/staff.h"
#include "services/reference_data.h"

namespace cityops::app {

inline constexpr int kDemoStaffCount = 5684;

// The demo account linked to a grid worker, and the one linked to that worker's grid leader.
inline constexpr std::string_view kDemoWorkerAccount = "grid_worker";
inline constexpr std::string_view kDemoLeaderAccount = kDemoLeaderUsername;

// The staff over the governance grids of `reference`, with the grid leader and first grid
// worker of the first governance grid of kDemoGridCommunity linked to kDemoLeaderAccount and
// kDemoWorkerAccount. Fails when that community has no governance grid.
Result<std::vector<StaffMember>> demo_staff(const services::ReferenceData& reference);

}  // namespace cityops::app
