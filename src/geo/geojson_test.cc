#include "geo/geojson.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "support/geo_support.h"

namespace cityops::geo {
namespace {

using cityops::testing::signed_area2;
using nlohmann::json;

// A 1 x 1 degree square written clockwise, with a clockwise hole: both orientations wrong.
constexpr const char* kClockwiseWithHole = R"({"type": "Polygon", "coordinates": [
  [[119, 39], [119, 40], [120, 40], [120, 39], [119, 39]],
  [[119.2, 39.2], [119.4, 39.2], [119.4, 39.4], [119.2, 39.4], [119.2, 39.2]]]})";

TEST(GeoJson, ParsesABarePolygonAndCorrectsOrientation) {
  const auto features = parse_features(kClockwiseWithHole);
  ASSERT_TRUE(features) << features.status().message();
  ASSERT_EQ(features->size(), 1u);
  const Feature& f = features->front();
  EXPECT_TRUE(f.properties.is_object() && f.properties.empty());
  ASSERT_EQ(f.geometry.size(), 1u);
  EXPECT_GT(signed_area2(f.geometry[0].outer()), 0) << "outer ring must be counter-clockwise";
  ASSERT_EQ(f.geometry[0].inners().size(), 1u);
  EXPECT_LT(signed_area2(f.geometry[0].inners()[0]), 0) << "hole must be clockwise";
  // 1 - 0.04 square degrees.
  EXPECT_NEAR((signed_area2(f.geometry[0].outer()) + signed_area2(f.geometry[0].inners()[0])) / 2,
              0.96, 1e-12);
}

TEST(GeoJson, ParsesFeatureCollectionsFeaturesAndMultiPolygons) {
  const std::string text = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "a"},
     "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
    {"type": "Feature", "properties": null,
     "geometry": {"type": "MultiPolygon", "coordinates": [
       [[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6, 12.5]]]]}}]})";
  const auto features = parse_features(text);
  ASSERT_TRUE(features) << features.status().message();
  ASSERT_EQ(features->size(), 2u);
  EXPECT_EQ((*features)[0].properties.at("code"), "a");
  EXPECT_TRUE((*features)[1].properties.empty());
  ASSERT_EQ((*features)[1].geometry.size(), 2u);
  // The open triangle was closed: 3 points plus the repeated first one.
  const Ring& closed = (*features)[1].geometry[1].outer();
  ASSERT_EQ(closed.size(), 4u);
  EXPECT_EQ(closed.back().x(), 5);
  EXPECT_EQ(closed.back().y(), 5);

  const auto single = parse_features(R"({"type": "Feature", "properties": {"code": "a"},
     "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}})");
  ASSERT_TRUE(single) << single.status().message();
  ASSERT_EQ(single->size(), 1u);
  EXPECT_EQ(single->front().properties.at("code"), "a");

  const auto empty = parse_features(R"({"type": "FeatureCollection", "features": []})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(GeoJson, RefusesBadInputNamingWhere) {
  const auto wrap = [](const std::string& geometry) {
    return R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
       "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
      {"type": "Feature", "properties": {}, "geometry": )" +
           geometry + "}]}";
  };
  const struct {
    const char* label;
    std::string text;
    const char* message_part;
    const char* field;
  } cases[] = {
      {"not JSON", "{\"type\": ", "not valid JSON", ""},
      {"not an object", "[1, 2]", "must be an object", ""},
      {"no type", "{}", "no type", "type"},
      {"no features", R"({"type": "FeatureCollection"})", "no features", "features"},
      {"point", wrap(R"({"type": "Point", "coordinates": [1, 2]})"),
       "feature 1: geometry type Point", "features[1].geometry.type"},
      {"null geometry", wrap("null"), "feature 1: geometry is missing", "features[1].geometry"},
      {"two-point ring", wrap(R"({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]})"),
       "feature 1: ring 0 of polygon 0 has 3 points", "features[1].geometry.coordinates[0]"},
      {"longitude out of range",
       wrap(R"({"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]})"),
       "position 1 is out of range", "features[1].geometry.coordinates[0][1]"},
      {"latitude out of range",
       wrap(R"({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]],
            [[[0, 0], [1, 0], [1, -90.5], [0, 0]]]]})"),
       "ring 0 of polygon 1 position 2 is out of range",
       "features[1].geometry.coordinates[1][0][2]"},
      {"string coordinate",
       wrap(R"({"type": "Polygon", "coordinates": [[[0, 0], ["1", 0], [1, 1], [0, 0]]]})"),
       "position 1 is not [lon, lat]", "features[1].geometry.coordinates[0][1]"},
      {"no rings", wrap(R"({"type": "Polygon", "coordinates": []})"), "polygon 0 has no rings",
       "features[1].geometry.coordinates"},
      {"overflowing number",
       wrap(R"({"type": "Polygon", "coordinates": [[[0, 0], [1e999, 0], [1, 1], [0, 0]]]})"), "",
       ""},
      {"not a feature", R"({"type": "FeatureCollection", "features": [{"type": "Polygon"}]})",
       "feature 0: is not a Feature", "features[0].type"},
      {"properties not an object",
       R"({"type": "Feature", "properties": [], "geometry": {"type": "Polygon",
          "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}})",
       "properties is not an object", "properties"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto result = parse_features(c.text);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(result.status().code(), "invalid_geojson");
    EXPECT_NE(result.status().message().find(c.message_part), std::string::npos)
        << result.status().message();
    if (*c.field) {
      EXPECT_EQ(result.status().field(), c.field);
    }
  }
}

