#include "domain/mapping.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

TEST(ParseMapping, ReadsKeysVerbatimWithQuotesAndComments) {
  const auto parsed = parse_mapping_csv(
      "# source note\nlabel,category,note\n城乡建设,90001,x\n\"Noise, Park\",06028,\n", "label");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  const std::map<std::string, std::string> expected = {{"城乡建设", "90001"},
                                                       {"Noise, Park", "06028"}};
  EXPECT_EQ(*parsed, expected);
}

TEST(ParseMapping, RefusesBadInput) {
  const struct {
    const char* label;
    std::string_view text;
    std::string_view code;
  } cases[] = {
      {"key column absent", "type,category\na,1\n", "missing_column"},
      {"category column absent", "label,code\na,1\n", "missing_column"},
      {"empty key", "label,category\n,06028\n", "missing_value"},
      {"empty category", "label,category\na,\n", "missing_value"},
      {"duplicate key", "label,category\na,1\na,2\n", "duplicate_key"},
      {"stray comma", "label,category\na,1,2\n", "bad_row_width"},
      {"broken quoting", "label,category\n\"a,1\n", "malformed_csv"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parsed = parse_mapping_csv(c.text, "label");
    ASSERT_FALSE(parsed.is_ok());
    EXPECT_EQ(parsed.status().code(), c.code) << parsed.status().message();
  }
}

}  // namespace
}  // namespace cityops
