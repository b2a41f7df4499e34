// The staff CSV: every kind of bad row reported on its own line, the good rows kept.
#include "domain/staff.h"

#include <gtest/gtest.h>

#include <set>

namespace cityops {
namespace {

const std::set<std::string, std::less<>> kGrids{"130304-GG-001", "130304-GG-002"};

bool known_grid(std::string_view code) { return kGrids.count(code) > 0; }

StaffCsv must_parse(std::string_view text) {
  auto parsed = parse_staff_csv(text, known_grid);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().message();
  return parsed.is_ok() ? parsed.value() : StaffCsv{};
}

TEST(StaffCsv, GoodRowKeepsEveryField) {
  const auto csv = must_parse(
      "staff_no,name,role,phone,team,grids,username\n"
      "GS1,王芳,grid_leader,13812345678,一队,130304-GG-001;130304-GG-002,leader1\n");
  ASSERT_EQ(csv.good.size(), 1u);
  EXPECT_TRUE(csv.rejected.empty());
  const auto& m = csv.good.front();
  EXPECT_EQ(m.staff_no, "GS1");
  EXPECT_EQ(m.name, "王芳");
  EXPECT_EQ(m.role, StaffRole::kGridLeader);
  EXPECT_EQ(m.phone, "13812345678");
  EXPECT_EQ(m.team, "一队");
  EXPECT_EQ(m.grids, (std::vector<std::string>{"130304-GG-001", "130304-GG-002"}));
  EXPECT_EQ(m.username, "leader1");
}

TEST(StaffCsv, EachBadRowIsReportedByItsLineAndFieldWhileGoodRowsStay) {
  struct Expected {
    size_t line;
    std::string field, code;
  };
  // Line 3 holds a quoted name across a line break, so the rows after it sit one line lower.
  const auto csv = must_parse(
      "staff_no,name,role,phone,team,grids,username\n"
      "GS1,王芳,grid_worker,13812345678,一队,130304-GG-001,\n"
      "GS2,\"李\n敏\",inspector,0335-1234567,一队,130304-GG-002,\n"
      "GS3,张伟,captain,13812345678,一队,130304-GG-001,\n"
      "GS4,张伟,grid_worker,12812345678,一队,130304-GG-001,\n"
      "GS5,张伟,grid_worker,13812345678,一队,130304-GG-999,\n"
      "GS1,赵静,grid_worker,13812345678,一队,130304-GG-001,\n"
      "GS6,,grid_worker,13812345678,一队,130304-GG-001,\n"
      "GS7,张伟,grid_worker,13812345678,一队\n"
      "\n"
      "GS8,刘洋,auxiliary_inspector,010-87654321,二队,,\n");
  ASSERT_EQ(csv.good.size(), 3u);
  EXPECT_EQ(csv.good[0].staff_no, "GS1");
  EXPECT_EQ(csv.good[1].name, "李\n敏");
  EXPECT_EQ(csv.good[2].staff_no, "GS8");
  const std::vector<Expected> expected{
      {5, "role", "unknown_role"},  {6, "phone", "invalid_phone"},
      {7, "grids", "unknown_grid"}, {8, "staff_no", "duplicate_staff_no"},
      {9, "name", "empty_name"},    {10, "", "bad_row_width"}};
  ASSERT_EQ(csv.rejected.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].code);
    EXPECT_EQ(csv.rejected[i].line, expected[i].line);
    EXPECT_EQ(csv.rejected[i].field, expected[i].field);
    EXPECT_EQ(csv.rejected[i].code, expected[i].code);
    EXPECT_FALSE(csv.rejected[i].message.empty());
  }
}

TEST(StaffCsv, HeaderWithoutAColumnRefusesTheWholeFile) {
  auto parsed = parse_staff_csv("staff_no,name,role,phone,team,grids\nGS1,a,b,c,d,e\n", known_grid);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.status().code(), "missing_column");
  EXPECT_EQ(parsed.status().field(), "username");
}

TEST(StaffCsv, ColumnsMayComeInAnyOrderAfterAByteOrderMark) {
  const auto csv = must_parse(
      "\xEF\xBB\xBFusername,grids,team,phone,role,name,staff_no\r\n"
      ",130304-GG-001,一队,13912345678,grid_worker,周杰,GS9\r\n");
  ASSERT_EQ(csv.good.size(), 1u);
  EXPECT_EQ(csv.good[0].staff_no, "GS9");
  EXPECT_EQ(csv.good[0].name, "周杰");
}

TEST(StaffPhone, MobilesAndLandlinesWithAreaCodes) {
  struct Case {
    std::string phone;
    bool valid;
  };
  for (const auto& c : std::vector<Case>{{"13812345678", true},
                                         {"19912345678", true},
                                         {"12812345678", false},
                                         {"1381234567", false},
                                         {"138123456789", false},
                                         {"0335-1234567", true},
                                         {"03351234567", true},
                                         {"010-87654321", true},
                                         {"1234567", false},
                                         {"0335-123456", false},
                                         {"0335-12345x7", false},
                                         {"", false}}) {
    SCOPED_TRACE(c.phone);
    EXPECT_EQ(valid_phone(c.phone), c.valid);
  }
}

TEST(StaffPhone, MaskKeepsThePrefixAndTheLastFourDigits) {
  EXPECT_EQ(mask_phone("13812341234"), "138****1234");
  EXPECT_EQ(mask_phone("0335-1234567"), "0335****4567");
}

}  // namespace
}  // namespace cityops
