#include "domain/component.h"

#include <gtest/gtest.h>

#include "domain/case_record.h"

namespace cityops {
namespace {

TEST(ComponentId, IsCheckedPartByPart) {
  const struct {
    const char* label;
    const char* id;
    const char* code;  // empty when the id is good
  } cases[] = {
      {"a public toilet", "13030403001000001", ""},
      {"class 05, the last component class", "13030405001000123", ""},
      {"16 digits", "1303040300100000", "invalid_component_id"},
      {"18 digits", "130304030010000011", "invalid_component_id"},
      {"a letter", "13030403001A00001", "invalid_component_id"},
      {"full-width digit", "1303040300100000１", "invalid_component_id"},
      {"another district", "13030503001000001", "wrong_district"},
      {"class 00", "13030400001000001", "not_a_component_class"},
      {"class 06, a matter class", "13030406001000001", "not_a_component_class"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const Status status = check_component_id(c.id, "130304");
    EXPECT_EQ(status.code(), c.code);
    if (!status.is_ok()) {
      EXPECT_EQ(status.field(), "id");
    }
  }
}

TEST(ComponentId, CarriesItsCategoryAndIsMadeFromIt) {
  EXPECT_EQ(component_category_of("13030401037000040"), "01037");
  EXPECT_EQ(make_component_id("130304", "01037", 40), "13030401037000040");
  EXPECT_EQ(make_component_id("130304", "03001", 999999), "13030403001999999");
}

TEST(ComponentStatus, NamesRoundTripAndOthersAreRefused) {
  for (const auto* name : {"intact", "damaged", "lost", "removed"}) {
    const auto status = parse_component_status(name);
    ASSERT_TRUE(status.has_value()) << name;
    EXPECT_EQ(to_string(*status), name);
  }
  EXPECT_FALSE(parse_component_status("Intact").has_value());
  EXPECT_FALSE(parse_component_status("").has_value());
}

TEST(CaseRecordComponent, RoundTripsAndIsAbsentFromOlderRecords) {
  Case c;
  c.number = "130304-20261204-000001";
  c.component = "13030403001000007";
  const auto record = case_to_record(c);
  EXPECT_EQ(record.at("component"), "13030403001000007");
  auto back = case_from_record(record);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(back->component, "13030403001000007");

  // A case without a component writes no key, so records from before the field read the same.
  c.component.clear();
  auto older = case_to_record(c);
  EXPECT_FALSE(older.contains("component"));
  auto read = case_from_record(older);
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(read->component, "");
}

}  // namespace
}  // namespace cityops
