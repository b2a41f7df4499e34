#include "common/utf8.h"

#include <gtest/gtest.h>

namespace cityops {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  // Empty, ASCII, three-byte Chinese, full-width brackets, and a four-byte emoji.
  const std::string_view texts[] = {
      "", "ascii", "供水井盖", "沙（河）滩", "\xF0\x9F\x9A\xA7",
  };
  for (std::string_view text : texts) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(is_valid_utf8(text));
  }
}

TEST(Utf8, RefusesMalformedSequences) {
  const struct {
    const char* label;
    std::string_view text;
  } cases[] = {
      {"stray continuation", "\x80"},
      {"truncated three-byte", "\xE4\xBE"},
      {"half a character", std::string_view("供", 2)},
      {"overlong slash", "\xC0\xAF"},
      {"surrogate", "\xED\xA0\x80"},
      {"above U+10FFFF", "\xF4\x90\x80\x80"},
      {"invalid lead", "\xFF"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_FALSE(is_valid_utf8(c.text));
  }
}

TEST(Utf8, FindsControlCharactersButNotLineBreaks) {
  EXPECT_FALSE(has_control_characters("路边有垃圾\t第二行\r\n第三行"));
  EXPECT_FALSE(has_control_characters(""));
  EXPECT_TRUE(
      has_control_characters(std::string("a\x01"
                                         "b")));
  EXPECT_TRUE(has_control_characters(std::string("a\0b", 3)));
  EXPECT_TRUE(has_control_characters("\x7f"));
  EXPECT_TRUE(has_control_characters("\x1b[31m"));
}

}  // namespace
}  // namespace cityops
