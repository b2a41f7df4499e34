#include "app/demo_users.h"

#include <sodium.h>

namespace cityops::app {

namespace {

constexpr std::string_view kPasswordAlphabet =
    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

std::string demo_department(Role role) {
  switch (role) {
    case Role::kDepartmentHandler:
      return "city_mgmt";
    case Role::kIntakeClerk:
    case Role::kShiftLead:
    case Role::kDispatcher:
    case Role::kSupervisor:
      return "command_center";
    case Role::kAdmin:
    case Role::kInspector:
    case Role::kGridWorker:
    case Role::kViewer:
      return "";
  }
  return "";
}

// The governance grids of the community, then its unit grids, each in code order.
std::vector<std::string> demo_grids(const services::ReferenceData& reference) {
  std::vector<std::string> grids;
  for (const char* layer : {"governance_grid", "unit_grid"}) {
    for (const auto& region : reference.regions_of(layer)) {
      if (region.parent == kDemoGridCommunity) grids.push_back(region.code);
    }
  }
  return grids;
}

}  // namespace

std::string random_password(size_t length) {
  std::string password;
  password.reserve(length);
  for (size_t i = 0; i < length; ++i) {
    password.push_back(
        kPasswordAlphabet[randombytes_uniform(static_cast<uint32_t>(kPasswordAlphabet.size()))]);
  }
  return password;
}

Result<DemoCredentials> create_demo_users(services::AccountService& accounts,
                                          const services::ReferenceData& reference) {
  const auto grids = demo_grids(reference);
  if (grids.empty()) {
    return internal_error("the demo community " + std::string(kDemoGridCommunity) +
                          " has no grids");
  }
  DemoCredentials created;
  for (Role role : all_roles()) {
    const std::string username(to_string(role));
    std::string password = random_password(12);
    auto account =
        accounts.create_user(username, "", role, demo_department(role),
                             role_needs_grids(role) ? grids : std::vector<std::string>{}, password);
    if (!account) return account.status();
    created.emplace_back(username, std::move(password));
  }
  // The grid worker's team leader signs in as a grid worker over the same grids; what makes
  // them a leader is the staff record the account is linked to.
  std::string password = random_password(12);
  auto leader = accounts.create_user(std::string(kDemoLeaderUsername), "", Role::kGridWorker, "",
                                     grids, password);
  if (!leader) return leader.status();
  created.emplace_back(kDemoLeaderUsername, std::move(password));
  return created;
}

}  // namespace cityops::app
