// Open cases by category, kept in memory so that intake can offer possible duplicates without
// a database query: same category, within a radius, reported within a time window.
#pragma once

#include <map>
#include <mutex>
#include <string>
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
  void remove(const std::string& category, const std::string& number);

  // Open cases of `category` within `radius_m` of `p` reported at or after `since`, nearest
  // first, at most `limit`.
  std::vector<DuplicateCandidate> find(const std::string& category, geo::LonLat p, double radius_m,
                                       Timestamp since, size_t limit) const;

 private:
  struct Entry {
    std::string number;
    geo::LonLat location;
    Timestamp reported_at;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Entry>> by_category_;
};

}  // namespace cityops::services
