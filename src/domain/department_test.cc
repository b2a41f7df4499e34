#include "domain/department.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

constexpr std::string_view kHeader = "code,name,kind,street\n";

TEST(ParseDepartments, ReadsKindsAndStreets) {
  const std::string text = std::string("# comment\n") + std::string(kHeader) +
                           "city_mgmt,城管局,agency,\n"
                           "gas,燃气公司,enterprise,\n"
                           "street_a,甲街道,street_office,130304001\n";
  const auto parsed = parse_departments_csv(text);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].code, "city_mgmt");
  EXPECT_EQ((*parsed)[0].name, "城管局");
  EXPECT_EQ((*parsed)[0].kind, DepartmentKind::kAgency);
  EXPECT_EQ((*parsed)[1].kind, DepartmentKind::kEnterprise);
  EXPECT_EQ((*parsed)[2].kind, DepartmentKind::kStreetOffice);
  EXPECT_EQ((*parsed)[2].street_code, "130304001");
  EXPECT_TRUE((*parsed)[0].street_code.empty());
}

TEST(ParseDepartments, ColumnsMayComeInAnyOrder) {
  const auto parsed = parse_departments_csv("street,kind,name,code\n,agency,局,x\n");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  EXPECT_EQ((*parsed)[0].code, "x");
  EXPECT_EQ((*parsed)[0].name, "局");
}

TEST(ParseDepartments, RefusesBadRows) {
  const struct {
    const char* label;
    std::string rows;
    std::string_view code;
  } cases[] = {
      {"upper-case code", "CityMgmt,局,agency,\n", "bad_code"},
      {"empty code", ",局,agency,\n", "bad_code"},
      {"duplicate code", "a,局,agency,\na,局二,agency,\n", "duplicate_code"},
      {"empty name", "a,,agency,\n", "missing_name"},
      {"unknown kind", "a,局,bureau,\n", "unknown_kind"},
      {"office without street", "s,街道,street_office,\n", "bad_street"},
      {"office with short street", "s,街道,street_office,1303040\n", "bad_street"},
      {"agency with street", "a,局,agency,130304001\n", "bad_street"},
      {"two offices one street", "s,街道,street_office,130304001\nt,镇,street_office,130304001\n",
       "duplicate_street"},
      {"missing field", "a,局,agency\n", "bad_row_width"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed = parse_departments_csv(std::string(kHeader) + c.rows);
    ASSERT_FALSE(parsed.is_ok());
    EXPECT_EQ(parsed.status().code(), c.code) << parsed.status().message();
  }
}

TEST(ParseDepartments, RefusesMissingColumn) {
  const auto parsed = parse_departments_csv("code,name,kind\na,局,agency\n");
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.status().code(), "missing_column");
  EXPECT_EQ(parsed.status().field(), "street");
  EXPECT_EQ(parse_departments_csv("").status().code(), "missing_column");
}

TEST(DepartmentKind, RoundTrips) {
  for (const auto kind :
       {DepartmentKind::kAgency, DepartmentKind::kEnterprise, DepartmentKind::kStreetOffice}) {
    EXPECT_EQ(parse_department_kind(to_string(kind)), kind);
  }
  EXPECT_FALSE(parse_department_kind("Agency"));
}

}  // namespace
}  // namespace cityops
