#include "services/patrol.h"

#include "services/grid_staff.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

namespace cityops::services {

namespace {

Status patrol_not_found(int64_t id) {
  return not_found("patrol_not_found", "no patrol " + std::to_string(id) + " of yours");
}

std::vector<patrol::Fix> fixes_of(const std::vector<store::TrackPoint>& points) {
  std::vector<patrol::Fix> out;
  out.reserve(points.size());
  for (const auto& p : points) out.push_back({p.at, p.location});
  return out;
}

}  // namespace

std::pair<Timestamp, Timestamp> local_day(std::chrono::year_month_day date) {
  const Timestamp start = from_local(date, std::chrono::seconds{0});
  return {start, start + std::chrono::days{1}};
}

PatrolService::PatrolService(store::Store& store, ReferenceSource reference, const Clock& clock,
                             PhotoService& photos, patrol::TrackLimits limits)
    : store_(store),
      reference_(std::move(reference)),
      clock_(clock),
      photos_(photos),
      limits_(limits) {}

Result<bool> PatrolService::may_see_patrols(const Principal& viewer, const std::string& worker) {
  if (viewer.username == worker || viewer.role == Role::kSupervisor ||
      viewer.role == Role::kAdmin) {
    return true;
  }
  return is_leader_of(store_, viewer.username, worker);
}

Result<PhotoRecord> PatrolService::store_photo(std::string_view bytes,
                                               const std::string& uploader) {
  auto stored = photos_.store(bytes, uploader);
  if (!stored) return stored.status();
  return stored->photo;
}

Result<std::optional<PhotoRecord>> PatrolService::find_photo(const Principal& viewer,
                                                             const std::string& name) {
  auto found = photos_.find(name);
  if (!found || !*found) return found;
  auto visible = photos_.may_see(viewer, **found);
  if (!visible) return visible.status();
  if (!*visible) return std::optional<PhotoRecord>();
  return found;
}

Result<store::PatrolRecord> PatrolService::start(const Principal& worker) {
  auto created = store_.start_patrol(worker.username, clock_.now());
  if (created) spdlog::info("patrol {} started by {}", created->id, worker.username);
  return created;
}

Result<store::PatrolRecord> PatrolService::visible_patrol(const Principal& viewer, int64_t id) {
  auto found = store_.find_patrol(id);
  if (!found) return found.status();
  if (!*found) return patrol_not_found(id);
  auto visible = may_see_patrols(viewer, (*found)->worker);
  if (!visible) return visible.status();
  if (!*visible) return patrol_not_found(id);
  return **found;
}

Result<store::PatrolRecord> PatrolService::end(const Principal& worker, int64_t id) {
  auto found = store_.find_patrol(id);
  if (!found) return found.status();
  if (!*found || (*found)->worker != worker.username) return patrol_not_found(id);
  const Timestamp now = clock_.now();
  CITYOPS_RETURN_IF_ERROR(store_.end_patrol(id, now));
  auto ended = **found;
  ended.ended_at = now;
  spdlog::info("patrol {} ended by {}", id, worker.username);
  return ended;
}

Result<UploadOutcome> PatrolService::upload(const Principal& worker, int64_t id,
                                            std::vector<FixInput> fixes,
                                            std::vector<FixRejection> rejected) {
  if (fixes.size() + rejected.size() > limits_.max_batch) {
    return invalid("batch_too_large",
                   "at most " + std::to_string(limits_.max_batch) + " points in one batch",
                   "points");
  }
  auto found = store_.find_patrol(id);
  if (!found) return found.status();
  if (!*found || (*found)->worker != worker.username) return patrol_not_found(id);
  const auto& patrol_record = **found;

  std::lock_guard lock(upload_mutex_);
  auto stored = store_.track_points(id);
  if (!stored) return stored.status();
  std::vector<patrol::Fix> track = fixes_of(*stored);
  std::set<Timestamp> seen;
  for (const auto& fix : track) seen.insert(fix.at);

  // In time order, so that a late batch is checked against the fixes on either side of it.
  std::stable_sort(fixes.begin(), fixes.end(),
                   [](const FixInput& a, const FixInput& b) { return a.at < b.at; });
  const auto reference = reference_();
  const Timestamp now = clock_.now();
  UploadOutcome outcome;
  std::vector<store::TrackPoint> accepted;
  for (const auto& input : fixes) {
    Status verdict = patrol::check_range(input.location.lon, input.location.lat);
    if (verdict.is_ok()) {
      verdict = patrol::check_time(input.at, now, patrol_record.started_at, patrol_record.ended_at,
                                   limits_);
    }
    const auto wgs84 = geo::convert(input.location, input.datum, geo::Datum::kWgs84);
    if (verdict.is_ok() && seen.count(input.at)) {
      ++outcome.duplicates;
      continue;
    }
    if (verdict.is_ok()) verdict = patrol::check_speed(track, {input.at, wgs84}, limits_);
    if (!verdict.is_ok()) {
      outcome.rejected.push_back({input.index, verdict});
      continue;
    }
    const auto place = reference->place(wgs84);
    accepted.push_back({id, worker.username, input.at, wgs84,
                        std::string(geo::to_string(input.datum)), input.accuracy_m, place.unit_grid,
                        place.governance_grid, now});
    patrol::insert_sorted(track, {input.at, wgs84});
    seen.insert(input.at);
  }
  auto written = store_.add_track_points(accepted);
  if (!written) return written.status();
  // A fix stored for the same second on another of the worker's patrols is a duplicate too.
  outcome.accepted = *written;
  outcome.duplicates += static_cast<int64_t>(accepted.size()) - *written;
  for (auto& r : rejected) outcome.rejected.push_back(std::move(r));
  std::sort(outcome.rejected.begin(), outcome.rejected.end(),
            [](const FixRejection& a, const FixRejection& b) { return a.index < b.index; });
  spdlog::debug("patrol {}: {} fixes accepted, {} duplicates, {} rejected", id, outcome.accepted,
                outcome.duplicates, outcome.rejected.size());
  return outcome;
}

Result<DayCoverage> PatrolService::coverage(const std::string& worker,
                                            std::chrono::year_month_day date) {
  auto account = store_.find_user_by_name(worker);
  if (!account) return account.status();
  if (!*account) return not_found("unknown_worker", "no account named " + worker);
  const auto [day_start, day_end] = local_day(date);
  auto patrols = store_.patrols_between(worker, day_start, day_end);
  if (!patrols) return patrols.status();

  DayCoverage out;
  out.worker = worker;
  out.date = date;
  const Timestamp now = clock_.now();
  std::set<std::string> visited;
  for (const auto& p : *patrols) {
    out.patrol_time += patrol::overlap(p.started_at, p.ended_at.value_or(now), day_start, day_end);
    auto points = store_.track_points(p.id);
    if (!points) return points.status();
    std::vector<patrol::Fix> today;
    for (const auto& point : *points) {
      if (point.at < day_start || point.at >= day_end) continue;
      today.push_back({point.at, point.location});
      if (!point.unit_grid.empty()) visited.insert(point.unit_grid);
    }
    out.distance_m += patrol::track_length_m(today);
  }
  const auto reference = reference_();
  std::set<std::string> assigned;
  for (const auto& grid : (*account)->grids) {
    const auto* region = reference->region(grid);
    if (region && region->layer == "unit_grid") assigned.insert(grid);
  }
  out.assigned.assign(assigned.begin(), assigned.end());
  out.grids = patrol::coverage(assigned, visited);
  return out;
}

}  // namespace cityops::services
