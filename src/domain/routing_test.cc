#include "domain/routing.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

constexpr std::string_view kStreetA = "130304001";
constexpr std::string_view kStreetB = "130304002";
constexpr std::string_view kNoOffice = "130304009";

Category category(std::string code, std::string department) {
  Category c;
  c.code = code;
  c.class_code = code.substr(0, 2);
  c.name = "类别" + code;
  c.department = std::move(department);
  return c;
}

std::vector<Department> departments() {
  return {
      {"city_mgmt", "城管局", DepartmentKind::kAgency, ""},
      {"tourism", "文旅局", DepartmentKind::kAgency, ""},
      {"police", "交警", DepartmentKind::kAgency, ""},
      {"market", "市场局", DepartmentKind::kAgency, ""},
      {"sanitation", "环卫公司", DepartmentKind::kEnterprise, ""},
      {"office_a", "甲街道", DepartmentKind::kStreetOffice, std::string(kStreetA)},
      {"office_b", "乙街道", DepartmentKind::kStreetOffice, std::string(kStreetB)},
  };
}

// Category 06015 has a rule at every level; 06001 only class rules; 07001 nothing but its
// default; 05001 an unknown default; 05002 none at all.
std::vector<RoutingRule> rules() {
  return {
      {"06015", std::string(kStreetA), "tourism", {"office_a", "sanitation"}},
      {"06015", "*", "tourism", {"@street", "tourism", "sanitation", "@street"}},
      {"06", std::string(kStreetA), "office_a", {"city_mgmt"}},
      {"06", "*", "city_mgmt", {}},
      {"09009", "*", "police", {}},
      {"09", "*", "@street", {"market"}},
  };
}

