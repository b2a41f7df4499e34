#include "domain/taxonomy.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

constexpr std::string_view kHeader =
    "code,kind,class_code,class_name,name,department,keywords,register_normal,dispatch_normal,"
    "handle_normal,verify_normal,register_urgent,dispatch_urgent,handle_urgent,verify_urgent,"
    "reopen_on_dissatisfied\n";
constexpr std::string_view kLimits = "1wh,0.5wh,3wd,4wh,0.5nh,0.25nh,4nh,2nh";

// One data row with the usual limits; `fields` is "code,kind,class_code,class_name,name".
std::string row(std::string_view fields, std::string_view department = "city_mgmt",
                std::string_view keywords = "", std::string_view reopen = "true") {
  return std::string(fields) + "," + std::string(department) + "," + std::string(keywords) + "," +
         std::string(kLimits) + "," + std::string(reopen) + "\n";
}

std::vector<Category> parse_ok(const std::string& rows) {
  auto parsed = parse_taxonomy_csv(std::string(kHeader) + rows);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().message();
  return parsed.is_ok() ? std::move(parsed).value() : std::vector<Category>{};
}

TEST(ParseTaxonomy, ReadsEveryField) {
  const auto categories =
      parse_ok("# source\n" + row("01001,component,01,设施,供水井盖", "water", "窨井盖;;井盖丢失") +
               row("06015,matter,06,市容类,沙滩不洁", "", "", "false"));
  ASSERT_EQ(categories.size(), 2u);
  const Category& lid = categories[0];
  EXPECT_EQ(lid.code, "01001");  // leading zero kept
  EXPECT_EQ(lid.class_code, "01");
  EXPECT_EQ(lid.class_name, "设施");
  EXPECT_EQ(lid.name, "供水井盖");
  EXPECT_EQ(lid.department, "water");
  EXPECT_EQ(lid.kind, CategoryKind::kComponent);
  EXPECT_EQ(lid.keywords, (std::vector<std::string>{"窨井盖", "井盖丢失"}));
  EXPECT_TRUE(lid.reopen_on_dissatisfied);
  EXPECT_EQ(lid.limit(Urgency::kNormal, Step::kRegister), (TimeLimit{1, TimeUnit::kWorkingHours}));
  EXPECT_EQ(lid.limit(Urgency::kNormal, Step::kHandle), (TimeLimit{3, TimeUnit::kWorkingDays}));
  EXPECT_EQ(lid.limit(Urgency::kUrgent, Step::kDispatch),
            (TimeLimit{0.25, TimeUnit::kNaturalHours}));
  EXPECT_EQ(lid.limit(Urgency::kUrgent, Step::kVerify), (TimeLimit{2, TimeUnit::kNaturalHours}));

  EXPECT_EQ(categories[1].kind, CategoryKind::kMatter);
  EXPECT_TRUE(categories[1].department.empty());
  EXPECT_TRUE(categories[1].keywords.empty());
  EXPECT_FALSE(categories[1].reopen_on_dissatisfied);
}

TEST(ParseTaxonomy, AcceptsOneCodeInBothKinds) {
  const auto categories = parse_ok(row("01001,component,01,设施,供水井盖") +
                                   row("01001,matter,01,设施类,供水井盖异常"));
  EXPECT_EQ(categories.size(), 2u);
}

