// Checks the district's reference files as shipped: they parse, agree with each other, restate
// the shared GB/T 47678.5 list faithfully, and map every outside classification we replay.
#include <gtest/gtest.h>
#include "common/source_dir.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/csv.h"
#include "domain/department.h"
#include "domain/mapping.h"
#include "domain/routing.h"
#include "domain/taxonomy.h"
#include "support/shared_data.h"

namespace cityops {
namespace {

namespace fs = std::filesystem;

const fs::path kProjectData = fs::path(::cityops::source_dir()) / "data";
const std::string_view kStreets[] = {"130304001", "130304002", "130304003", "130304004"};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T>
T must(Result<T> result, std::string_view what) {
  EXPECT_TRUE(result.is_ok()) << what << ": " << result.status().message();
  return result.is_ok() ? std::move(result).value() : T{};
}

std::vector<Category> gbt_categories() {
  return must(
      parse_taxonomy_csv(read_file(kProjectData / "reference/taxonomy-gbt47678.5-2026.csv")),
      "GB/T taxonomy");
}

std::vector<Category> all_categories() {
  auto categories = gbt_categories();
  const auto extension = must(
      parse_taxonomy_csv(read_file(kProjectData / "reference/taxonomy-beidaihe-extension.csv")),
      "extension taxonomy");
  categories.insert(categories.end(), extension.begin(), extension.end());
  return categories;
}

std::vector<Department> departments() {
  return must(parse_departments_csv(read_file(kProjectData / "reference/departments.csv")),
              "departments");
}

Router router() {
  return Router(
      must(parse_routing_csv(read_file(kProjectData / "reference/routing.csv")), "routing"),
      departments());
}

// Reads one column of a shared CSV file, every data row.
std::vector<std::string> shared_column(const fs::path& path, std::string_view column) {
  const auto rows = must(parse_csv(read_file(path), false), path.string());
  if (rows.empty()) return {};
  const auto at = must(locate_columns(rows.front(), {column}), std::string(column));
  std::vector<std::string> values;
  for (size_t r = 1; r < rows.size(); ++r) values.push_back(rows[r].at(at.at(0)));
  return values;
}

TEST(ReferenceData, DepartmentsIncludeTheFourTerritorialOffices) {
  std::map<std::string, std::string> offices;  // street -> name
  for (const Department& d : departments()) {
    if (d.kind == DepartmentKind::kStreetOffice) offices[d.street_code] = d.name;
  }
  ASSERT_EQ(offices.size(), 4u);
  EXPECT_NE(offices["130304001"].find("西山街道"), std::string::npos);
  EXPECT_NE(offices["130304002"].find("东山街道"), std::string::npos);
  EXPECT_NE(offices["130304003"].find("海滨镇"), std::string::npos);
  EXPECT_NE(offices["130304004"].find("戴河镇"), std::string::npos);
}

TEST(ReferenceData, GbtTaxonomyHas153ComponentsAnd250Matters) {
  size_t components = 0, matters = 0;
  for (const Category& c : gbt_categories()) {
    (c.kind == CategoryKind::kComponent ? components : matters)++;
  }
  EXPECT_EQ(components, 153u);
  EXPECT_EQ(matters, 250u);
}

// Every row of the shared transcription is in our file with the same identity, and nothing
// else is: the project file is a restatement, not a variant.
TEST(ReferenceData, GbtTaxonomyRestatesTheSharedList) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  const fs::path source = data / "codes" / "gbt47678.5-2026_parts_and_matters.csv";
  const auto rows = must(parse_csv(read_file(source), false), "shared GB/T list");
  ASSERT_FALSE(rows.empty());
  const auto at =
      must(locate_columns(rows.front(), {"kind", "code5", "major_code", "major_name", "name"}),
           "shared header");
  ASSERT_EQ(rows.size(), 1u + 153u + 250u);

  const Taxonomy taxonomy(gbt_categories());
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    SCOPED_TRACE(row[at[1]] + " " + row[at[4]]);
    const std::string& kind_text = row[at[0]];
    ASSERT_TRUE(kind_text == "管理部件" || kind_text == "管理事项");
    const auto kind = kind_text == "管理部件" ? CategoryKind::kComponent : CategoryKind::kMatter;
    const Category* c = taxonomy.find(kind, row[at[1]]);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->code, row[at[1]]);
    EXPECT_EQ(c->code.size(), 5u);
    EXPECT_EQ(c->class_code, row[at[2]]);
    EXPECT_EQ(c->class_name, row[at[3]]);
    EXPECT_EQ(c->name, row[at[4]]);
  }
  EXPECT_EQ(taxonomy.all().size(), rows.size() - 1);
  ASSERT_NE(taxonomy.find("01001"), nullptr);
  EXPECT_EQ(taxonomy.find("01001")->name, "供水井盖");
}

TEST(ReferenceData, ExtensionStaysOutsideTheStandardClasses) {
  std::set<std::string> standard_classes;
  for (const Category& c : gbt_categories()) standard_classes.insert(c.class_code);
  const auto all = all_categories();
  EXPECT_TRUE(check_unique_codes(all).is_ok());
  for (size_t i = gbt_categories().size(); i < all.size(); ++i) {
    EXPECT_FALSE(standard_classes.contains(all[i].class_code)) << all[i].code;
  }
}

