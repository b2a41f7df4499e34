#include "geo/datum.h"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cityops::geo {
namespace {

constexpr double kEarthRadiusM = 6371008.8;
constexpr double kMetresPerDegree = kEarthRadiusM * std::numbers::pi / 180;
const LonLat kBeidaihe{119.48, 39.83};

TEST(Datum, ParsesEachNameAndRefusesOthers) {
  const struct {
    const char* text;
    std::optional<Datum> want;
  } cases[] = {
      {"wgs84", Datum::kWgs84}, {"gcj02", Datum::kGcj02},
      {"bd09", Datum::kBd09},   {"cgcs2000", Datum::kCgcs2000},
      {"WGS84", std::nullopt},  {"gcj-02", std::nullopt},
      {"", std::nullopt},       {"wgs84 ", std::nullopt},
      {"bd", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(parse_datum(c.text), c.want);
    if (c.want) {
      EXPECT_EQ(to_string(*c.want), c.text);
    }
  }
}

// Points across mainland China and Hainan, plus a tight cluster around Beidaihe.
std::vector<LonLat> sample_points() {
  std::vector<LonLat> points;
  for (double lon = 75; lon <= 134; lon += 4.5) {
    for (double lat = 18.5; lat <= 53; lat += 3.7) points.push_back({lon, lat});
  }
  for (double dlon = -0.12; dlon <= 0.12; dlon += 0.03) {
    for (double dlat = -0.06; dlat <= 0.06; dlat += 0.02) {
      points.push_back({kBeidaihe.lon + dlon, kBeidaihe.lat + dlat});
    }
  }
  return points;
}

TEST(Datum, RoundTripsStayWithinACentimetreAcrossChina) {
  const Datum all[] = {Datum::kWgs84, Datum::kGcj02, Datum::kBd09, Datum::kCgcs2000};
  double worst = 0;
  for (Datum from : all) {
    for (Datum to : all) {
      SCOPED_TRACE(std::string(to_string(from)) + " -> " + std::string(to_string(to)));
      for (const LonLat p : sample_points()) {
        const LonLat back = convert(convert(p, from, to), to, from);
        const double error = distance_m(p, back);
        worst = std::max(worst, error);
        ASSERT_LT(error, 0.01) << p.lon << ", " << p.lat;
      }
    }
  }
  EXPECT_LT(worst, 0.5);
}

TEST(Datum, InverseReproducesTheForwardInput) {
  // The inverse must give back the WGS84 point itself, not just something whose image matches
  // by coincidence elsewhere: compare against the original.
  for (const LonLat wgs : sample_points()) {
    const LonLat gcj = convert(wgs, Datum::kWgs84, Datum::kGcj02);
    const LonLat again = convert(gcj, Datum::kGcj02, Datum::kWgs84);
    EXPECT_NEAR(again.lon, wgs.lon, 1e-8);
    EXPECT_NEAR(again.lat, wgs.lat, 1e-8);
  }
}

TEST(Datum, Gcj02ShiftAtBeidaiheIsAboutHalfAKilometreEastNorthEast) {
  const LonLat gcj = convert(kBeidaihe, Datum::kWgs84, Datum::kGcj02);
  const double east_m = (gcj.lon - kBeidaihe.lon) * kMetresPerDegree *
                        std::cos(kBeidaihe.lat * std::numbers::pi / 180);
  const double north_m = (gcj.lat - kBeidaihe.lat) * kMetresPerDegree;
  const double shift = distance_m(kBeidaihe, gcj);
  EXPECT_GT(shift, 500);
  EXPECT_LT(shift, 600);
  EXPECT_GT(east_m, 400);
  EXPECT_GT(north_m, 50);
  EXPECT_GT(east_m, 2 * north_m);
}

TEST(Datum, Gcj02ShiftVariesSmoothlyOverADistrict) {
  // Converting polygon vertices one by one is only faithful if the shift is smooth: distances
  // change by well under 1 %, and the converted midpoint of a 2 km edge stays on the converted
  // edge to a fraction of a metre.
  const LonLat a = kBeidaihe;
  const LonLat b{kBeidaihe.lon + 0.015, kBeidaihe.lat + 0.012};
  const LonLat ga = convert(a, Datum::kWgs84, Datum::kGcj02);
  const LonLat gb = convert(b, Datum::kWgs84, Datum::kGcj02);
  EXPECT_NEAR(distance_m(ga, gb), distance_m(a, b), distance_m(a, b) * 0.005);

  const LonLat mid{(a.lon + b.lon) / 2, (a.lat + b.lat) / 2};
  const LonLat converted_mid = convert(mid, Datum::kWgs84, Datum::kGcj02);
  const LonLat mid_of_converted{(ga.lon + gb.lon) / 2, (ga.lat + gb.lat) / 2};
  EXPECT_LT(distance_m(converted_mid, mid_of_converted), 0.5);
}

TEST(Datum, Gcj02EqualsWgs84OutsideChina) {
  const LonLat outside[] = {
      {139.69, 35.69}, {-0.13, 51.51}, {151.21, -33.87}, {60.0, 40.0}, {125.0, 57.0}};
  for (const LonLat p : outside) {
    SCOPED_TRACE(std::to_string(p.lon) + ", " + std::to_string(p.lat));
    const LonLat gcj = convert(p, Datum::kWgs84, Datum::kGcj02);
    EXPECT_EQ(gcj.lon, p.lon);
    EXPECT_EQ(gcj.lat, p.lat);
    const LonLat back = convert(p, Datum::kGcj02, Datum::kWgs84);
    EXPECT_EQ(back.lon, p.lon);
    EXPECT_EQ(back.lat, p.lat);
  }
}

TEST(Datum, Bd09SitsAboutSixThousandthsOfADegreeNorthEastOfGcj02) {
  for (const LonLat p : sample_points()) {
    const LonLat bd = convert(p, Datum::kGcj02, Datum::kBd09);
    EXPECT_NEAR(bd.lon - p.lon, 0.0065, 0.0006);
    EXPECT_NEAR(bd.lat - p.lat, 0.0060, 0.0006);
  }
}

TEST(Datum, Cgcs2000IsTreatedAsWgs84) {
  const LonLat a = convert(kBeidaihe, Datum::kCgcs2000, Datum::kGcj02);
  const LonLat b = convert(kBeidaihe, Datum::kWgs84, Datum::kGcj02);
  EXPECT_EQ(a.lon, b.lon);
  EXPECT_EQ(a.lat, b.lat);
  const LonLat same = convert(kBeidaihe, Datum::kCgcs2000, Datum::kWgs84);
  EXPECT_EQ(same.lon, kBeidaihe.lon);
  EXPECT_EQ(same.lat, kBeidaihe.lat);
}

TEST(Datum, NonFiniteInputStaysNonFinite) {
  const LonLat bad{std::nan(""), 39.8};
  EXPECT_TRUE(std::isnan(convert(bad, Datum::kGcj02, Datum::kWgs84).lon));
  EXPECT_TRUE(std::isnan(convert(bad, Datum::kBd09, Datum::kWgs84).lon));
}

TEST(Distance, MatchesGreatCircleArcs) {
  const double quarter = std::numbers::pi / 2 * kEarthRadiusM;
  const struct {
    const char* label;
    LonLat a, b;
    double want_m;
  } cases[] = {
      {"same point", kBeidaihe, kBeidaihe, 0},
      {"one degree along the equator", {0, 0}, {1, 0}, kMetresPerDegree},
      {"one degree along a meridian", {119.5, 39.5}, {119.5, 40.5}, kMetresPerDegree},
      {"equator to pole", {10, 0}, {10, 90}, quarter},
      {"antipodes", {0, 0}, {180, 0}, 2 * quarter},
      // By the chord: the points are sin(0.5 deg) apart in unit-sphere space, so the arc is
      // 2 R asin(sin(0.5 deg) / 2) = 55 597.0 m, a little under half the equator's degree.
      {"60 N, one degree apart", {0, 60}, {1, 60}, 55597.0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_NEAR(distance_m(c.a, c.b), c.want_m, 0.5);
    EXPECT_NEAR(distance_m(c.b, c.a), c.want_m, 0.5);
  }
}

}  // namespace
}  // namespace cityops::geo
