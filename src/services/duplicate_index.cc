#include "services/duplicate_index.h"

#include <algorithm>
#include <cmath>

namespace cityops::services {

namespace {

// About 550 m north-south and 430 m east-west at Beidaihe: a 250 m search reads 4 to 9 cells.
constexpr double kCellDegrees = 0.005;
// A search wider than this many cells reads the whole category instead.
constexpr int64_t kMaxCells = 400;

int32_t cell_index(double degrees) {
  return static_cast<int32_t>(std::floor(degrees / kCellDegrees));
}

int64_t pack(int32_t x, int32_t y) {
  return (static_cast<int64_t>(x) << 32) | static_cast<uint32_t>(y);
}

}  // namespace

int64_t DuplicateIndex::cell_of(geo::LonLat p) {
  return pack(cell_index(p.lon), cell_index(p.lat));
}

void DuplicateIndex::add(const std::string& category, const std::string& number, geo::LonLat wgs84,
                         Timestamp reported_at) {
  std::lock_guard lock(mutex_);
  if (where_.contains(number)) return;
  const int64_t cell = cell_of(wgs84);
  by_category_[category][cell].push_back({number, wgs84, reported_at});
  where_.emplace(number, std::make_pair(category, cell));
}

void DuplicateIndex::remove(const std::string& number) {
  std::lock_guard lock(mutex_);
  const auto at = where_.find(number);
  if (at == where_.end()) return;
  auto cells = by_category_.find(at->second.first);
  if (cells != by_category_.end()) {
    auto cell = cells->second.find(at->second.second);
    if (cell != cells->second.end()) {
      std::erase_if(cell->second, [&](const Entry& e) { return e.number == number; });
      if (cell->second.empty()) cells->second.erase(cell);
    }
  }
  where_.erase(at);
}

size_t DuplicateIndex::size() const {
  std::lock_guard lock(mutex_);
  return where_.size();
}

std::vector<DuplicateCandidate> DuplicateIndex::find(const std::string& category, geo::LonLat p,
                                                     double radius_m, Timestamp since,
                                                     size_t limit) const {
  // A degree of latitude is ~111 km; a cheap box test skips the haversine for most entries.
  const double lat_margin = radius_m / 111000.0 + 1e-6;
  const double lon_margin = lat_margin / std::max(0.01, std::cos(p.lat * M_PI / 180.0));

  struct Hit {
    double distance_m;
    const Entry* entry;
  };
  std::vector<Hit> hits;
  const auto consider = [&](const std::vector<Entry>& entries) {
    for (const auto& e : entries) {
      if (e.reported_at < since) continue;
      if (std::abs(e.location.lat - p.lat) > lat_margin) continue;
      if (std::abs(e.location.lon - p.lon) > lon_margin) continue;
      const double d = geo::distance_m(p, e.location);
      if (d <= radius_m) hits.push_back({d, &e});
    }
  };
  const auto nearer = [](const Hit& a, const Hit& b) {
    return a.distance_m != b.distance_m ? a.distance_m < b.distance_m
                                        : a.entry->number < b.entry->number;
  };

  std::lock_guard lock(mutex_);
  const auto cells = by_category_.find(category);
  if (cells == by_category_.end() || limit == 0) return {};
  const int32_t x0 = cell_index(p.lon - lon_margin), x1 = cell_index(p.lon + lon_margin);
  const int32_t y0 = cell_index(p.lat - lat_margin), y1 = cell_index(p.lat + lat_margin);
  if (int64_t{x1 - x0 + 1} * (y1 - y0 + 1) > kMaxCells) {
    for (const auto& [cell, entries] : cells->second) consider(entries);
  } else {
    for (int32_t x = x0; x <= x1; ++x) {
      for (int32_t y = y0; y <= y1; ++y) {
        const auto cell = cells->second.find(pack(x, y));
        if (cell != cells->second.end()) consider(cell->second);
      }
    }
  }
  const size_t kept = std::min(limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(kept), hits.end(),
                    nearer);
  std::vector<DuplicateCandidate> found;
  found.reserve(kept);
  for (size_t i = 0; i < kept; ++i) {
    found.push_back({hits[i].entry->number, hits[i].distance_m, hits[i].entry->reported_at});
  }
  return found;
}

}  // namespace cityops::services