TEST(ParseTaxonomy, RefusesBadRows) {
  const struct {
    const char* label;
    std::string rows;
    std::string_view code;
    std::string_view field;
  } cases[] = {
      {"duplicate code", row("06001,matter,06,类,甲") + row("06001,matter,06,类,乙"),
       "duplicate_code", "code"},
      {"four digits", row("0601,matter,06,类,甲"), "bad_code", "code"},
      {"letters", row("06a01,matter,06,类,甲"), "bad_code", "code"},
      {"class mismatch", row("07001,matter,06,类,甲"), "bad_code", "code"},
      {"three-digit class", row("06001,matter,060,类,甲"), "bad_code", "code"},
      {"unknown kind", row("06001,event,06,类,甲"), "unknown_kind", "kind"},
      {"class named twice", row("06001,matter,06,类,甲") + row("06002,matter,06,另类,乙"),
       "inconsistent_class", "class_name"},
      {"empty name", row("06001,matter,06,类,"), "missing_name", "name"},
      {"bad department", row("06001,matter,06,类,甲", "City Mgmt"), "bad_department", "department"},
      {"bad reopen flag", row("06001,matter,06,类,甲", "x", "", "yes"), "bad_flag",
       "reopen_on_dissatisfied"},
      {"not utf-8", row("06001,matter,06,类,\xE4\xBE"), "bad_text", "name"},
      {"missing field", "06001,matter,06,类,甲,x,,1wh\n", "bad_row_width", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed = parse_taxonomy_csv(std::string(kHeader) + c.rows);
    ASSERT_FALSE(parsed.is_ok());
    EXPECT_EQ(parsed.status().code(), c.code) << parsed.status().message();
    EXPECT_EQ(parsed.status().field(), c.field);
  }
}

TEST(ParseTaxonomy, NamesTheLimitThatDoesNotParse) {
  const struct {
    std::string_view limit;
    int position;  // among the eight limit columns
    std::string_view column;
  } cases[] = {
      {"1.5wd", 2, "handle_normal"}, {"0wh", 0, "register_normal"},  {"3", 5, "dispatch_urgent"},
      {"", 7, "verify_urgent"},      {"4hours", 6, "handle_urgent"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.column);
    std::vector<std::string> limits = {"1wh", "1wh", "3wd", "4wh", "1nh", "1nh", "4nh", "2nh"};
    limits[c.position] = std::string(c.limit);
    std::string text = std::string(kHeader) + "06001,matter,06,类,甲,,";
    for (const auto& l : limits) text += "," + l;
    text += ",true\n";
    const auto parsed = parse_taxonomy_csv(text);
    ASSERT_FALSE(parsed.is_ok());
    EXPECT_EQ(parsed.status().code(), "bad_limit");
    EXPECT_EQ(parsed.status().field(), c.column);
  }
}

TEST(ParseTaxonomy, RefusesMissingColumn) {
  std::string header(kHeader);
  header.replace(header.find("verify_urgent"), 13, "verify_later");
  const auto parsed = parse_taxonomy_csv(header);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.status().code(), "missing_column");
  EXPECT_EQ(parsed.status().field(), "verify_urgent");
}

TEST(CheckUniqueCodes, CatchesDuplicatesAcrossFiles) {
  auto first = parse_ok(row("90001,matter,90,扩展类,甲"));
  const auto second = parse_ok(row("90001,matter,90,扩展类,乙"));
  EXPECT_TRUE(check_unique_codes(first).is_ok());
  first.insert(first.end(), second.begin(), second.end());
  EXPECT_EQ(check_unique_codes(first).code(), "duplicate_code");
}

TEST(StepAndUrgency, RoundTripThroughText) {
  for (const auto step : {Step::kRegister, Step::kDispatch, Step::kHandle, Step::kVerify}) {
    EXPECT_EQ(parse_step(to_string(step)), step);
  }
  for (const auto urgency : {Urgency::kNormal, Urgency::kUrgent}) {
    EXPECT_EQ(parse_urgency(to_string(urgency)), urgency);
  }
  EXPECT_EQ(to_string(Step::kVerify), "verify");
  EXPECT_EQ(to_string(Urgency::kUrgent), "urgent");
  EXPECT_EQ(to_string(CategoryKind::kComponent), "component");
  EXPECT_FALSE(parse_step("close"));
  EXPECT_FALSE(parse_urgency("Urgent"));
  EXPECT_FALSE(parse_category_kind("part"));
}