TEST(GeoJson, WritesCounterClockwiseRoundedCoordinates) {
  MultiPolygon area;
  area.resize(1);
  // Clockwise on purpose, with more than 7 decimals.
  area[0].outer() = {{119.123456789, 39.1},
                     {119.123456789, 39.2},
                     {119.2, 39.2},
                     {119.2, 39.100000049},
                     {119.123456789, 39.1}};
  const json out = to_geojson(area);
  EXPECT_EQ(out.at("type"), "MultiPolygon");
  const json& ring = out.at("coordinates").at(0).at(0);
  ASSERT_EQ(ring.size(), 5u);
  EXPECT_EQ(ring.front(), ring.back());
  double twice_area = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    twice_area += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
                  ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  }
  EXPECT_GT(twice_area, 0) << "RFC 7946 wants counter-clockwise outer rings";
  bool saw_rounded = false;
  for (const json& pos : ring) {
    saw_rounded = saw_rounded || pos[0].get<double>() == 119.1234568;
    EXPECT_NE(pos[1].get<double>(), 39.100000049);
  }
  EXPECT_TRUE(saw_rounded) << ring.dump();
}

TEST(GeoJson, SurvivesARoundTrip) {
  const auto parsed = parse_features(kClockwiseWithHole);
  ASSERT_TRUE(parsed);
  const auto again = parse_features(to_geojson(parsed->front().geometry).dump());
  ASSERT_TRUE(again) << again.status().message();
  const MultiPolygon& a = parsed->front().geometry;
  const MultiPolygon& b = again->front().geometry;
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a[0].outer().size(), b[0].outer().size());
  for (size_t i = 0; i < a[0].outer().size(); ++i) {
    EXPECT_EQ(a[0].outer()[i].x(), b[0].outer()[i].x());
    EXPECT_EQ(a[0].outer()[i].y(), b[0].outer()[i].y());
  }
  EXPECT_EQ(a[0].inners().size(), b[0].inners().size());
}

TEST(GeoJson, ConvertsDatumVertexByVertex) {
  const auto parsed = parse_features(kClockwiseWithHole);
  ASSERT_TRUE(parsed);
  const MultiPolygon& wgs = parsed->front().geometry;
  const MultiPolygon gcj = convert_datum(wgs, Datum::kWgs84, Datum::kGcj02);
  ASSERT_EQ(gcj.size(), 1u);
  ASSERT_EQ(gcj[0].inners().size(), 1u);
  for (size_t i = 0; i < wgs[0].inners()[0].size(); ++i) {
    const LonLat want = convert(to_lon_lat(wgs[0].inners()[0][i]), Datum::kWgs84, Datum::kGcj02);
    EXPECT_EQ(gcj[0].inners()[0][i].x(), want.lon);
    EXPECT_EQ(gcj[0].inners()[0][i].y(), want.lat);
  }
  const MultiPolygon back = convert_datum(gcj, Datum::kGcj02, Datum::kWgs84);
  for (size_t i = 0; i < wgs[0].outer().size(); ++i) {
    EXPECT_LT(distance_m(to_lon_lat(back[0].outer()[i]), to_lon_lat(wgs[0].outer()[i])), 0.01);
  }
}

}  // namespace
}  // namespace cityops::geo
