#include "geo/geojson.h"

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <boost/geometry/algorithms/correct.hpp>

namespace cityops::geo {
namespace {

using nlohmann::json;

// Where in the document a parse step is, for error messages and the `field` path.
struct Context {
  size_t feature_index;
  std::string path;  // JSON path of the geometry, e.g. "features[2].geometry"
};

// Appends a member name to a JSON path; the document root has the empty path.
std::string member(const std::string& path, const char* name) {
  return path.empty() ? std::string(name) : path + "." + name;
}

Status error(const Context& at, const std::string& what, const std::string& field) {
  return invalid("invalid_geojson", fmt::format("feature {}: {}", at.feature_index, what), field);
}

Result<Ring> parse_ring(const json& coords, const Context& at, const std::string& path,
                        const std::string& where) {
  if (!coords.is_array()) return error(at, where + " is not an array of positions", path);
  Ring ring;
  for (size_t i = 0; i < coords.size(); ++i) {
    const json& pos = coords[i];
    const std::string pos_path = fmt::format("{}[{}]", path, i);
    if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number()) {
      return error(at, fmt::format("{} position {} is not [lon, lat]", where, i), pos_path);
    }
    const double lon = pos[0].get<double>();
    const double lat = pos[1].get<double>();
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 ||
        lat > 90) {
      return error(at, fmt::format("{} position {} is out of range: [{}, {}]", where, i, lon, lat),
                   pos_path);
    }
    ring.push_back(Point{lon, lat});
  }
  if (!ring.empty() &&
      (ring.front().x() != ring.back().x() || ring.front().y() != ring.back().y())) {
    ring.push_back(ring.front());
  }
  if (ring.size() < 4) {
    return error(at,
                 fmt::format("{} has {} points once closed; at least 4 needed", where, ring.size()),
                 path);
  }
  return ring;
}

Result<Polygon> parse_polygon(const json& coords, const Context& at, const std::string& path,
                              size_t polygon_index) {
  if (!coords.is_array() || coords.empty()) {
    return error(at, fmt::format("polygon {} has no rings", polygon_index), path);
  }
  Polygon polygon;
  for (size_t r = 0; r < coords.size(); ++r) {
    const std::string where = fmt::format("ring {} of polygon {}", r, polygon_index);
    auto ring = parse_ring(coords[r], at, fmt::format("{}[{}]", path, r), where);
    if (!ring) return ring.status();
    if (r == 0) {
      polygon.outer() = std::move(*ring);
    } else {
      polygon.inners().push_back(std::move(*ring));
    }
  }
  return polygon;
}

Result<MultiPolygon> parse_geometry(const json& geometry, const Context& at) {
  if (!geometry.is_object()) return error(at, "geometry is missing or not an object", at.path);
  const auto type = geometry.find("type");
  const auto coords = geometry.find("coordinates");
  if (type == geometry.end() || !type->is_string()) {
    return error(at, "geometry has no type", member(at.path, "type"));
  }
  if (coords == geometry.end()) {
    return error(at, "geometry has no coordinates", member(at.path, "coordinates"));
  }

  const std::string path = member(at.path, "coordinates");
  MultiPolygon area;
  if (*type == "Polygon") {
    auto polygon = parse_polygon(*coords, at, path, 0);
    if (!polygon) return polygon.status();
    area.push_back(std::move(*polygon));
  } else if (*type == "MultiPolygon") {
    if (!coords->is_array() || coords->empty()) {
      return error(at, "MultiPolygon has no polygons", path);
    }
    for (size_t i = 0; i < coords->size(); ++i) {
      auto polygon = parse_polygon((*coords)[i], at, fmt::format("{}[{}]", path, i), i);
      if (!polygon) return polygon.status();
      area.push_back(std::move(*polygon));
    }
  } else {
    return error(
        at,
        fmt::format("geometry type {} is not a Polygon or MultiPolygon", type->get<std::string>()),
        member(at.path, "type"));
  }
  boost::geometry::correct(area);
  return area;
}

