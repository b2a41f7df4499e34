#include "geo/demo_regions.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numbers>
#include <utility>

// See grid_generator.cc: a false maybe-uninitialized warning inside Boost 1.74's overlay code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/difference.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#pragma GCC diagnostic pop
#include <fmt/format.h>

namespace cityops::geo {
namespace {

namespace bg = boost::geometry;

constexpr const char* kDistrictCode = "130304";
constexpr const char* kCityCode = "130300";
constexpr int kBisectionSteps = 40;

struct CommunityPlan {
  const char* suffix;  // the 3-digit community part of the code
  const char* name;
};

// A street is the outline inside `keep` minus `cut`; boxes are fractions of the outline's
// bounding box (west to east, south to north). A `cut` with zero size cuts nothing.
struct StreetPlan {
  const char* suffix;
  const char* name;
  Box keep;
  Box cut;
  std::vector<CommunityPlan> communities;  // west/north first, as bisection orders pieces
};

// Fractions slightly beyond 0 and 1 keep the outer cut lines off the outline's own edges.
constexpr double kLo = -0.01;
constexpr double kHi = 1.01;

const std::vector<StreetPlan>& street_plans() {
  static const std::vector<StreetPlan> plans = {
      {"001",
       "西山街道",
       Box{{0.52, kLo}, {0.77, 0.5}},
       Box{},
       {{"001", "联峰路社区"},
        {"002", "西山社区"},
        {"003", "中海滩社区"},
        {"004", "保二路社区"},
        {"005", "剑秋路社区"}}},
      {"002",
       "东山街道",
       Box{{0.77, kLo}, {kHi, kHi}},
       Box{},
       {{"001", "东山社区"}, {"002", "东经路社区"}, {"003", "东海滩社区"}, {"004", "鸽子窝社区"}}},
      {"003",
       "海滨镇",
       Box{{0.36, kLo}, {0.77, kHi}},
       Box{{0.52, kLo}, {0.77, 0.5}},
       {{"001", "海滨社区"},
        {"201", "草厂村"},
        {"202", "丁庄村"},
        {"203", "北戴河村"},
        {"204", "刘庄村"},
        {"205", "费石庄村"},
        {"206", "陆庄村"}}},
      {"004",
       "戴河镇",
       Box{{kLo, kLo}, {0.36, kHi}},
       Box{},
       {{"001", "戴河社区"},
        {"201", "戴河村"},
        {"202", "蔡各庄村"},
        {"203", "韩庄村"},
        {"204", "古城村"}}},
  };
  return plans;
}

Polygon box_polygon(double west, double south, double east, double north) {
  Polygon p;
  p.outer() = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
  return p;
}

// Maps a box of bounding-box fractions onto `bounds`.
Polygon scaled(const Box& fraction, const Box& bounds) {
  const double w = bounds.max_corner().x() - bounds.min_corner().x();
  const double h = bounds.max_corner().y() - bounds.min_corner().y();
  const auto x = [&](double f) { return bounds.min_corner().x() + f * w; };
  const auto y = [&](double f) { return bounds.min_corner().y() + f * h; };
  return box_polygon(x(fraction.min_corner().x()), y(fraction.min_corner().y()),
                     x(fraction.max_corner().x()), y(fraction.max_corner().y()));
}

MultiPolygon clip(const MultiPolygon& area, const Polygon& box) {
  MultiPolygon out;
  bg::intersection(area, box, out);
  return out;
}

// Splits `area` into `n` pieces of equal area: cut across the longer side of the bounding box
// at the position that leaves the right share on each side, then split each side again. Pieces
// come out west before east and north before south at every cut.
void split_equal_area(const MultiPolygon& area, int n, std::vector<MultiPolygon>& out) {
  if (n <= 1) {
    out.push_back(area);
    return;
  }
  const int first = n / 2;
  const double share = static_cast<double>(first) / n;
  const double total = area_m2(area);
  const Box b = bounding_box(area);
  const double west = b.min_corner().x() - 1e-6;
  const double east = b.max_corner().x() + 1e-6;
  const double south = b.min_corner().y() - 1e-6;
  const double north = b.max_corner().y() + 1e-6;
  const double mid_lat = (south + north) / 2 * std::numbers::pi / 180;
  const bool vertical_cut = (east - west) * std::cos(mid_lat) >= (north - south);

  // The first piece is the west side of a vertical cut or the north side of a horizontal one.
  const auto first_side = [&](double t) {
    return vertical_cut ? box_polygon(west, south, t, north) : box_polygon(west, t, east, north);
  };
  double lo = vertical_cut ? west : south;
  double hi = vertical_cut ? east : north;
  for (int step = 0; step < kBisectionSteps; ++step) {
    const double t = (lo + hi) / 2;
    const double got = area_m2(clip(area, first_side(t)));
    // West-side area grows with t; north-side area shrinks with it.
    if ((got < share * total) == vertical_cut) {
      lo = t;
    } else {
      hi = t;
    }
  }
  const double t = (lo + hi) / 2;
  const Polygon second_side =
      vertical_cut ? box_polygon(t, south, east, north) : box_polygon(west, south, east, t);
  split_equal_area(clip(area, first_side(t)), first, out);
  split_equal_area(clip(area, second_side), n - first, out);
}

// Shares `total` among areas in proportion, at least one each, by largest remainder.
std::vector<int> apportion(const std::vector<double>& areas, int total) {
  double sum = 0;
  for (double a : areas) sum += a;
  std::vector<int> counts(areas.size());
  std::vector<std::pair<double, size_t>> remainders;
  int given = 0;
  for (size_t i = 0; i < areas.size(); ++i) {
    const double quota = total * areas[i] / sum;
    counts[i] = std::max(1, static_cast<int>(std::floor(quota)));
    remainders.emplace_back(quota - counts[i], i);
    given += counts[i];
  }
  // Largest remainder first; ties go to the earlier community.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < total; k = (k + 1) % remainders.size(), ++given) {
    ++counts[remainders[k].second];
  }
  // Communities raised to one grid may overshoot; take back from the smallest remainders.
  for (size_t k = remainders.size(); given > total && k > 0; --k) {
    if (counts[remainders[k - 1].second] > 1) {
      --counts[remainders[k - 1].second];
      --given;
    }
  }
  return counts;
}

Result<DemoRegions> build(const MultiPolygon& outline, double unit_cell_m) {
  const Box bounds = bounding_box(outline);
  DemoRegions regions;
  regions.district = NamedArea{kDistrictCode, "北戴河区", kCityCode, outline};

  for (const StreetPlan& plan : street_plans()) {
    const std::string street_code = std::string(kDistrictCode) + plan.suffix;
    MultiPolygon street = clip(outline, scaled(plan.keep, bounds));
    if (plan.cut.max_corner().x() > plan.cut.min_corner().x()) {
      MultiPolygon rest;
      bg::difference(street, scaled(plan.cut, bounds), rest);
      street = std::move(rest);
    }
    if (street.empty()) {
      return invalid("outline_too_small", fmt::format("street {} would be empty", street_code));
    }

    std::vector<MultiPolygon> pieces;
    split_equal_area(street, static_cast<int>(plan.communities.size()), pieces);
    for (size_t i = 0; i < pieces.size(); ++i) {
      const std::string code = street_code + plan.communities[i].suffix;
      if (pieces[i].empty()) {
        return invalid("outline_too_small", fmt::format("community {} would be empty", code));
      }
      regions.communities.push_back(
          NamedArea{code, plan.communities[i].name, street_code, std::move(pieces[i])});
    }
    regions.streets.push_back(NamedArea{street_code, plan.name, kDistrictCode, std::move(street)});
  }

  std::vector<double> areas;
  for (const NamedArea& c : regions.communities) areas.push_back(area_m2(c.area));
  const std::vector<int> counts = apportion(areas, kDemoGovernanceGridCount);
  for (size_t i = 0; i < regions.communities.size(); ++i) {
    const NamedArea& community = regions.communities[i];
    std::vector<MultiPolygon> pieces;
    split_equal_area(community.area, counts[i], pieces);
    for (size_t k = 0; k < pieces.size(); ++k) {
      const size_t number = regions.governance_grids.size() + 1;
      regions.governance_grids.push_back(NamedArea{
          fmt::format("{}-GG-{:03d}", kDistrictCode, number),
          fmt::format("{}第{}网格", community.name, k + 1), community.code, std::move(pieces[k])});
    }
  }

  std::vector<CommunityArea> communities;
  for (const NamedArea& c : regions.communities) communities.push_back({c.code, c.area});
  auto cells = generate_unit_grids(outline, communities, unit_cell_m);
  if (!cells) return cells.status();
  regions.unit_grids = std::move(*cells);
  return regions;
}

}  // namespace

Result<DemoRegions> build_demo_regions(const MultiPolygon& outline_wgs84, double unit_cell_m) {
  if (outline_wgs84.empty() || area_m2(outline_wgs84) <= 0) {
    return invalid("empty_outline", "the outline has no area", "outline");
  }
  // Boost.Geometry reports invalid input (self-intersections and the like) by throwing.
  try {
    return build(outline_wgs84, unit_cell_m);
  } catch (const std::exception& e) {
    return invalid("geometry_failed", fmt::format("splitting the outline failed: {}", e.what()));
  }
}

}  // namespace cityops::geo
