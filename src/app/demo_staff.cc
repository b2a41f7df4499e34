#include "app/demo_staff.h"

#include <fmt/format.h>

#include "app/demo_users.h"
#include "app/demo_vocabulary.h"

namespace cityops::app {

namespace {

constexpr int kWorkersPerGrid = 24;
constexpr size_t kGridsWithTwoAuxiliaries = 95;

// Distinct, plausible mobile numbers: 139 and eight digits spread by a multiplier that is
// coprime with 10^8, so no two staff numbers share a phone.
std::string demo_phone(int n) {
  const long long spread = (static_cast<long long>(n) * 7919 + 1234567) % 100000000;
  return fmt::format("139{:08}", spread);
}

std::string demo_name(int n) {
  const size_t s = static_cast<size_t>(n) % kDemoSurnames.size();
  const size_t g = static_cast<size_t>(n / 12) % kDemoGivenNames.size();
  const size_t h = static_cast<size_t>(n / 144) % kDemoGivenNames.size();
  return fmt::format("{}{}{}", kDemoSurnames[s], kDemoGivenNames[g], kDemoGivenNames[h]);
}

}  // namespace

Result<std::vector<StaffMember>> demo_staff(const services::ReferenceData& reference) {
  const auto& grids = reference.regions_of("governance_grid");
  std::vector<StaffMember> staff;
  staff.reserve(kDemoStaffCount);
  bool linked = false;
  for (size_t i = 0; i < grids.size(); ++i) {
    const auto& grid = grids[i];
    const auto* community = reference.region(grid.parent);
    const std::string team = community ? community->name + "网格队" : grid.parent;
    auto add = [&](StaffRole role) -> StaffMember& {
      const int n = static_cast<int>(staff.size()) + 1;
      staff.push_back({fmt::format("GS{:05}", n),
                       demo_name(n),
                       role,
                       demo_phone(n),
                       team,
                       {grid.code},
                       "",
                       true});
      return staff.back();
    };
    const bool link_here = !linked && grid.parent == kDemoGridCommunity;
    StaffMember& leader = add(StaffRole::kGridLeader);
    if (link_here) leader.username = kDemoLeaderAccount;
    for (int w = 0; w < kWorkersPerGrid; ++w) {
      StaffMember& worker = add(StaffRole::kGridWorker);
      if (link_here && w == 0) worker.username = kDemoWorkerAccount;
    }
    add(StaffRole::kInspector);
    add(StaffRole::kAuxiliaryInspector);
    if (i < kGridsWithTwoAuxiliaries) add(StaffRole::kAuxiliaryInspector);
    linked = linked || link_here;
  }
  if (!linked) {
    return internal_error("the demo community " + std::string(kDemoGridCommunity) +
                          " has no governance grid for the demo staff accounts");
  }
  return staff;
}

}  // namespace cityops::app
