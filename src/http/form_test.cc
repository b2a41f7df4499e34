// Form bodies: urlencoded pairs, header parameters, and multipart bodies built here to show
// each rule and each kind of malformed input. Bodies from real encoders are in
// form_encoders_test.cc.
#include "http/form.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cityops::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(FormContentType, ComparesTheMediaTypeOnly) {
  EXPECT_TRUE(is_form_content_type("application/x-www-form-urlencoded"));
  EXPECT_TRUE(is_form_content_type("Application/X-WWW-Form-URLEncoded; charset=UTF-8"));
  EXPECT_TRUE(is_form_content_type("  application/x-www-form-urlencoded ;charset=utf-8"));
  EXPECT_FALSE(is_form_content_type("application/x-www-form-urlencoded-not"));
  EXPECT_FALSE(is_form_content_type("multipart/form-data; boundary=x"));
  EXPECT_FALSE(is_form_content_type(""));

  EXPECT_TRUE(is_multipart("multipart/form-data; boundary=x"));
  EXPECT_TRUE(is_multipart("MULTIPART/Form-Data;boundary=\"x\""));
  EXPECT_TRUE(is_multipart("multipart/form-data"));
  EXPECT_FALSE(is_multipart("multipart/mixed; boundary=x"));
  EXPECT_FALSE(is_multipart("application/json"));
  EXPECT_FALSE(is_multipart(""));
}

