#include "domain/patrol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cityops::patrol {

Status check_range(double lon, double lat) {
  if (!std::isfinite(lon) || lon < -180 || lon > 180) {
    return invalid("out_of_range", "lon must be a number from -180 to 180", "lon");
  }
  if (!std::isfinite(lat) || lat < -90 || lat > 90) {
    return invalid("out_of_range", "lat must be a number from -90 to 90", "lat");
  }
  return Status::ok();
}

Status check_time(Timestamp at, Timestamp now, Timestamp started_at,
                  std::optional<Timestamp> ended_at, const TrackLimits& limits) {
  if (at > now + limits.future_allowance) {
    return invalid("future_time", "t " + format_rfc3339(at) + " is in the future", "t");
  }
  if (at < started_at) {
    return invalid("before_patrol",
                   "t " + format_rfc3339(at) + " is before the patrol started at " +
                       format_rfc3339(started_at),
                   "t");
  }
  if (ended_at && at > *ended_at + limits.end_allowance) {
    return invalid(
        "after_patrol",
        "t " + format_rfc3339(at) + " is after the patrol ended at " + format_rfc3339(*ended_at),
        "t");
  }
  return Status::ok();
}

namespace {

double speed_mps(const Fix& a, const Fix& b) {
  const auto seconds = std::abs((a.at - b.at).count());
  return geo::distance_m(a.location, b.location) /
         static_cast<double>(std::max<int64_t>(1, seconds));
}

}  // namespace

Status check_speed(const std::vector<Fix>& accepted, const Fix& candidate,
                   const TrackLimits& limits) {
  const auto later = std::lower_bound(accepted.begin(), accepted.end(), candidate.at,
                                      [](const Fix& f, Timestamp t) { return f.at < t; });
  // Only the neighbours in time: a fix further away is reached through them.
  for (auto neighbour : {later, later == accepted.begin() ? accepted.end() : later - 1}) {
    if (neighbour == accepted.end()) continue;
    const double speed = speed_mps(*neighbour, candidate);
    if (speed > limits.max_speed_mps) {
      return invalid("impossible_speed",
                     fmt::format("{:.0f} m/s from the fix at {}; at most {:.0f} m/s", speed,
                                 format_rfc3339(neighbour->at), limits.max_speed_mps),
                     "t");
    }
  }
  return Status::ok();
}

void insert_sorted(std::vector<Fix>& track, const Fix& fix) {
  const auto at = std::upper_bound(track.begin(), track.end(), fix.at,
                                   [](Timestamp t, const Fix& f) { return t < f.at; });
  track.insert(at, fix);
}

double track_length_m(const std::vector<Fix>& track) {
  double total = 0;
  for (size_t i = 1; i < track.size(); ++i) {
    total += geo::distance_m(track[i - 1].location, track[i].location);
  }
  return total;
}

std::chrono::seconds overlap(Timestamp from, Timestamp to, Timestamp day_start, Timestamp day_end) {
  const Timestamp start = std::max(from, day_start);
  const Timestamp end = std::min(to, day_end);
  return end > start ? end - start : std::chrono::seconds{0};
}

Coverage coverage(const std::set<std::string>& assigned, const std::set<std::string>& visited) {
  Coverage out;
  for (const auto& grid : assigned) {
    (visited.count(grid) ? out.visited : out.unvisited).push_back(grid);
  }
  for (const auto& grid : visited) {
    if (!assigned.count(grid)) out.elsewhere.push_back(grid);
  }
  if (!assigned.empty()) {
    out.share = static_cast<double>(out.visited.size()) / static_cast<double>(assigned.size());
  }
  return out;
}

}  // namespace cityops::patrol
