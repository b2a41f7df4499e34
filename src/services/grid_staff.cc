#include "services/grid_staff.h"

namespace cityops::services {

Result<StaffImport> import_staff_csv(store::Store& store, const ReferenceData& reference,
                                     std::string_view csv, Timestamp at) {
  const auto is_governance_grid = [&reference](std::string_view code) {
    const RegionInfo* region = reference.region(code);
    return region != nullptr && region->layer == "governance_grid";
  };
  auto parsed = parse_staff_csv(csv, is_governance_grid);
  if (!parsed) return parsed.status();
  StaffImport out;
  if (!parsed->good.empty()) {
    auto written = store.upsert_staff(parsed->good, at);
    if (!written) return written.status();
    out.inserted = written->inserted;
    out.updated = written->updated;
  }
  out.rejected = std::move(parsed->rejected);
  return out;
}

Result<bool> is_leader_of(store::Store& store, const std::string& leader_username,
                          const std::string& worker_username) {
  auto leader = store.find_staff_by_username(leader_username);
  if (!leader) return leader.status();
  if (!*leader || (*leader)->role != StaffRole::kGridLeader || !(*leader)->active) return false;
  auto worker = store.find_staff_by_username(worker_username);
  if (!worker) return worker.status();
  if (!*worker) return false;
  return !(*leader)->team.empty() && (*leader)->team == (*worker)->team;
}

Result<std::vector<StaffMember>> leaders_of(store::Store& store, const StaffMember& member) {
  std::vector<StaffMember> leaders;
  if (member.team.empty()) return leaders;
  store::Store::StaffQuery query;
  query.team = member.team;
  query.role = StaffRole::kGridLeader;
  query.limit = 1000;
  auto page = store.list_staff(query);
  if (!page) return page.status();
  for (auto& m : page->items) {
    if (m.staff_no != member.staff_no && m.active) leaders.push_back(std::move(m));
  }
  return leaders;
}

}  // namespace cityops::services
