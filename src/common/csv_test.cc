#include "common/csv.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "support/shared_data.h"

namespace cityops {
namespace {

using Rows = std::vector<CsvRow>;

struct GoodCase {
  const char* label;
  std::string_view text;
  bool allow_comments;
  Rows expected;
};

TEST(ParseCsv, ReadsWellFormedText) {
  const GoodCase cases[] = {
      {"plain", "a,b\n1,2\n", false, {{"a", "b"}, {"1", "2"}}},
      {"no final newline", "a,b\n1,2", false, {{"a", "b"}, {"1", "2"}}},
      {"crlf", "a,b\r\n1,2\r\n", false, {{"a", "b"}, {"1", "2"}}},
      {"empty fields", ",x,\n", false, {{"", "x", ""}}},
      {"trailing comma at end of text", "a,", false, {{"a", ""}}},
      {"quoted comma", "\"a,b\",c\n", false, {{"a,b", "c"}}},
      {"doubled quote", "\"say \"\"hi\"\"\"\n", false, {{"say \"hi\""}}},
      {"newline inside quotes", "\"two\nlines\",x\n", false, {{"two\nlines", "x"}}},
      {"crlf inside quotes kept", "\"a\r\nb\"\r\n", false, {{"a\r\nb"}}},
      {"empty quoted field", "\"\",x\n", false, {{"", "x"}}},
      {"bom stripped",
       "\xEF\xBB\xBF"
       "code,name\n",
       false,
       {{"code", "name"}}},
      {"blank lines skipped", "a\n\n\r\nb\n", false, {{"a"}, {"b"}}},
      {"utf-8 text", "01001,供水井盖\n", false, {{"01001", "供水井盖"}}},
      {"comment skipped", "# source\na\n#x,y\nb\n", true, {{"a"}, {"b"}}},
      {"comment with crlf", "# note\r\na\r\n", true, {{"a"}}},
      {"hash is data without comments", "#a,b\n", false, {{"#a", "b"}}},
      {"hash mid-record is data", "a,#b\n", true, {{"a", "#b"}}},
      {"quoted hash is data", "\"#a\"\n", true, {{"#a"}}},
      {"empty text", "", false, {}},
  };
  for (const GoodCase& c : cases) {
    SCOPED_TRACE(c.label);
    const auto rows = parse_csv(c.text, c.allow_comments);
    ASSERT_TRUE(rows.is_ok()) << rows.status().message();
    EXPECT_EQ(*rows, c.expected);
  }
}

TEST(ParseCsv, RefusesMalformedText) {
  const struct {
    const char* label;
    std::string_view text;
    std::string_view line;  // the message names the line
  } cases[] = {
      {"unterminated quote", "a\n\"open,b\n", "line 2"},
      {"quote inside unquoted field", "ab\"c\n", "line 1"},
      {"text after closing quote", "\"a\"b,c\n", "line 1"},
      {"bare carriage return", "a\rb\n", "line 1"},
      {"line counted across quoted newlines", "\"x\ny\",\"z\"w\n", "line 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto rows = parse_csv(c.text, false);
    ASSERT_FALSE(rows.is_ok());
    EXPECT_EQ(rows.status().code(), "malformed_csv");
    EXPECT_NE(rows.status().message().find(c.line), std::string::npos) << rows.status().message();
  }
}

TEST(LocateColumns, FindsColumnsInRequestedOrder) {
  const CsvRow header = {"name", "code", "kind"};
  const auto at = locate_columns(header, {"code", "kind", "name"});
  ASSERT_TRUE(at.is_ok());
  EXPECT_EQ(*at, (std::vector<size_t>{1, 2, 0}));
}

TEST(LocateColumns, NamesTheMissingOrDuplicatedColumn) {
  const auto missing = locate_columns({"code", "name"}, {"code", "street"});
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), "missing_column");
  EXPECT_EQ(missing.status().field(), "street");
  EXPECT_NE(missing.status().message().find("street"), std::string::npos);

  const auto twice = locate_columns({"code", "code"}, {"code"});
  ASSERT_FALSE(twice.is_ok());
  EXPECT_EQ(twice.status().code(), "duplicate_column");
}

TEST(CheckRowWidth, RefusesShortAndLongRows) {
  EXPECT_TRUE(check_row_width({"a", "b"}, 2, 1).is_ok());
  EXPECT_EQ(check_row_width({"a"}, 2, 7).code(), "bad_row_width");
  EXPECT_NE(check_row_width({"a", "b", "c"}, 2, 7).message().find("row 7"), std::string::npos);
}

// The NYC 311 sample has quoted fields with commas ("(40.66, -73.99)") on most rows.
TEST(ParseCsv, ReadsTheNyc311SampleWithUniformWidth) {
  CITYOPS_REQUIRE_SHARED_DATA(data);
  std::ifstream in(data / "nyc311" / "nyc311_2011_subset_2000rows.csv", std::ios::binary);
  ASSERT_TRUE(in) << "cannot open the NYC 311 sample";
  std::stringstream text;
  text << in.rdbuf();

  const auto rows = parse_csv(text.str(), false);
  ASSERT_TRUE(rows.is_ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2001u);  // header + 2,000 requests, as the file's name says
  EXPECT_EQ(rows->front().size(), 41u);
  for (size_t r = 1; r < rows->size(); ++r) {
    ASSERT_TRUE(check_row_width((*rows)[r], 41, r).is_ok()) << "row " << r;
  }
  EXPECT_EQ((*rows)[1][0], "19937896");
  EXPECT_EQ((*rows)[1][5], "DOF Property - Payment Issue");
  const auto at = locate_columns(rows->front(), {"Location"});
  ASSERT_TRUE(at.is_ok());
  EXPECT_EQ((*rows)[2][(*at)[0]], "(40.660811976282695, -73.99859430999363)");
}

}  // namespace
}  // namespace cityops