TEST(Router, AppliesRulesFromMostToLeastSpecific) {
  const Router router(rules(), departments());
  const struct {
    const char* label;
    Category category;
    std::string_view street;
    std::string lead;
    std::vector<std::string> co;
    std::string_view reason;  // a fragment of the reason
  } cases[] = {
      {"category + street",
       category("06015", "sanitation"),
       kStreetA,
       "tourism",
       {"office_a", "sanitation"},
       "06015 / 130304001"},
      {"category + any, @street resolved, repeats and the lead dropped",
       category("06015", "sanitation"),
       kStreetB,
       "tourism",
       {"office_b", "sanitation"},
       "06015 / *"},
      {"category + any, @street dropped without an office",
       category("06015", "sanitation"),
       kNoOffice,
       "tourism",
       {"sanitation"},
       "06015 / *"},
      {"class + street beats the default",
       category("06001", "sanitation"),
       kStreetA,
       "office_a",
       {"city_mgmt"},
       "06 / 130304001"},
      {"class + any", category("06001", "sanitation"), kStreetB, "city_mgmt", {}, "06 / *"},
      {"category rule beats class rule",
       category("09009", "market"),
       kStreetA,
       "police",
       {},
       "09009 / *"},
      {"@street as lead", category("09001", "market"), kStreetB, "office_b", {"market"}, "09 / *"},
      {"@street lead without office falls through to default",
       category("09001", "market"),
       kNoOffice,
       "market",
       {},
       "default department"},
      {"default department",
       category("07001", "sanitation"),
       kStreetA,
       "sanitation",
       {},
       "default department of category 07001"},
      {"unknown default goes to the street office",
       category("05001", "nobody"),
       kStreetB,
       "office_b",
       {},
       "territorial"},
      {"empty default goes to the street office",
       category("05002", ""),
       kStreetA,
       "office_a",
       {},
       "territorial"},
      {"nothing at all", category("05002", ""), kNoOffice, "", {}, "no route"},
      {"no street given", category("05002", ""), "", "", {}, "no route"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const RouteDecision decision = router.route(c.category, c.street);
    EXPECT_EQ(decision.lead, c.lead);
    EXPECT_EQ(decision.co_departments, c.co);
    EXPECT_NE(decision.reason.find(c.reason), std::string::npos) << decision.reason;
  }
}

TEST(Router, WildcardScopeCatchesEverythingElse) {
  auto all = rules();
  all.push_back({"*", std::string(kStreetB), "office_b", {}});
  all.push_back({"*", "*", "city_mgmt", {"@street"}});
  const Router router(all, departments());
  EXPECT_EQ(router.route(category("07001", "sanitation"), kStreetB).lead, "office_b");
  const RouteDecision any = router.route(category("07001", "sanitation"), kStreetA);
  EXPECT_EQ(any.lead, "city_mgmt");
  EXPECT_EQ(any.co_departments, (std::vector<std::string>{"office_a"}));
}

TEST(Router, ValidateAcceptsConsistentData) {
  const Taxonomy taxonomy({category("06015", "tourism"), category("09009", "police")});
  EXPECT_TRUE(Router(rules(), departments()).validate(taxonomy).is_ok());
}

TEST(Router, ValidateNamesWhatIsUnknown) {
  const Taxonomy taxonomy({category("06015", "tourism"), category("09009", "police")});
  const struct {
    const char* label;
    RoutingRule extra;
    std::string_view code;
  } cases[] = {
      {"unknown lead", {"06015", "*", "nobody", {}}, "unknown_department"},
      {"unknown co-department",
       {"09009", std::string(kStreetA), "police", {"nobody"}},
       "unknown_department"},
      {"unknown category", {"06099", "*", "police", {}}, "unknown_scope"},
      {"unknown class", {"08", "*", "police", {}}, "unknown_scope"},
      {"street without office", {"09009", std::string(kNoOffice), "police", {}}, "unknown_region"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const Status status = Router({c.extra}, departments()).validate(taxonomy);
    EXPECT_EQ(status.code(), c.code) << status.message();
  }
  const Taxonomy stray({category("06015", "nobody")});
  EXPECT_EQ(Router({}, departments()).validate(stray).code(), "unknown_department");
}

TEST(ParseRouting, ReadsRules) {
  const auto parsed = parse_routing_csv(
      "# note\nscope,region,lead,co_departments\n06015,*,tourism,@street;sanitation\n"
      "06,130304001,office_a,\n*,*,city_mgmt,\n");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0].scope, "06015");
  EXPECT_EQ((*parsed)[0].region, "*");
  EXPECT_EQ((*parsed)[0].lead, "tourism");
  EXPECT_EQ((*parsed)[0].co_departments, (std::vector<std::string>{"@street", "sanitation"}));
  EXPECT_EQ((*parsed)[1].region, "130304001");
  EXPECT_TRUE((*parsed)[1].co_departments.empty());
}

TEST(ParseRouting, RefusesBadRows) {
  const struct {
    const char* label;
    std::string_view row;
    std::string_view code;
  } cases[] = {
      {"three-digit scope", "060,*,a,\n", "bad_scope"},
      {"scope with letters", "06a15,*,a,\n", "bad_scope"},
      {"short region", "06015,1303040,a,\n", "bad_region"},
      {"empty region", "06015,,a,\n", "bad_region"},
      {"empty lead", "06015,*,,\n", "bad_department"},
      {"bad co-department", "06015,*,a,b;Bad Dept\n", "bad_department"},
      {"duplicate rule", "06015,*,a,\n06015,*,b,\n", "duplicate_rule"},
      {"missing field", "06015,*,a\n", "bad_row_width"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed =
        parse_routing_csv("scope,region,lead,co_departments\n" + std::string(c.row));
    ASSERT_FALSE(parsed.is_ok());
    EXPECT_EQ(parsed.status().code(), c.code) << parsed.status().message();
  }
  EXPECT_EQ(parse_routing_csv("scope,region,lead\n").status().code(), "missing_column");
}

}  // namespace
}  // namespace cityops
