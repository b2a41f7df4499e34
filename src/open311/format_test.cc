#include "open311/format.h"

#include <gtest/gtest.h>

namespace cityops::open311 {
namespace {

TEST(Open311Format, SplitsTheSuffix) {
  EXPECT_EQ(split_format("requests.xml"), std::make_pair(std::string("requests"), Format::kXml));
  EXPECT_EQ(split_format("06015.json"), std::make_pair(std::string("06015"), Format::kJson));
  EXPECT_EQ(split_format("requests"), std::nullopt);
  EXPECT_EQ(split_format("requests.csv"), std::nullopt);
}

TEST(Open311Format, EscapesEveryMarkupCharacterAndForbiddenControls) {
  EXPECT_EQ(xml_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  EXPECT_EQ(xml_escape("沙滩\t\n"), "沙滩\t\n");
  EXPECT_EQ(xml_escape("a\r\nb"), "a&#13;\nb");
  EXPECT_EQ(xml_escape("x\xEF\xBF\xBEy\xEF\xBF\xBF"), "x\xEF\xBF\xBDy\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("\xEF\xBF\xBC"), "\xEF\xBF\xBC");  // U+FFFC is a character
  EXPECT_EQ(xml_escape("a\xC3(b\xFF"), "a\xEF\xBF\xBD(b\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("\xE6\xB2"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
  EXPECT_EQ(xml_escape("沙\xE6\xBB\xA9"), "沙滩");
  EXPECT_EQ(xml_escape(std::string("x\x01y", 3)), "x\xEF\xBF\xBDy");
}

TEST(Open311Format, TellsTextXmlCanCarry) {
  EXPECT_TRUE(is_xml_text("沙滩 & <b>\t\r\n"));
  EXPECT_FALSE(is_xml_text(std::string("a\0b", 3)));
  EXPECT_FALSE(is_xml_text("a\x1f"));
  EXPECT_FALSE(is_xml_text("a\x7f"));
  EXPECT_FALSE(is_xml_text("\xEF\xBF\xBE"));
  EXPECT_FALSE(is_xml_text("\xEF\xBF\xBF"));
  EXPECT_FALSE(is_xml_text("\xC3"));  // not UTF-8
}

TEST(Open311Format, ListsTakeTheSingularOfTheirName) {
  Document doc = Document::array();
  doc.push_back(
      {{"service_code", 6015}, {"metadata", true}, {"group", "A & B"}, {"keywords", nullptr}});
  EXPECT_EQ(to_xml("services", doc),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<services><service><service_code>6015</service_code><metadata>true</metadata>"
            "<group>A &amp; B</group><keywords/></service></services>\n");
  Document def = {
      {"attributes", Document::array({{{"values", Document::array({{{"key", "a"}}})}}})}};
  EXPECT_EQ(to_xml("service_definition", def),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<service_definition><attributes><attribute><values><value><key>a</key></value>"
            "</values></attribute></attributes></service_definition>\n");
}

TEST(Open311Format, ErrorsFollowTheSpecification) {
  const auto res = render_error(
      Format::kJson, invalid("missing_field", "service_code is required", "service_code"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.content_type, "application/json; charset=utf-8");
  const auto body = nlohmann::json::parse(res.body);
  ASSERT_TRUE(body.is_array());
  EXPECT_EQ(body[0]["code"], 400);
  EXPECT_EQ(body[0]["description"], "service_code is required");
  EXPECT_EQ(body[0]["field"], "service_code");
  const auto xml = render_error(
      Format::kXml, Status(ErrorKind::kPermissionDenied, "invalid_api_key", "bad key", "api_key"));
  EXPECT_EQ(xml.status, 403);
  EXPECT_EQ(xml.content_type, "text/xml; charset=utf-8");
  EXPECT_NE(xml.body.find("<errors><error><code>403</code><description>bad key</description>"),
            std::string::npos);
}

}  // namespace
}  // namespace cityops::open311
