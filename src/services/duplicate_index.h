// Open cases by category, kept in memory so that intake can offer possible duplicates without
// a database query: same category, within a radius, reported within a time window.
//
// Entries sit in cells of a fixed grid of degrees, so a search looks only at the cells around
// the point; in a busy spot (a beach in August) that is still thousands of entries, so the
// search keeps only the nearest few and copies nothing else.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/time.h"
#include "geo/datum.h"

namespace cityops::services {

struct DuplicateCandidate {
  std::string number;
  double distance_m = 0;
  Timestamp reported_at{};
};

class DuplicateIndex {
 public:
  void add(const std::string& category, const std::string& number, geo::LonLat wgs84,
           Timestamp reported_at);
  // Case numbers are unique, so removal needs no category (the case may have been moved to
  // another since it was added).
  void remove(const std::string& number);

  // Open cases of `category` within `radius_m` of `p` reported at or after `since`, nearest
  // first (then by number), at most `limit`.
  std::vector<DuplicateCandidate> find(const std::string& category, geo::LonLat p, double radius_m,
                                       Timestamp since, size_t limit) const;

  size_t size() const;

 private:
  struct Entry {
    std::string number;
    geo::LonLat location;
    Timestamp reported_at;
  };
  using Cells = std::unordered_map<int64_t, std::vector<Entry>>;

  static int64_t cell_of(geo::LonLat p);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Cells> by_category_;
  // Where each number sits, so that removal does not scan.
  std::unordered_map<std::string, std::pair<std::string, int64_t>> where_;
};

}  // namespace cityops::services