TEST(UrlencodedForm, DecodesPairsInOrder) {
  const struct {
    const char* label;
    std::string body;
    Pairs pairs;
  } cases[] = {
      {"empty body", "", {}},
      {"one pair", "service_code=0101", {{"service_code", "0101"}}},
      {"plus is a space", "description=big+hole", {{"description", "big hole"}}},
      {"escaped plus stays plus", "a=1%2B1", {{"a", "1+1"}}},
      {"escaped ampersand and equals", "q=a%26b%3Dc", {{"q", "a&b=c"}}},
      {"UTF-8 escapes", "address=%E6%B5%B7%E5%AE%81%E8%B7%AF", {{"address", "海宁路"}}},
      {"empty pairs skipped", "&a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"name without equals", "flag&a=1", {{"flag", ""}, {"a", "1"}}},
      {"empty value", "a=", {{"a", ""}}},
      {"empty name kept", "=x", {{"", "x"}}},
      {"second equals is part of the value", "a=b=c", {{"a", "b=c"}}},
      {"repeated names kept in order", "m=1&m=2", {{"m", "1"}, {"m", "2"}}},
      {"brackets kept verbatim",
       "attribute%5BWHISHETN%5D=1&attribute[color][]=red",
       {{"attribute[WHISHETN]", "1"}, {"attribute[color][]", "red"}}},
      {"NUL byte", "a=x%00y", {{"a", std::string("x\0y", 3)}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    Pairs out;
    ASSERT_TRUE(parse_urlencoded_form(c.body, out));
    EXPECT_EQ(out, c.pairs);
  }
}

TEST(UrlencodedForm, MalformedEscapeLeavesOutputAlone) {
  for (const char* body : {"a=%", "a=1&b=%4", "a=%zz", "%G0=1", "a=1&b=2&c=%"}) {
    SCOPED_TRACE(body);
    Pairs out = {{"kept", "yes"}};
    EXPECT_FALSE(parse_urlencoded_form(body, out));
    EXPECT_EQ(out, (Pairs{{"kept", "yes"}}));
  }
}

TEST(UrlencodedForm, AppendsToWhatIsThere) {
  Pairs out = {{"from_query", "1"}};
  ASSERT_TRUE(parse_urlencoded_form("lat=39.8&long=119.4", out));
  EXPECT_EQ(out, (Pairs{{"from_query", "1"}, {"lat", "39.8"}, {"long", "119.4"}}));
}

TEST(HeaderParameter, FindsQuotedAndBareValues) {
  const struct {
    const char* label;
    std::string header;
    std::string name;
    std::optional<std::string> value;
  } cases[] = {
      {"bare", "multipart/form-data; boundary=abc", "boundary", "abc"},
      {"quoted", "multipart/form-data; boundary=\"a b=c\"", "boundary", "a b=c"},
      {"name in any case", "multipart/form-data; BOUNDARY=abc", "boundary", "abc"},
      {"spaces around", "form-data ;  name = \"x\" ; filename=y", "name", "x"},
      {"no space after semicolon", "form-data;name=\"x\";filename=\"y\"", "filename", "y"},
      {"filename is not name", "form-data; filename=\"f\"; name=\"n\"", "name", "n"},
      {"semicolon inside quotes", "form-data; filename=\"a;b.jpg\"; name=\"m\"", "name", "m"},
      {"escaped quote", R"(form-data; filename="say \"hi\".txt")", "filename", "say \"hi\".txt"},
      {"escaped backslash", R"(form-data; filename="a\\b")", "filename", R"(a\b)"},
      {"Windows path kept", R"(form-data; filename="C:\photos\hole.jpg")", "filename",
       R"(C:\photos\hole.jpg)"},
      {"empty quoted", "form-data; name=\"\"", "name", ""},
      {"first of two wins", "form-data; name=a; name=b", "name", "a"},
      {"absent", "form-data; name=\"x\"", "filename", std::nullopt},
      {"type is not a parameter", "name=x", "name", std::nullopt},
      {"parameter without value", "form-data; name; filename=f", "name", std::nullopt},
      {"unclosed quote", "form-data; name=\"abc", "name", std::nullopt},
      {"nothing found past an unclosed quote", "form-data; a=\"x; name=y", "name", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(header_parameter(c.header, c.name), c.value);
  }
}

// A body built around `data`, with the given boundary.
std::string one_part_body(std::string_view boundary, std::string_view data) {
  std::string body = "--" + std::string(boundary) + "\r\n";
  body += "Content-Disposition: form-data; name=\"media\"; filename=\"x.bin\"\r\n\r\n";
  body += data;
  body += "\r\n--" + std::string(boundary) + "--\r\n";
  return body;
}

TEST(Multipart, KeepsEveryByteValue) {
  std::string data;
  for (int i = 0; i < 256; ++i) data.push_back(static_cast<char>(i));
  // Near misses of the delimiter, and line breaks at the very edges of the data.
  data = "\r\n" + data + "\r\n--boundar\r\n-boundary\n--boundary\r--boundaryX\r\n\r\n";
  const auto parts =
      parse_multipart("multipart/form-data; boundary=boundaryX", one_part_body("boundaryX", data));
  ASSERT_TRUE(parts) << parts.status().message();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, data);
}

TEST(Multipart, QuotedAndBareBoundariesAgree) {
  const std::string body = one_part_body("b1", "same");
  for (const char* header :
       {"multipart/form-data; boundary=b1", "multipart/form-data; boundary=\"b1\"",
        "Multipart/Form-Data;Boundary=b1; charset=utf-8"}) {
    SCOPED_TRACE(header);
    const auto parts = parse_multipart(header, body);
    ASSERT_TRUE(parts) << parts.status().message();
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].data, "same");
  }
}

TEST(Multipart, IgnoresPreambleEpilogueAndPadding) {
  const std::string body =
      "This is a preamble.\r\n--xyz  \t\r\n"
      "content-disposition: form-data; name=\"a\"\r\n"
      "X-Unknown: ignored\r\n"
      "\r\n"
      "1\r\n--xyz\r\n"
      "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
      "\r\n--xyz--\r\nThis is an epilogue with --xyz in it.";
  const auto parts = parse_multipart("multipart/form-data; boundary=xyz", body);
  ASSERT_TRUE(parts) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "a");
  EXPECT_EQ((*parts)[0].data, "1");
  EXPECT_EQ((*parts)[1].name, "empty");
  EXPECT_EQ((*parts)[1].data, "");
}

TEST(Multipart, FormWithoutFieldsIsEmpty) {
  const auto parts = parse_multipart("multipart/form-data; boundary=b", "--b--\r\n");
  ASSERT_TRUE(parts) << parts.status().message();
  EXPECT_TRUE(parts->empty());
}

