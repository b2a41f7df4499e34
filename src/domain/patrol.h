// Patrol tracks and coverage as pure arithmetic: whether a GPS fix may join a track, how long a
// track is, how much of a day a patrol covers, and which assigned grids were visited. No I/O and
// no clock: callers pass instants in.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "geo/datum.h"

namespace cityops::patrol {

// One GPS fix in WGS84.
struct Fix {
  Timestamp at{};
  geo::LonLat location{};
};

struct TrackLimits {
  // Faster than any vehicle a grid worker uses in town; a jump past it is a bad fix.
  double max_speed_mps = 50;
  // Phones' clocks drift; a fix this far ahead of the server's clock is still believed.
  std::chrono::seconds future_allowance{120};
  // Fixes buffered on the phone may carry times a little after the patrol was ended.
  std::chrono::seconds end_allowance{300};
  size_t max_batch = 1000;
};

// kInvalidArgument "out_of_range" (field "lon" or "lat") unless the point is finite and within
// -180..180 and -90..90.
Status check_range(double lon, double lat);

// Whether a fix's time fits: "future_time" when past `now` plus the allowance, "before_patrol"
// before `started_at`, "after_patrol" past `ended_at` plus the allowance. Field "t".
Status check_time(Timestamp at, Timestamp now, Timestamp started_at,
                  std::optional<Timestamp> ended_at, const TrackLimits& limits);

// Whether `candidate` could follow or precede its neighbours in time among `accepted` (sorted by
// time, none at the candidate's second) without moving faster than the limit:
// kInvalidArgument "impossible_speed", field "t", naming the speed.
Status check_speed(const std::vector<Fix>& accepted, const Fix& candidate,
                   const TrackLimits& limits);

// Inserts `fix` into `track`, keeping it sorted by time.
void insert_sorted(std::vector<Fix>& track, const Fix& fix);

// The sum of the great-circle lengths of consecutive fixes of a time-ordered track.
double track_length_m(const std::vector<Fix>& track);

// How many seconds [from, to) and [day_start, day_end) share; zero when they do not meet.
std::chrono::seconds overlap(Timestamp from, Timestamp to, Timestamp day_start, Timestamp day_end);

// Which assigned grids were visited, which were not, and the share visited (0 when nothing is
// assigned). Visited grids outside the assignment count in neither list.
struct Coverage {
  std::vector<std::string> visited;    // assigned and visited, sorted
  std::vector<std::string> unvisited;  // assigned and not visited, sorted
  std::vector<std::string> elsewhere;  // visited but not assigned, sorted
  double share = 0;
};
Coverage coverage(const std::set<std::string>& assigned, const std::set<std::string>& visited);

}  // namespace cityops::patrol