TEST(ReferenceData, RoutingValidatesAgainstTaxonomyAndDepartments) {
  const Status status = router().validate(Taxonomy(all_categories()));
  EXPECT_TRUE(status.is_ok()) << status.message();
}

// Each category reaches a known department in every street without the territorial
// fallback, so no case waits for a dispatcher to find an owner.
TEST(ReferenceData, EveryCategoryHasARouteInEveryStreet) {
  const Router r = router();
  std::set<std::string> codes;
  for (const Department& d : departments()) codes.insert(d.code);
  for (const Category& c : all_categories()) {
    for (const std::string_view street : kStreets) {
      SCOPED_TRACE(std::string(to_string(c.kind)) + ":" + c.code + " in " + std::string(street));
      const RouteDecision decision = r.route(c, street);
      EXPECT_TRUE(codes.contains(decision.lead)) << decision.lead;
      EXPECT_EQ(decision.reason.find("territorial"), std::string::npos) << decision.reason;
      for (const std::string& co : decision.co_departments) EXPECT_TRUE(codes.contains(co)) << co;
    }
  }
}

TEST(ReferenceData, DistrictRoutesFollowLocalPractice) {
  const Taxonomy taxonomy(all_categories());
  const Router r = router();
  const struct {
    std::string_view ref, street, lead, co;
  } cases[] = {
      {"06015", "130304003", "culture_tourism", "street_haibin"},  // dirty beach at Haibin
      {"06015", "130304001", "culture_tourism", "street_xishan"},
      {"09009", "130304001", "traffic_police", ""},         // illegal parking
      {"09015", "130304002", "market", "city_mgmt"},        // unlicensed food
      {"06001", "130304004", "street_daihe", "city_mgmt"},  // rural building
      {"06001", "130304001", "city_mgmt", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.ref) + " in " + std::string(c.street));
    const Category* category = taxonomy.find(c.ref);
    ASSERT_NE(category, nullptr);
    const RouteDecision decision = r.route(*category, c.street);
    EXPECT_EQ(decision.lead, c.lead);
    if (!c.co.empty()) {
      EXPECT_NE(std::find(decision.co_departments.begin(), decision.co_departments.end(), c.co),
                decision.co_departments.end());
    }
  }
}

TEST(ReferenceData, SafetyHazardsCountNaturalHoursWhenUrgent) {
  const Taxonomy taxonomy(all_categories());
  for (const std::string_view ref : {"01003", "matter:01003", "01067", "10001"}) {
    SCOPED_TRACE(ref);
    const Category* c = taxonomy.find(ref);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->limit(Urgency::kUrgent, Step::kHandle).unit, TimeUnit::kNaturalHours);
  }
}

void expect_mapping_covers(const std::map<std::string, std::string>& mapping,
                           const std::vector<std::string>& keys, const Taxonomy& taxonomy) {
  for (const std::string& key : std::set<std::string>(keys.begin(), keys.end())) {
    SCOPED_TRACE(key);
    const auto it = mapping.find(key);
    ASSERT_NE(it, mapping.end()) << "not mapped";
    EXPECT_NE(taxonomy.find(it->second), nullptr) << it->second;
  }
  for (const auto& [key, ref] : mapping) {
    EXPECT_NE(taxonomy.find(ref), nullptr) << key << " -> " << ref;
  }
}

TEST(ReferenceData, Nyc311ComplaintTypesAllMap) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  const auto mapping =
      must(parse_mapping_csv(read_file(kProjectData / "mappings/nyc311-complaint-types.csv"),
                             "complaint_type"),
           "NYC mapping");
  const auto types =
      shared_column(data / "nyc311" / "nyc311_2011_subset_2000rows.csv", "Complaint Type");
  ASSERT_EQ(types.size(), 2000u);
  expect_mapping_covers(mapping, types, Taxonomy(all_categories()));
}

TEST(ReferenceData, TipdmLabelsAndKeywordsAllMap) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  const Taxonomy taxonomy(all_categories());
  const auto labels =
      must(parse_mapping_csv(read_file(kProjectData / "mappings/tipdm-labels.csv"), "label"),
           "TipDM labels");
  const auto keywords =
      must(parse_mapping_csv(read_file(kProjectData / "mappings/tipdm-keywords.csv"), "keyword"),
           "TipDM keywords");
  const fs::path messages = data / "cn_complaints" / "tipdm2020_messages_labeled_300.csv";
  const auto seen = shared_column(messages, "label_l1");
  ASSERT_EQ(seen.size(), 300u);
  expect_mapping_covers(labels, seen, taxonomy);
  for (const auto& [keyword, ref] : keywords) {
    EXPECT_NE(taxonomy.find(ref), nullptr) << keyword << " -> " << ref;
  }

  // The keywords do refine: a noise complaint filed under 环境保护 becomes 噪声扰民.
  size_t refined = 0;
  for (const std::string& title : shared_column(messages, "title")) {
    for (const auto& entry : keywords) {
      if (title.find(entry.first) != std::string::npos) {
        ++refined;
        break;
      }
    }
  }
  EXPECT_GE(refined, 40u);  // 44 of the 300 titles when this was written
}

}  // namespace
}  // namespace cityops