TEST(Multipart, RefusesOtherMediaTypes) {
  const auto parts = parse_multipart("application/json", "{}");
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.status().kind(), ErrorKind::kUnsupportedMedia);
  EXPECT_EQ(parts.status().code(), "unsupported_media_type");
}

TEST(Multipart, RefusesMalformedBodies) {
  const std::string ok_part = "Content-Disposition: form-data; name=\"a\"\r\n\r\nv";
  const struct {
    const char* label;
    std::string content_type;
    std::string body;
    const char* message_part;
  } cases[] = {
      {"no boundary parameter", "multipart/form-data", "--b\r\n" + ok_part + "\r\n--b--",
       "no boundary"},
      {"empty boundary", "multipart/form-data; boundary=\"\"", "--\r\n", "no boundary"},
      {"boundary of 71 characters", "multipart/form-data; boundary=" + std::string(71, 'b'),
       "--" + std::string(71, 'b') + "--", "over 70"},
      {"no delimiter at all", "multipart/form-data; boundary=b", "just text", "no --boundary"},
      {"wrong boundary", "multipart/form-data; boundary=b", "--c\r\n" + ok_part + "\r\n--c--",
       "no --boundary"},
      {"no closing delimiter", "multipart/form-data; boundary=b", "--b\r\n" + ok_part, "closing"},
      {"ends after a delimiter", "multipart/form-data; boundary=b", "--b\r\n" + ok_part + "\r\n--b",
       "closing"},
      {"ends after a delimiter line", "multipart/form-data; boundary=b",
       "--b\r\n" + ok_part + "\r\n--b\r\n", "closing"},
      {"text after the boundary", "multipart/form-data; boundary=b",
       "--bx\r\n" + ok_part + "\r\n--b--", "other text"},
      {"headers without a blank line", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n--b--", "blank line"},
      {"nothing between delimiters", "multipart/form-data; boundary=b", "--b\r\n\r\n--b--",
       "blank line"},
      {"header line without colon", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition form-data\r\n\r\nv\r\n--b--", "without a colon"},
      {"no headers at all", "multipart/form-data; boundary=b", "--b\r\n\r\nv\r\n--b--",
       "no Content-Disposition"},
      {"attachment, not form-data", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--b--",
       "no Content-Disposition"},
      {"no name", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\nv\r\n--b--", "no name"},
      {"empty name", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--b--", "no name"},
      {"unclosed name", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--b--", "no name"},
      {"base64 transfer encoding", "multipart/form-data; boundary=b",
       "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\ndg==\r\n--b--",
       "base64"},
      {"second part broken", "multipart/form-data; boundary=b",
       "--b\r\n" + ok_part + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--",
       "part 2 has no Content-Disposition"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto parts = parse_multipart(c.content_type, c.body);
    ASSERT_FALSE(parts);
    EXPECT_EQ(parts.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(parts.status().code(), "malformed_multipart");
    EXPECT_NE(parts.status().message().find(c.message_part), std::string::npos)
        << parts.status().message();
  }
}

TEST(Multipart, AcceptsAHundredPartsAndNoMore) {
  std::string body;
  for (size_t i = 0; i < kMaxFormParts; ++i) {
    body += "--b\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\n";
    body += std::to_string(i) + "\r\n";
  }
  const auto hundred = parse_multipart("multipart/form-data; boundary=b", body + "--b--");
  ASSERT_TRUE(hundred) << hundred.status().message();
  ASSERT_EQ(hundred->size(), kMaxFormParts);
  EXPECT_EQ(hundred->back().name, "f99");
  EXPECT_EQ(hundred->back().data, "99");

  body += "--b\r\nContent-Disposition: form-data; name=\"one_too_many\"\r\n\r\nx\r\n--b--";
  const auto too_many = parse_multipart("multipart/form-data; boundary=b", body);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.status().kind(), ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(too_many.status().code(), "too_many_parts");
}

}  // namespace
}  // namespace cityops::http