Result<Feature> parse_feature(const json& feature, const Context& at) {
  if (!feature.is_object()) return error(at, "is not an object", at.path);
  const auto type = feature.find("type");
  if (type == feature.end() || *type != "Feature") {
    return error(at, "is not a Feature", member(at.path, "type"));
  }
  Feature out{json::object(), {}};
  if (const auto props = feature.find("properties"); props != feature.end() && !props->is_null()) {
    if (!props->is_object())
      return error(at, "properties is not an object", member(at.path, "properties"));
    out.properties = *props;
  }
  const auto geometry = feature.find("geometry");
  if (geometry == feature.end()) return error(at, "has no geometry", member(at.path, "geometry"));
  auto area = parse_geometry(*geometry, Context{at.feature_index, member(at.path, "geometry")});
  if (!area) return area.status();
  out.geometry = std::move(*area);
  return out;
}

double round7(double v) { return std::round(v * 1e7) / 1e7; }

json ring_to_json(const Ring& ring, bool reverse) {
  json out = json::array();
  const auto emit = [&out](const Point& p) { out.push_back({round7(p.x()), round7(p.y())}); };
  if (reverse) {
    for (auto it = ring.rbegin(); it != ring.rend(); ++it) emit(*it);
  } else {
    for (const Point& p : ring) emit(p);
  }
  return out;
}

// Twice the signed area in degrees: positive for counter-clockwise.
double signed_area2(const Ring& ring) {
  double sum = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    sum += ring[i].x() * ring[i + 1].y() - ring[i + 1].x() * ring[i].y();
  }
  return sum;
}

}  // namespace

Result<std::vector<Feature>> parse_features(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return invalid("invalid_geojson", "the text is not valid JSON");
  if (!doc.is_object()) return invalid("invalid_geojson", "GeoJSON must be an object");
  const auto type = doc.find("type");
  if (type == doc.end() || !type->is_string()) {
    return invalid("invalid_geojson", "GeoJSON object has no type", "type");
  }

  std::vector<Feature> features;
  if (*type == "FeatureCollection") {
    const auto list = doc.find("features");
    if (list == doc.end() || !list->is_array()) {
      return invalid("invalid_geojson", "FeatureCollection has no features array", "features");
    }
    for (size_t i = 0; i < list->size(); ++i) {
      auto feature = parse_feature((*list)[i], Context{i, fmt::format("features[{}]", i)});
      if (!feature) return feature.status();
      features.push_back(std::move(*feature));
    }
  } else if (*type == "Feature") {
    auto feature = parse_feature(doc, Context{0, ""});
    if (!feature) return feature.status();
    features.push_back(std::move(*feature));
  } else {
    auto area = parse_geometry(doc, Context{0, ""});
    if (!area) return area.status();
    features.push_back(Feature{json::object(), std::move(*area)});
  }
  return features;
}

json to_geojson(const MultiPolygon& area) {
  json polygons = json::array();
  for (const Polygon& polygon : area) {
    json rings = json::array();
    rings.push_back(ring_to_json(polygon.outer(), signed_area2(polygon.outer()) < 0));
    for (const Ring& hole : polygon.inners()) {
      rings.push_back(ring_to_json(hole, signed_area2(hole) > 0));
    }
    polygons.push_back(std::move(rings));
  }
  return json{{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

MultiPolygon convert_datum(const MultiPolygon& area, Datum from, Datum to) {
  MultiPolygon out = area;
  if (from == to) return out;
  const auto convert_ring = [from, to](Ring& ring) {
    for (Point& p : ring) p = to_point(convert(to_lon_lat(p), from, to));
  };
  for (Polygon& polygon : out) {
    convert_ring(polygon.outer());
    for (Ring& hole : polygon.inners()) convert_ring(hole);
  }
  return out;
}

}  // namespace cityops::geo
