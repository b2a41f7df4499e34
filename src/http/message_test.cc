// Percent-decoding and query strings: what a request line's target turns into, and which
// escapes are refused.
#include "http/message.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cityops::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  const struct {
    const char* label;
    std::string text;
    bool plus_is_space;
    std::optional<std::string> decoded;
  } cases[] = {
      {"empty", "", true, ""},
      {"plain", "cases", false, "cases"},
      {"space escape", "a%20b", false, "a b"},
      {"lower-case hex", "%2f%2F", false, "//"},
      {"escape at the very end", "ab%41", false, "abA"},
      {"escape alone", "%41", false, "A"},
      {"plus as space in queries", "a+b", true, "a b"},
      {"plus kept in paths", "a+b", false, "a+b"},
      {"escaped plus stays plus", "%2B", true, "+"},
      {"UTF-8 bytes", "%E5%8C%97%E6%88%B4%E6%B2%B3", false, "北戴河"},
      {"NUL byte", "a%00b", false, std::string("a\0b", 3)},
      {"escaped percent is not decoded twice", "%2541", false, "%41"},
      {"lone percent", "%", false, std::nullopt},
      {"percent at the end", "abc%", false, std::nullopt},
      {"one hex digit at the end", "abc%4", false, std::nullopt},
      {"non-hex first digit", "%G1", false, std::nullopt},
      {"non-hex second digit", "%1G", false, std::nullopt},
      {"space inside escape", "% 1", false, std::nullopt},
      {"sign inside escape", "%+1", true, std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(percent_decode(c.text, c.plus_is_space), c.decoded);
  }
}

TEST(ParseQuery, SplitsAndDecodesPairsInOrder) {
  const struct {
    const char* label;
    const char* query;
    Pairs pairs;
  } cases[] = {
      {"empty", "", {}},
      {"one pair", "state=reported", {{"state", "reported"}}},
      {"order and repeats kept",
       "state=reported&state=closed&limit=5",
       {{"state", "reported"}, {"state", "closed"}, {"limit", "5"}}},
      {"key without value", "flag", {{"flag", ""}}},
      {"empty value", "street=", {{"street", ""}}},
      {"empty key", "=x", {{"", "x"}}},
      {"empty parts skipped", "&&a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"only the first = splits", "bbox=a=b", {{"bbox", "a=b"}}},
      {"decoded key and value",
       "q%20x=%E4%BA%95%E7%9B%96+%E7%BC%BA%E5%A4%B1",
       {{"q x", "井盖 缺失"}}},
      {"escaped separators are data", "a=1%262&b=%3D", {{"a", "1&2"}, {"b", "="}}},
      {"RFC 3339 offset",
       "from=2026-12-05T00%3A30%3A00%2B08%3A00",
       {{"from", "2026-12-05T00:30:00+08:00"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    Pairs out;
    ASSERT_TRUE(parse_query(c.query, out));
    EXPECT_EQ(out, c.pairs);
  }
}

TEST(ParseQuery, RefusesMalformedEscapes) {
  const struct {
    const char* label;
    const char* query;
  } cases[] = {
      {"bad escape in value", "a=%zz"},
      {"truncated escape in value", "a=1&b=%4"},
      {"bad escape in key", "%g0=1"},
      {"lone percent", "a=%"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    Pairs out;
    EXPECT_FALSE(parse_query(c.query, out));
  }
}

TEST(Request, HeaderFindsTheFirstOfAName) {
  Request req;
  req.headers = {{"accept", "application/json"}, {"x-tag", "one"}, {"x-tag", "two"}};
  EXPECT_EQ(req.header("x-tag"), std::optional<std::string_view>("one"));
  EXPECT_EQ(req.header("accept"), std::optional<std::string_view>("application/json"));
  EXPECT_FALSE(req.header("authorization").has_value());
}

}  // namespace
}  // namespace cityops::http
