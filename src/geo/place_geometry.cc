#include "geo/place_geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace cityops::geo {
namespace {

constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180.0;

struct Xy {
  double x;
  double y;
};

// An equirectangular plane around one origin: metres east and north.
class LocalPlane {
 public:
  explicit LocalPlane(LonLat origin)
      : origin_(origin),
        x_scale_(kMetresPerDegree * std::cos(origin.lat * std::numbers::pi / 180)) {}
  Xy to_xy(LonLat p) const {
    return {(p.lon - origin_.lon) * x_scale_, (p.lat - origin_.lat) * kMetresPerDegree};
  }
  LonLat to_lon_lat(Xy p) const {
    return {origin_.lon + p.x / x_scale_, origin_.lat + p.y / kMetresPerDegree};
  }

 private:
  LonLat origin_;
  double x_scale_;
};

double cross(Xy a, Xy b) { return a.x * b.y - a.y * b.x; }
Xy minus(Xy a, Xy b) { return {a.x - b.x, a.y - b.y}; }
Xy lerp(Xy a, Xy b, double t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

// The point of segment ab nearest to p.
Xy nearest_on_segment(Xy p, Xy a, Xy b) {
  const Xy ab = minus(b, a);
  const double length2 = ab.x * ab.x + ab.y * ab.y;
  if (length2 == 0) return a;
  const double t = ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / length2;
  return lerp(a, b, std::clamp(t, 0.0, 1.0));
}

double distance(Xy a, Xy b) { return std::hypot(a.x - b.x, a.y - b.y); }

// The closest points of segments pq and rs: their crossing when they cross.
std::pair<Xy, Xy> closest_points(Xy p, Xy q, Xy r, Xy s) {
  const Xy pq = minus(q, p);
  const Xy rs = minus(s, r);
  const double denominator = cross(pq, rs);
  if (denominator != 0) {
    const double t = cross(minus(r, p), rs) / denominator;
    const double u = cross(minus(r, p), pq) / denominator;
    if (t >= 0 && t <= 1 && u >= 0 && u <= 1) {
      const Xy at = lerp(p, q, t);
      return {at, at};
    }
  }
  // Apart (or parallel): the nearest pair always has an endpoint of one segment in it.
  std::pair<Xy, Xy> best{p, nearest_on_segment(p, r, s)};
  const auto consider = [&best](Xy on_first, Xy on_second) {
    if (distance(on_first, on_second) < distance(best.first, best.second)) {
      best = {on_first, on_second};
    }
  };
  consider(q, nearest_on_segment(q, r, s));
  consider(nearest_on_segment(r, p, q), r);
  consider(nearest_on_segment(s, p, q), s);
  return best;
}

// Twice the signed shoelace area of a ring, in square degrees, and its centroid.
double ring_moments(const Ring& ring, double& cx, double& cy) {
  double twice_area = 0;
  cx = cy = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const double c = ring[i].x() * ring[i + 1].y() - ring[i + 1].x() * ring[i].y();
    twice_area += c;
    cx += (ring[i].x() + ring[i + 1].x()) * c;
    cy += (ring[i].y() + ring[i + 1].y()) * c;
  }
  if (twice_area != 0) {
    cx /= 3 * twice_area;
    cy /= 3 * twice_area;
  }
  return twice_area;
}

// Where the horizontal line at `lat` crosses the ring's edges. Each edge counts its lower end
// and not its upper one, so a line through a vertex is not counted twice.
void crossings(const Ring& ring, double lat, std::vector<double>& out) {
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const Point& a = ring[i];
    const Point& b = ring[i + 1];
    if ((a.y() > lat) != (b.y() > lat)) {
      out.push_back(a.x() + (lat - a.y()) * (b.x() - a.x()) / (b.y() - a.y()));
    }
  }
}

bool strictly_inside(const Polygon& polygon, LonLat p) {
  std::vector<double> xs;
  crossings(polygon.outer(), p.lat, xs);
  for (const Ring& hole : polygon.inners()) crossings(hole, p.lat, xs);
  size_t left = 0;
  for (double x : xs) {
    if (x == p.lon) return false;
    if (x < p.lon) ++left;
  }
  return left % 2 == 1;
}

}  // namespace

double line_length_m(const std::vector<LonLat>& line) {
  double total = 0;
  for (size_t i = 0; i + 1 < line.size(); ++i) total += distance_m(line[i], line[i + 1]);
  return total;
}

LonLat point_along(const std::vector<LonLat>& line, double metres) {
  if (!(metres > 0)) return line.front();
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    const double segment = distance_m(line[i], line[i + 1]);
    if (metres <= segment && segment > 0) {
      const double t = metres / segment;
      return {line[i].lon + (line[i + 1].lon - line[i].lon) * t,
              line[i].lat + (line[i + 1].lat - line[i].lat) * t};
    }
    metres -= segment;
  }
  return line.back();
}

Approach closest_approach(const std::vector<LonLat>& a, const std::vector<LonLat>& b) {
  const LocalPlane plane(a.front());
  // A single vertex is a segment of no length, which the search below handles.
  const auto segment_count = [](const std::vector<LonLat>& line) {
    return std::max<size_t>(line.size(), 2) - 1;
  };
  const auto vertex = [&plane](const std::vector<LonLat>& line, size_t i) {
    return plane.to_xy(line[std::min(i, line.size() - 1)]);
  };

  double best_gap = std::numeric_limits<double>::infinity();
  Xy best_point{0, 0};
  for (size_t i = 0; i < segment_count(a); ++i) {
    for (size_t j = 0; j < segment_count(b); ++j) {
      const auto [on_a, on_b] =
          closest_points(vertex(a, i), vertex(a, i + 1), vertex(b, j), vertex(b, j + 1));
      const double gap = distance(on_a, on_b);
      if (gap < best_gap) {
        best_gap = gap;
        best_point = lerp(on_a, on_b, 0.5);
      }
    }
  }
  return {plane.to_lon_lat(best_point), best_gap};
}

LonLat interior_point(const MultiPolygon& area) {
  const Polygon* largest = nullptr;
  double largest_area = 0;
  double cx = 0, cy = 0;
  for (const Polygon& polygon : area) {
    double x = 0, y = 0;
    const double size = std::abs(ring_moments(polygon.outer(), x, y));
    if (size > largest_area) {
      largest = &polygon;
      largest_area = size;
      cx = x;
      cy = y;
    }
  }
  if (largest == nullptr) return {0, 0};
  if (strictly_inside(*largest, {cx, cy})) return {cx, cy};

  // Try the centroid's latitude, then lines spread over the polygon's height.
  double south = std::numeric_limits<double>::infinity();
  double north = -south;
  for (const Point& p : largest->outer()) {
    south = std::min(south, p.y());
    north = std::max(north, p.y());
  }
  std::vector<double> latitudes{cy};
  for (int k = 1; k < 8; ++k) latitudes.push_back(south + (north - south) * k / 8);

  LonLat best{largest->outer().front().x(), largest->outer().front().y()};
  double widest = 0;
  for (const double lat : latitudes) {
    std::vector<double> xs;
    crossings(largest->outer(), lat, xs);
    for (const Ring& hole : largest->inners()) crossings(hole, lat, xs);
    std::sort(xs.begin(), xs.end());
    for (size_t i = 0; i + 1 < xs.size(); i += 2) {
      if (xs[i + 1] - xs[i] > widest) {
        widest = xs[i + 1] - xs[i];
        best = {(xs[i] + xs[i + 1]) / 2, lat};
      }
    }
  }
  return best;
}

}  // namespace cityops::geo
