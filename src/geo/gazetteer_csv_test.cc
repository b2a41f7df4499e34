// The gazetteer's file format, and the district's own file as shipped: it parses, every place
// and road vertex lies inside the district outline, and the demo streets and communities
// resolve to points inside themselves.
#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "common/source_dir.h"
#include "geo/demo_regions.h"
#include "geo/gazetteer.h"
#include "geo/geojson.h"
#include "support/geo_support.h"

namespace cityops::geo {
namespace {

const std::filesystem::path kData = std::filesystem::path(::cityops::source_dir()) / "data";

std::string shipped_csv() {
  return cityops::testing::read_text((kData / "gazetteer" / "beidaihe-places.csv").string());
}

MultiPolygon outline_wgs84() {
  const auto features = parse_features(
      cityops::testing::read_text((kData / "demo" / "beidaihe-outline.geojson").string()));
  EXPECT_TRUE(features && features->size() == 1);
  if (!features || features->empty()) return {};
  return convert_datum(features->front().geometry, Datum::kGcj02, Datum::kWgs84);
}

TEST(GazetteerCsv, RefusesMalformedRows) {
  const std::string header = "name,kind,aliases,datum,geometry\n";
  const struct {
    const char* label;
    std::string text;
    const char* code;
    const char* field;
  } cases[] = {
      {"no geometry column", "name,kind,aliases,datum\n", "missing_column", "geometry"},
      {"empty name", header + ",park,,gcj02,119.5 39.8\n", "invalid_gazetteer", "name"},
      {"name not UTF-8", header + "\xff,park,,gcj02,119.5 39.8\n", "invalid_gazetteer", "name"},
      {"upper-case kind", header + "甲,Park,,gcj02,119.5 39.8\n", "invalid_gazetteer", "kind"},
      {"unknown datum", header + "甲,park,,utm50,119.5 39.8\n", "invalid_gazetteer", "datum"},
      {"one number", header + "甲,park,,gcj02,119.5\n", "invalid_gazetteer", "geometry"},
      {"not a number", header + "甲,park,,gcj02,119.5 北\n", "invalid_gazetteer", "geometry"},
      {"not finite", header + "甲,park,,gcj02,nan 39.8\n", "invalid_gazetteer", "geometry"},
      {"off the globe", header + "甲,park,,gcj02,119.5 95\n", "invalid_gazetteer", "geometry"},
      {"road of one point", header + "甲路,road,,gcj02,119.5 39.8\n", "invalid_gazetteer",
       "geometry"},
      {"place of two points", header + "甲,park,,gcj02,119.5 39.8;119.6 39.8\n",
       "invalid_gazetteer", "geometry"},
      {"no geometry", header + "甲,park,,gcj02,\n", "invalid_gazetteer", "geometry"},
      {"name twice", header + "甲,park,,gcj02,119.5 39.8\n甲,beach,,gcj02,119.5 39.8\n",
       "invalid_gazetteer", "name"},
      {"alias of another", header + "甲,park,,gcj02,119.5 39.8\n乙,beach,甲,gcj02,119.5 39.8\n",
       "invalid_gazetteer", "name"},
      {"stray comma", header + "甲,park,,gcj02,119.5 39.8,\n", "bad_row_width", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed = parse_gazetteer_csv(c.text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(parsed.status().code(), c.code);
    EXPECT_EQ(parsed.status().field(), c.field);
  }
}

TEST(GazetteerCsv, ConvertsEachRowFromItsDatum) {
  const auto parsed = parse_gazetteer_csv(
      "name,kind,aliases,datum,geometry\n"
      "甲,park, 子 ; 丑 ,gcj02,119.5 39.8\n"
      "乙,park,,wgs84,119.5 39.8\n");
  ASSERT_TRUE(parsed) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].aliases, (std::vector<std::string>{"子", "丑"}));
  // GCJ-02 lies some 500-600 m east-north-east of WGS84 here, so its WGS84 point lies west.
  const double shift = distance_m((*parsed)[0].point, (*parsed)[1].point);
  EXPECT_GT(shift, 400);
  EXPECT_LT(shift, 700);
  EXPECT_LT((*parsed)[0].point.lon, 119.5);
  EXPECT_DOUBLE_EQ((*parsed)[1].point.lon, 119.5);
}

TEST(GazetteerCsv, ShippedPlacesLieInsideTheDistrict) {
  const auto entries = parse_gazetteer_csv(shipped_csv());
  ASSERT_TRUE(entries) << entries.status().message();
  const MultiPolygon outline = outline_wgs84();
  ASSERT_FALSE(outline.empty());

  size_t roads = 0;
  for (const Entry& e : *entries) {
    SCOPED_TRACE(e.name);
    EXPECT_TRUE(cityops::testing::area_contains(outline, e.point));
    for (const LonLat& vertex : e.line) {
      EXPECT_TRUE(cityops::testing::area_contains(outline, vertex))
          << vertex.lon << " " << vertex.lat;
    }
    roads += e.is_road();
  }
  EXPECT_GE(roads, 15u);
  EXPECT_GE(entries->size() - roads, 20u);
}

TEST(GazetteerCsv, ShippedPlacesResolveByNameAndAlias) {
  auto built = Gazetteer::build(shipped_csv(), {});
  ASSERT_TRUE(built) << built.status().message();
  const struct {
    const char* address;
    const char* name;
  } cases[] = {
      {"北戴河区鸽子窝公园南门", "鸽子窝公园"},
      {"老虎石浴场附近", "老虎石浴场"},
      {"北戴河火车站", "北戴河站"},
      {"北戴河区人民政府", "北戴河区人民政府"},
      {"秦皇岛市北戴河区海宁路与东经路交叉口", "海宁路与东经路"},
      {"东经路100号附近", "东经路"},
      {"剑秋路浴场", "剑秋路浴场"},
      {"中海滩路8号", "中海滩路"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.address);
    const auto place = built->resolve(c.address);
    ASSERT_TRUE(place) << place.status().message();
    EXPECT_EQ(place->name, c.name);
  }
}

TEST(GazetteerCsv, DemoStreetsAndCommunitiesResolveInsideThemselves) {
  auto demo = build_demo_regions(outline_wgs84());
  ASSERT_TRUE(demo) << demo.status().message();
  std::vector<GazetteerArea> areas;
  for (const auto& s : demo->streets) areas.push_back({s.code, s.name, "street", s.area});
  for (const auto& c : demo->communities) areas.push_back({c.code, c.name, "community", c.area});
  auto built = Gazetteer::build(shipped_csv(), areas);
  ASSERT_TRUE(built) << built.status().message();

  for (const auto& area : areas) {
    SCOPED_TRACE(area.name);
    const auto place = built->resolve(area.name);
    ASSERT_TRUE(place) << place.status().message();
    EXPECT_EQ(place->code, area.code);
    EXPECT_EQ(place->kind, area.layer);
    EXPECT_TRUE(cityops::testing::area_contains(area.area, place->point));
  }
}

}  // namespace
}  // namespace cityops::geo
