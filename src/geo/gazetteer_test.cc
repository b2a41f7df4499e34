// Address resolution and place search over a small synthetic gazetteer whose answers can be
// worked out by hand: two straight roads crossing at right angles, a diagonal, a far road, a
// few places whose names nest, and an L-shaped community.
#include "geo/gazetteer.h"

#include <cmath>
#include <numbers>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "support/geo_support.h"

namespace cityops::geo {
namespace {

constexpr double kMetresPerDegreeLat = 6371008.8 * std::numbers::pi / 180;
constexpr double kLat = 39.83;  // the latitude of 东西路

// WGS84 so that the expected points need no datum conversion.
constexpr std::string_view kCsv =
    "# synthetic places for tests\n"
    "name,kind,aliases,datum,geometry\n"
    "东西路,road,,wgs84,119.48 39.83;119.49 39.83;119.50 39.83\n"
    "南北路,road,,wgs84,119.487 39.82;119.487 39.84\n"
    "斜路,road,,wgs84,119.48 39.82;119.50 39.84\n"
    "远路,road,,wgs84,119.40 39.87;119.41 39.87\n"
    "鸽子窝公园,park,鹰角公园;鸽子窝,wgs84,119.52 39.835\n"
    "老虎石公园,park,老虎石,wgs84,119.497 39.815\n"
    "老虎石浴场,beach,,wgs84,119.4985 39.8145\n";

// An L whose centroid (about 119.4633, 39.8433) falls in the notch, outside the community.
MultiPolygon l_shape() {
  MultiPolygon area;
  area.resize(1);
  area[0].outer() = {{119.45, 39.83}, {119.49, 39.83}, {119.49, 39.84}, {119.46, 39.84},
                     {119.46, 39.87}, {119.45, 39.87}, {119.45, 39.83}};
  return area;
}

Gazetteer make() {
  auto built = Gazetteer::build(kCsv, {{"130304002001", "东山社区", "community", l_shape()}});
  EXPECT_TRUE(built) << built.status().message();
  return built ? std::move(built).value() : Gazetteer();
}

// The point `metres` east of 东西路's first vertex, by the length of a degree of longitude.
LonLat east_of_start(double metres) {
  const double per_degree = kMetresPerDegreeLat * std::cos(kLat * std::numbers::pi / 180);
  return {119.48 + metres / per_degree, kLat};
}

TEST(Gazetteer, ResolvesEachFormOfAddress) {
  const Gazetteer g = make();
  const LonLat crossing{119.487, kLat};  // 东西路 runs along 39.83, 南北路 along 119.487
  constexpr auto kRoad = Precision::kRoad, kNumber = Precision::kHouseNumber;
  constexpr auto kCrossing = Precision::kIntersection, kPlace = Precision::kPlace;
  const struct {
    const char* address;
    const char* name;
    Precision precision;
    LonLat expected;
    const char* matched;
  } cases[] = {
      // clang-format off
      {"东西路", "东西路", kRoad, {119.49, kLat}, "东西路"},
      {"东西路12号", "东西路", kNumber, east_of_start(110), "东西路12号"},
      {"河北省秦皇岛市北戴河区东西路12号", "东西路", kNumber, east_of_start(110),
       "东西路12号"},
      {"东西路１２号", "东西路", kNumber, east_of_start(110), "东西路12号"},
      {" 东西路 12 号\u3000", "东西路", kNumber, east_of_start(110), "东西路12号"},
      {"东西路100号附近", "东西路", kNumber, east_of_start(990), "东西路100号"},
      {"东西路1号", "东西路", kNumber, {119.48, kLat}, "东西路1号"},
      {"东西路99999号", "东西路", kNumber, {119.50, kLat}, "东西路99999号"},
      {"东西路与南北路交叉口", "东西路与南北路", kCrossing, crossing,
       "东西路与南北路"},
      {"东西路和南北路路口", "东西路与南北路", kCrossing, crossing,
       "东西路和南北路"},
      {"东西路/南北路", "东西路与南北路", kCrossing, crossing, "东西路/南北路"},
      {"东西路南北路口", "东西路与南北路", kCrossing, crossing, "东西路南北路"},
      {"南北路 与 东西路", "南北路与东西路", kCrossing, crossing,
       "南北路与东西路"},
      // The diagonal climbs 0.01 degree of latitude per 0.01 of longitude from (119.48, 39.82).
      {"斜路与东西路交叉口", "斜路与东西路", kCrossing, {119.49, kLat},
       "斜路与东西路"},
      {"鸽子窝公园南门", "鸽子窝公园", kPlace, {119.52, 39.835}, "鸽子窝公园"},
      {"鸽子窝", "鸽子窝公园", kPlace, {119.52, 39.835}, "鸽子窝"},
      {"鹰角公园", "鸽子窝公园", kPlace, {119.52, 39.835}, "鹰角公园"},
      {"老虎石浴场附近", "老虎石浴场", kPlace, {119.4985, 39.8145}, "老虎石浴场"},
      {"老虎石", "老虎石公园", kPlace, {119.497, 39.815}, "老虎石"},
      // Both roads are named but not joined: the earlier of two equally long names wins.
      {"东西路旁边的南北路", "东西路", kRoad, {119.49, kLat}, "东西路"},
      // clang-format on
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.address);
    const auto place = g.resolve(c.address);
    ASSERT_TRUE(place) << place.status().message();
    EXPECT_EQ(place->name, c.name);
    EXPECT_EQ(to_string(place->precision), to_string(c.precision));
    EXPECT_EQ(place->matched, c.matched);
    EXPECT_LT(distance_m(place->point, c.expected), 1.0)
        << place->point.lon << " " << place->point.lat;
  }
}

TEST(Gazetteer, ACommunityResolvesToAPointInsideIt) {
  const Gazetteer g = make();
  for (const char* address : {"东山社区", "北戴河区东山社区3号楼"}) {
    SCOPED_TRACE(address);
    const auto place = g.resolve(address);
    ASSERT_TRUE(place) << place.status().message();
    EXPECT_EQ(place->kind, "community");
    EXPECT_EQ(place->code, "130304002001");
    EXPECT_EQ(place->precision, Precision::kArea);
    // The centroid lies in the notch; the point given must not.
    EXPECT_TRUE(cityops::testing::area_contains(l_shape(), place->point))
        << place->point.lon << " " << place->point.lat;
  }
}

TEST(Gazetteer, RefusesWhatItCannotResolve) {
  const Gazetteer g = make();
  const struct {
    std::string address;
    const char* code;
  } cases[] = {
      {"", "empty_address"},
      {" \t\u3000 ", "empty_address"},
      {"东西路\xff\xfe", "invalid_encoding"},
      {"\xe4\xb8", "invalid_encoding"},
      {std::string(2000, 'a'), "address_too_long"},
      {"火星路1号", "unresolved_address"},
      {"北戴河区", "unresolved_address"},
      {"东西路与远路交叉口", "unresolved_address"},  // about 7 km apart
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.address.substr(0, 40));
    const auto place = g.resolve(c.address);
    ASSERT_FALSE(place);
    EXPECT_EQ(place.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(place.status().code(), c.code);
    EXPECT_EQ(place.status().field(), "address_string");
  }
  // The message quotes what could not be resolved, so the client can show it back.
  EXPECT_NE(g.resolve("火星路1号").status().message().find("火星路1号"), std::string::npos);
  EXPECT_NE(g.resolve("东西路与远路").status().message().find("远路"), std::string::npos);
}

// Seeded random strings of name fragments, joiners, digits, spaces and stray bytes: each one
// either resolves to a finite point or is refused with one of the documented codes.
TEST(Gazetteer, ArbitraryTextResolvesOrIsRefusedCleanly) {
  const Gazetteer g = make();
  // clang-format off
  const std::string pieces[] = {"东西路", "南北路", "斜路", "远路", "鸽子", "窝",
                                "公园", "与", "/", "口", "号", "１", "7", " ",
                                "\u3000", "\xef\xbc", "\xff", "\xe4", "北戴河区",
                                "老虎石", "浴场", "东山社区", "0000000"};
  // clang-format on
  const std::set<std::string> codes{"empty_address", "invalid_encoding", "unresolved_address"};
  std::mt19937 random(20261204);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int count = static_cast<int>(random() % 7);
    for (int k = 0; k < count; ++k) text += pieces[random() % std::size(pieces)];
    SCOPED_TRACE(text);
    const auto place = g.resolve(text);
    if (place) {
      EXPECT_TRUE(std::isfinite(place->point.lon) && std::isfinite(place->point.lat));
      EXPECT_FALSE(place->matched.empty());
    } else {
      EXPECT_TRUE(codes.count(place.status().code())) << place.status().code();
    }
    g.search(text, 5);
  }
}

