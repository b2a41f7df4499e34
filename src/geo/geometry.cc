#include "geo/geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace cityops::geo {
namespace {

constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180.0;

// Twice the signed area of `ring` in the sinusoidal projection centred on `lon0`.
double projected_shoelace(const Ring& ring, double lon0) {
  const auto project = [lon0](const Point& p) {
    const double y = p.y() * kMetresPerDegree;
    const double x = (p.x() - lon0) * kMetresPerDegree * std::cos(p.y() * std::numbers::pi / 180);
    return Point{x, y};
  };
  double sum = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const Point a = project(ring[i]);
    const Point b = project(ring[i + 1]);
    sum += a.x() * b.y() - b.x() * a.y();
  }
  // Rings stored open by mistake still get their closing edge.
  if (ring.size() > 2 &&
      (ring.front().x() != ring.back().x() || ring.front().y() != ring.back().y())) {
    const Point a = project(ring.back());
    const Point b = project(ring.front());
    sum += a.x() * b.y() - b.x() * a.y();
  }
  return sum;
}

}  // namespace

Box bounding_box(const MultiPolygon& area) {
  // Written out rather than boost::geometry::envelope, whose multi-geometry path trips
  // GCC's maybe-uninitialized warning.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  Point low{kInf, kInf};
  Point high{-kInf, -kInf};
  for (const Polygon& polygon : area) {
    for (const Point& p : polygon.outer()) {
      low = Point{std::min(low.x(), p.x()), std::min(low.y(), p.y())};
      high = Point{std::max(high.x(), p.x()), std::max(high.y(), p.y())};
    }
  }
  return Box{low, high};
}

double area_m2(const MultiPolygon& area) {
  const Box box = bounding_box(area);
  if (!(box.min_corner().x() <= box.max_corner().x())) return 0;

  const double lon0 = (box.min_corner().x() + box.max_corner().x()) / 2;
  double total = 0;
  for (const Polygon& polygon : area) {
    total += std::abs(projected_shoelace(polygon.outer(), lon0)) / 2;
    for (const Ring& hole : polygon.inners()) {
      total -= std::abs(projected_shoelace(hole, lon0)) / 2;
    }
  }
  return total;
}

}  // namespace cityops::geo
