#include "services/duplicate_index.h"

#include <algorithm>
#include <cmath>

namespace cityops::services {

void DuplicateIndex::add(const std::string& category, const std::string& number, geo::LonLat wgs84,
                         Timestamp reported_at) {
  std::lock_guard lock(mutex_);
  by_category_[category].push_back({number, wgs84, reported_at});
}

void DuplicateIndex::remove(const std::string& category, const std::string& number) {
  std::lock_guard lock(mutex_);
  auto it = by_category_.find(category);
  if (it == by_category_.end()) return;
  std::erase_if(it->second, [&](const Entry& e) { return e.number == number; });
}

std::vector<DuplicateCandidate> DuplicateIndex::find(const std::string& category, geo::LonLat p,
                                                     double radius_m, Timestamp since,
                                                     size_t limit) const {
  // A degree of latitude is ~111 km; a cheap box test skips the haversine for most entries.
  const double lat_margin = radius_m / 111000.0 + 1e-6;
  const double lon_margin = lat_margin / std::max(0.01, std::cos(p.lat * M_PI / 180.0));

  std::vector<DuplicateCandidate> found;
  {
    std::lock_guard lock(mutex_);
    const auto it = by_category_.find(category);
    if (it == by_category_.end()) return found;
    for (const auto& e : it->second) {
      if (e.reported_at < since) continue;
      if (std::abs(e.location.lat - p.lat) > lat_margin) continue;
      if (std::abs(e.location.lon - p.lon) > lon_margin) continue;
      const double d = geo::distance_m(p, e.location);
      if (d <= radius_m) found.push_back({e.number, d, e.reported_at});
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.number < b.number;
  });
  if (found.size() > limit) found.resize(limit);
  return found;
}

}  // namespace cityops::services