TEST(Gazetteer, AnEmptyGazetteerResolvesNothing) {
  const Gazetteer g;
  EXPECT_EQ(g.resolve("东西路").status().code(), "unresolved_address");
  EXPECT_TRUE(g.search("东", 10).empty());
}

TEST(Gazetteer, SearchRanksExactThenPrefixThenSubstring) {
  const Gazetteer g = make();
  const auto names = [&](std::string_view query, size_t limit) {
    std::vector<std::string> out;
    for (const Entry* e : g.search(query, limit)) out.push_back(e->name);
    return out;
  };
  using V = std::vector<std::string>;
  // 老虎石 is an alias of the park (exact) and begins the beach's name (prefix).
  EXPECT_EQ(names("老虎石", 10), (V{"老虎石公园", "老虎石浴场"}));
  EXPECT_EQ(names("鸽子", 10), (V{"鸽子窝公园"}));
  EXPECT_EQ(names("角公", 10), (V{"鸽子窝公园"}));  // inside an alias
  EXPECT_EQ(names("东", 10), (V{"东西路", "东山社区"}));
  EXPECT_EQ(names("路", 10), (V{"斜路", "远路", "东西路", "南北路"}));
  EXPECT_EQ(names("路", 2), (V{"斜路", "远路"}));
  EXPECT_EQ(names(" 东西\u3000", 10), (V{"东西路"}));
  EXPECT_TRUE(names("", 10).empty());
  EXPECT_TRUE(names("\xff", 10).empty());
  EXPECT_TRUE(names("东", 0).empty());
  EXPECT_TRUE(names("火星", 10).empty());
}

TEST(Gazetteer, FoldsSpacesAndFullWidthForms) {
  EXPECT_EQ(fold_address(" 海宁路\t１２号\u3000Ａ座 "), "海宁路12号A座");
  EXPECT_EQ(fold_address("海宁路／东经路"), "海宁路/东经路");
  EXPECT_EQ(fold_address("\u00a0"), "");
  // Other characters from the same block as the full-width forms are kept as they are.
  EXPECT_EQ(fold_address("\uff61"), "\uff61");
}

}  // namespace
}  // namespace cityops::geo