class TaxonomyTest : public ::testing::Test {
 protected:
  Taxonomy taxonomy_{parse_ok(row("01001,component,01,设施,供水井盖", "water", "窨井盖") +
                              row("01037,component,01,设施,路灯", "city_mgmt", "灯不亮") +
                              row("01001,matter,01,设施类,供水井盖异常") +
                              row("06015,matter,06,市容类,沙滩不洁", "", "海滩;浴场") +
                              row("09009,matter,09,秩序类,机动车乱停放", "", "违停;ATM") +
                              row("90001,matter,90,扩展类,ATM故障"))};

  std::vector<std::string> names(std::string_view query, size_t limit = 10) const {
    std::vector<std::string> out;
    for (const Category* c : taxonomy_.search(query, limit)) out.push_back(c->name);
    return out;
  }
};

TEST_F(TaxonomyTest, FindsByBareOrQualifiedReference) {
  ASSERT_NE(taxonomy_.find("01001"), nullptr);
  EXPECT_EQ(taxonomy_.find("01001")->name, "供水井盖");  // the component wins a bare code
  EXPECT_EQ(taxonomy_.find("matter:01001")->name, "供水井盖异常");
  EXPECT_EQ(taxonomy_.find("component:01001")->name, "供水井盖");
  EXPECT_EQ(taxonomy_.find("06015")->name, "沙滩不洁");
  EXPECT_EQ(taxonomy_.find(CategoryKind::kMatter, "06015")->name, "沙滩不洁");
  EXPECT_EQ(taxonomy_.find("component:06015"), nullptr);
  EXPECT_EQ(taxonomy_.find("1001"), nullptr);
  EXPECT_EQ(taxonomy_.find("event:06015"), nullptr);
  EXPECT_EQ(taxonomy_.find(""), nullptr);
  EXPECT_EQ(taxonomy_.all().size(), 6u);
}

TEST_F(TaxonomyTest, RefOfResolvesBackToTheSameCategory) {
  for (const Category& c : taxonomy_.all()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(taxonomy_.find(taxonomy_.ref_of(c)), &c);
  }
  EXPECT_EQ(taxonomy_.ref_of(*taxonomy_.find("matter:01001")), "matter:01001");
  EXPECT_EQ(taxonomy_.ref_of(*taxonomy_.find("06015")), "06015");
}

TEST_F(TaxonomyTest, SearchRanksCodeThenNameThenKeyword) {
  const struct {
    const char* label;
    std::string_view query;
    std::vector<std::string> expected;
  } cases[] = {
      {"exact code first, then prefix", "01001", {"供水井盖", "供水井盖异常"}},
      {"code prefix", "0", {"供水井盖", "路灯", "供水井盖异常", "沙滩不洁", "机动车乱停放"}},
      {"exact name before prefix", "供水井盖", {"供水井盖", "供水井盖异常"}},
      {"substring", "井盖", {"供水井盖", "供水井盖异常"}},
      {"keyword", "海滩", {"沙滩不洁"}},
      {"keyword substring", "不亮", {"路灯"}},
      {"name before keyword", "ATM", {"ATM故障", "机动车乱停放"}},
      {"ascii folded", "atm", {"ATM故障", "机动车乱停放"}},
      {"spaces trimmed", "  违停 ", {"机动车乱停放"}},
      {"no match", "火警", {}},
      {"empty", "", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(names(c.query), c.expected);
  }
}

TEST_F(TaxonomyTest, SearchHonoursTheLimit) {
  EXPECT_EQ(names("0", 2), (std::vector<std::string>{"供水井盖", "路灯"}));
  EXPECT_TRUE(names("0", 0).empty());
}

// "供水" is E4 BE 9B E6 B0 B4. Its middle four bytes form no character; a byte search that
// did not check the query would still find them inside "供水井盖".
TEST_F(TaxonomyTest, SearchNeverMatchesPartOfACharacter) {
  const std::string whole = "供水";
  ASSERT_EQ(whole.size(), 6u);
  EXPECT_TRUE(names(whole.substr(1, 4)).empty());
  EXPECT_TRUE(names(whole.substr(0, 2)).empty());
  EXPECT_EQ(names(whole.substr(0, 3)).size(), 2u);  // "供" alone is a whole character
}

}  // namespace
}  // namespace cityops
