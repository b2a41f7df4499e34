// The service catalogue against the project's own taxonomy and attribute file, and the
// checking of answers against hand-written definitions.
#include "open311/catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/source_dir.h"

namespace cityops::open311 {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Taxonomy project_taxonomy() {
  const fs::path data = fs::path(source_dir()) / "data/reference";
  auto main = parse_taxonomy_csv(read_file(data / "taxonomy-gbt47678.5-2026.csv"));
  auto extension = parse_taxonomy_csv(read_file(data / "taxonomy-beidaihe-extension.csv"));
  EXPECT_TRUE(main && extension);
  auto all = std::move(main).value();
  for (auto& c : *extension) all.push_back(std::move(c));
  return Taxonomy(std::move(all));
}

constexpr char kHeader[] =
    "service_code,code,datatype,required,order,description,datatype_description,values\n";

Catalogue small_catalogue() {
  const std::string text = std::string(kHeader) +
                           "06015,section,singlevaluelist,true,2,哪一段？,,a=甲|b=乙\n"
                           "06015,kinds,multivaluelist,false,1,什么？,,x=X|y=Y|z=Z\n"
                           "06015,seen,datetime,false,3,何时？,,\n"
                           "06015,count,number,false,4,几处？,,\n"
                           "06015,plate,string,false,5,车牌,,\n"
                           "06015,notes,text,false,6,说明,,\n";
  auto attributes = parse_attributes_csv(text);
  EXPECT_TRUE(attributes) << attributes.status().message();
  auto catalogue = Catalogue::build(project_taxonomy(), std::move(attributes).value());
  EXPECT_TRUE(catalogue) << catalogue.status().message();
  return std::move(catalogue).value();
}

TEST(Catalogue, ServicesAreTheMattersAndTheFileParses) {
  const auto text = read_file(fs::path(source_dir()) / "data/open311/service-attributes.csv");
  auto attributes = parse_attributes_csv(text);
  ASSERT_TRUE(attributes) << attributes.status().message();
  auto catalogue = Catalogue::build(project_taxonomy(), std::move(attributes).value());
  ASSERT_TRUE(catalogue) << catalogue.status().message();
  // 250 matters of GB/T 47678.5 and 18 of the district's extension; no components.
  EXPECT_EQ(catalogue->services().size(), 268u);
  for (const auto& s : catalogue->services()) EXPECT_EQ(s.kind, CategoryKind::kMatter);
  ASSERT_NE(catalogue->find("1001"), nullptr);
  EXPECT_EQ(catalogue->find("1001")->name, "供水井盖异常");
  EXPECT_EQ(catalogue->find("01001"), catalogue->find("1001"));
  EXPECT_EQ(catalogue->find("99999"), nullptr);
  EXPECT_EQ(catalogue->find("x1"), nullptr);
  // Every datatype of the specification is in use somewhere.
  std::set<std::string> types;
  for (const auto& s : catalogue->services()) {
    for (const auto& a : catalogue->attributes(s.code))
      types.insert(std::string(to_string(a.datatype)));
  }
  EXPECT_EQ(types, (std::set<std::string>{"string", "number", "datetime", "text", "singlevaluelist",
                                          "multivaluelist"}));
  const auto& beach = catalogue->attributes("06015");
  ASSERT_FALSE(beach.empty());
  EXPECT_EQ(beach.front().code, "beach_section");
  EXPECT_TRUE(beach.front().required);
}

TEST(Catalogue, AttributesAreSortedByOrder) {
  const auto catalogue = small_catalogue();
  const auto& list = catalogue.attributes("6015");
  ASSERT_EQ(list.size(), 6u);
  EXPECT_EQ(list[0].code, "kinds");
  EXPECT_EQ(list[1].code, "section");
}

TEST(Catalogue, AcceptsGoodAnswers) {
  const auto catalogue = small_catalogue();
  auto answers = catalogue.check("06015", {{"section", "b"},
                                           {"kinds", "x"},
                                           {"kinds", "z"},
                                           {"seen", "2026-07-01T09:30:00+08:00"},
                                           {"count", "2.5"},
                                           {"plate", "冀C·12345"},
                                           {"notes", ""}});
  ASSERT_TRUE(answers) << answers.status().message();
  EXPECT_EQ(answers->at("section"), std::vector<std::string>{"b"});
  EXPECT_EQ(answers->at("kinds"), (std::vector<std::string>{"x", "z"}));
  EXPECT_EQ(answers->count("notes"), 0u);
}

TEST(Catalogue, RefusesBadAnswersNamingTheAttribute) {
  const auto catalogue = small_catalogue();
  struct Bad {
    RawAnswers raw;
    std::string code;
    std::string field;
  };
  const std::vector<Bad> cases = {
      {{}, "missing_attribute", "attribute[section]"},
      {{{"section", "c"}}, "invalid_attribute_value", "attribute[section]"},
      {{{"section", "a"}, {"section", "b"}}, "too_many_values", "attribute[section]"},
      {{{"section", "a"}, {"kinds", "x"}, {"kinds", "x"}}, "repeated_value", "attribute[kinds]"},
      {{{"section", "a"}, {"seen", "2026-07-01 09:30"}}, "invalid_datetime", "attribute[seen]"},
      {{{"section", "a"}, {"count", "two"}}, "invalid_number", "attribute[count]"},
      {{{"section", "a"}, {"count", "inf"}}, "invalid_number", "attribute[count]"},
      {{{"section", "a"}, {"count", "-3"}}, "invalid_number", "attribute[count]"},
      {{{"section", "a"}, {"count", "1e308"}}, "invalid_number", "attribute[count]"},
      {{{"section", "a"}, {"plate", "a\x01b"}}, "invalid_text", "attribute[plate]"},
      {{{"section", "a"}, {"plate", std::string(201, 'x')}},
       "attribute_too_long",
       "attribute[plate]"},
      {{{"section", "a"}, {"colour", "red"}}, "unknown_attribute", "attribute[colour]"},
  };
  for (const auto& bad : cases) {
    auto result = catalogue.check("06015", bad.raw);
    ASSERT_FALSE(result) << bad.code;
    EXPECT_EQ(result.status().code(), bad.code);
    EXPECT_EQ(result.status().field(), bad.field);
  }
  // A service without questions takes no answers.
  EXPECT_FALSE(catalogue.check("06034", {{"section", "a"}}));
  EXPECT_TRUE(catalogue.check("06034", {}));
}

TEST(Catalogue, RefusesMalformedDefinitions) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"06015,a,colour,false,1,d,,\n", "unknown_datatype"},
      {"06015,a,singlevaluelist,false,1,d,,\n", "bad_values"},
      {"06015,a,string,false,1,d,,x=1\n", "bad_values"},
      {"06015,a,singlevaluelist,false,1,d,,x\n", "bad_value"},
      {"06015,a,singlevaluelist,false,1,d,,x=1|x=2\n", "duplicate_value"},
      {"06015,a,string,yes,1,d,,\n", "bad_required"},
      {"06015,a,string,false,0,d,,\n", "bad_order"},
      {"06015,A-b,string,false,1,d,,\n", "bad_code"},
      {"6x015,a,string,false,1,d,,\n", "bad_code"},
      {"06015,a,string,false,1,d,,\n06015,a,text,false,2,d,,\n", "duplicate_attribute"},
  };
  for (const auto& [row, code] : rows) {
    auto parsed = parse_attributes_csv(std::string(kHeader) + row);
    ASSERT_FALSE(parsed) << row;
    EXPECT_EQ(parsed.status().code(), code) << row;
  }
  auto unknown = parse_attributes_csv(std::string(kHeader) + "88888,a,string,false,1,d,,\n");
  ASSERT_TRUE(unknown);
  auto built = Catalogue::build(project_taxonomy(), std::move(unknown).value());
  ASSERT_FALSE(built);
  EXPECT_EQ(built.status().code(), "unknown_service");
}

}  // namespace
}  // namespace cityops::open311
