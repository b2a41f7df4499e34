// GeoJSON (RFC 7946) in and out for areal shapes: regions, grids, district outlines.
//
// Coordinates are taken as they come; the caller knows their datum (a file or request states
// it) and converts with convert_datum(). Only areal geometry is accepted: a region is a
// Polygon or MultiPolygon.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "geo/datum.h"
#include "geo/geometry.h"

namespace cityops::geo {

struct Feature {
  nlohmann::json properties;  // an object; {} when the input has none or null
  MultiPolygon geometry;      // a Polygon input becomes a one-polygon MultiPolygon
};

// Parses a FeatureCollection, a single Feature, or a bare Polygon or MultiPolygon geometry
// (which yields one Feature with empty properties).
//
// Every ring must be closed or closable (an open ring is closed by repeating its first
// point), have at least 4 points once closed, and hold finite coordinates with longitude in
// [-180, 180] and latitude in [-90, 90]; positions may carry a third value, which is ignored.
// Ring orientation is corrected to RFC 7946 (outer counter-clockwise, holes clockwise).
// Self-intersection is not checked.
//
// Errors are kInvalidArgument with code "invalid_geojson"; the message names the feature index
// (and polygon and ring where relevant) and `field` holds a JSON path such as
// "features[3].geometry.coordinates[0][1]". An empty FeatureCollection yields an empty vector.
Result<std::vector<Feature>> parse_features(std::string_view text);

// A GeoJSON MultiPolygon geometry object: outer rings counter-clockwise, holes clockwise,
// coordinates rounded to 7 decimals (about 1 cm), as RFC 7946 recommends.
nlohmann::json to_geojson(const MultiPolygon& area);

// Converts every vertex from one datum to another. The shifts vary slowly over a district, so
// converting vertices keeps the shape faithful to well under a metre.
MultiPolygon convert_datum(const MultiPolygon& area, Datum from, Datum to);

}  // namespace cityops::geo
