// Components files read row by row, against a small taxonomy, two departments and a square
// district, so that each refusal is known in advance.
#include "services/component_import.h"

#include <gtest/gtest.h>

namespace cityops::services {
namespace {

constexpr std::string_view kTaxonomy =
    "code,kind,class_code,class_name,name,department,keywords,register_normal,dispatch_normal,"
    "handle_normal,verify_normal,register_urgent,dispatch_urgent,handle_urgent,verify_urgent,"
    "reopen_on_dissatisfied\n"
    "03001,component,03,设施,公共厕所,sanitation,,1wh,1wh,3wd,4wh,1wh,1wh,3wd,4wh,true\n"
    "01037,component,01,设施,路灯,city_mgmt,,1wh,1wh,3wd,4wh,1wh,1wh,3wd,4wh,true\n"
    "06015,matter,06,事项,沙滩垃圾,sanitation,,1wh,1wh,3wd,4wh,1wh,1wh,3wd,4wh,true\n";
constexpr std::string_view kHeader =
    "id,category,name,lon,lat,datum,status,owner_department,maintainer_department,address\n";

Taxonomy make_taxonomy() {
  auto parsed = parse_taxonomy_csv(kTaxonomy);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().message();
  return Taxonomy(parsed.is_ok() ? parsed.value() : std::vector<Category>{});
}

class ComponentImportTest : public ::testing::Test {
 protected:
  // The district: lon 119.4 to 119.6, lat 39.7 to 39.9, one grid per 0.1 degree of longitude.
  ComponentRules rules() const {
    return ComponentRules{
        taxonomy_,
        [](std::string_view code) { return code == "sanitation" || code == "city_mgmt"; },
        [](geo::LonLat p) {
          if (p.lon < 119.4 || p.lon > 119.6 || p.lat < 39.7 || p.lat > 39.9) {
            return ComponentPlace{};
          }
          return p.lon < 119.5 ? ComponentPlace{"U1", "G1"} : ComponentPlace{"U2", "G2"};
        },
        "130304", Timestamp{std::chrono::seconds{1'800'000'000}}};
  }

  Taxonomy taxonomy_ = make_taxonomy();
};

TEST_F(ComponentImportTest, GoodRowsAreKeptAndBadOnesReportedByLine) {
  const std::string text =
      std::string(kHeader) +
      "13030403001000001,03001,公厕一,119.45,39.8,wgs84,intact,city_mgmt,sanitation,海宁路\n"
      "13030403001000002,03001,公厕二,119.55,39.8,,damaged,city_mgmt,sanitation\n"  // 9 columns
      "\n"
      "13030401037000001,01037,\"路灯,一\",119.55,39.8,wgs84,lost,city_mgmt,city_mgmt,\"a,b\"\n"
      "13030403001000003,01037,公厕三,119.45,39.8,wgs84,intact,city_mgmt,sanitation,\n"
      "13030406015000001,06015,沙滩,119.45,39.8,wgs84,intact,city_mgmt,sanitation,\n"
      "13030403001000004,03001,公厕四,119.45,39.8,wgs84,intact,nobody,sanitation,\n"
      "13030403001000005,03001,公厕五,119.45,39.8,wgs84,fine,city_mgmt,sanitation,\n"
      "13030403001000006,03001,公厕六,x,39.8,wgs84,intact,city_mgmt,sanitation,\n"
      "13030403001000007,03001,公厕七,119.45,39.0,wgs84,intact,city_mgmt,sanitation,\n"
      "13030403001000008,03001,公厕八,119.45,39.8,wgs84,intact,city_mgmt,other,\n"
      "13030403001000009,03001,,119.45,39.8,wgs84,intact,city_mgmt,sanitation,\n"
      "13030403001000010,03001,公厕十,119.45,39.8,mars,intact,city_mgmt,sanitation,\n"
      "13030403001000011,03001,\"公厕,119.45,39.8,wgs84,intact,city_mgmt,sanitation,\n";
  auto batch = parse_components_csv(text, rules());
  ASSERT_TRUE(batch.is_ok()) << batch.status().message();

  ASSERT_EQ(batch->components.size(), 2u);
  const auto& toilet = batch->components[0];
  EXPECT_EQ(toilet.id, "13030403001000001");
  EXPECT_EQ(toilet.category, "03001");
  EXPECT_EQ(toilet.unit_grid, "U1");
  EXPECT_EQ(toilet.governance_grid, "G1");
  EXPECT_EQ(toilet.address, "海宁路");
  EXPECT_EQ(toilet.status, ComponentStatus::kIntact);
  const auto& lamp = batch->components[1];
  EXPECT_EQ(lamp.name, "路灯,一");
  EXPECT_EQ(lamp.address, "a,b");
  EXPECT_EQ(lamp.unit_grid, "U2");
  EXPECT_EQ(lamp.status, ComponentStatus::kLost);

  const struct {
    size_t line;
    const char* code;
    const char* field;
  } want[] = {
      {3, "wrong_column_count", ""},      {6, "category_mismatch", "category"},
      {7, "not_a_component_class", "id"}, {8, "unknown_department", "owner_department"},
      {9, "unknown_status", "status"},    {10, "invalid_coordinate", "lon"},
      {11, "outside_district", "lon"},    {12, "unknown_department", "maintainer_department"},
      {13, "missing_field", "name"},      {14, "unknown_datum", "datum"},
      {15, "malformed_csv", ""},
  };
  ASSERT_EQ(batch->rejected.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    SCOPED_TRACE(want[i].line);
    EXPECT_EQ(batch->rejected[i].line, want[i].line);
    EXPECT_FALSE(batch->rejected[i].is_feature);
    EXPECT_EQ(batch->rejected[i].code, want[i].code);
    if (std::string_view(want[i].code) != "malformed_csv") {
      EXPECT_EQ(batch->rejected[i].field, want[i].field);
    }
  }
}

TEST_F(ComponentImportTest, AWrongHeaderRefusesTheFile) {
  auto batch = parse_components_csv("id,category,name\n1,2,3\n", rules());
  ASSERT_FALSE(batch.is_ok());
  EXPECT_EQ(batch.status().code(), "invalid_header");
  EXPECT_EQ(parse_components_csv("", rules()).status().code(), "invalid_header");
  EXPECT_EQ(parse_components_csv("\xff\xfe", rules()).status().code(), "invalid_encoding");
}

TEST_F(ComponentImportTest, CrlfLinesAndAByteOrderMarkAreRead) {
  const std::string text = "\xEF\xBB\xBF" + std::string(kHeader.substr(0, kHeader.size() - 1)) +
                           "\r\n13030403001000001,03001,公厕,119.45,39.8,wgs84,intact,"
                           "city_mgmt,sanitation,\r\n";
  auto batch = parse_components_csv(text, rules());
  ASSERT_TRUE(batch.is_ok()) << batch.status().message();
  EXPECT_EQ(batch->components.size(), 1u);
  EXPECT_TRUE(batch->rejected.empty());
}

TEST_F(ComponentImportTest, GeoJsonFeaturesAreReportedByIndexAndConverted) {
  const std::string text = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [119.45, 39.8]},
     "properties": {"id": "13030403001000001", "category": "03001", "name": "公厕",
                    "status": "intact", "owner_department": "city_mgmt",
                    "maintainer_department": "sanitation"}},
    {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
     "properties": {}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [119.45, 39.8]},
     "properties": {"id": 13030403001000002}}]})";
  auto batch = parse_components_geojson(text, geo::Datum::kGcj02, rules());
  ASSERT_TRUE(batch.is_ok()) << batch.status().message();
  ASSERT_EQ(batch->components.size(), 1u);
  const auto& c = batch->components[0];
  EXPECT_EQ(c.reported_datum, geo::Datum::kGcj02);
  const auto want = geo::convert({119.45, 39.8}, geo::Datum::kGcj02, geo::Datum::kWgs84);
  EXPECT_NEAR(c.location.lon, want.lon, 1e-9);
  EXPECT_NEAR(c.location.lat, want.lat, 1e-9);
  // GCJ-02 moves a point by hundreds of metres around here; the stored one is WGS84.
  EXPECT_GT(geo::distance_m(c.location, {119.45, 39.8}), 100);

  ASSERT_EQ(batch->rejected.size(), 2u);
  EXPECT_TRUE(batch->rejected[0].is_feature);
  EXPECT_EQ(batch->rejected[0].line, 1u);
  EXPECT_EQ(batch->rejected[0].code, "not_a_point");
  EXPECT_EQ(batch->rejected[1].line, 2u);
  EXPECT_EQ(batch->rejected[1].code, "invalid_type");
  EXPECT_EQ(batch->rejected[1].field, "id");

  EXPECT_EQ(parse_components_geojson("[]", geo::Datum::kWgs84, rules()).status().code(),
            "invalid_geojson");
}

}  // namespace
}  // namespace cityops::services
