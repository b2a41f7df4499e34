// Multipart bodies exactly as real encoders write them: curl, urllib3 and Python's email
// package, each captured from the encoder on loopback and pasted here byte for byte. The curl
// body also serves to show that every truncation and random damage is refused cleanly.
#include "http/form.h"

#include <gtest/gtest.h>

#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace cityops::http {
namespace {

using namespace std::string_view_literals;

// curl 7.88.1: curl -F service_code=0101 -F 'description=Pothole near 海宁路, about 1 m wide'
//   -F 'attribute[color][]=red' -F 'media=@路口 照片.png;type=image/png' -F raw=@bin.dat
//   -F 'note=<bin.dat', where bin.dat holds NUL bytes, lone CR and LF, and a line that starts
//   with "--" like a delimiter would.
constexpr std::string_view kCurlContentType =
    "multipart/form-data; boundary=------------------------a18f4c47120123d5";
constexpr std::string_view kCurlBody =
    "--------------------------a18f4c47120123d5\r\n"
    "Content-Disposition: form-data; name=\"service_code\"\r\n"
    "\r\n"
    "0101\r\n"
    "--------------------------a18f4c47120123d5\r\n"
    "Content-Disposition: form-data; name=\"description\"\r\n"
    "\r\n"
    "Pothole near 海宁路, about 1 m wide\r\n"
    "--------------------------a18f4c47120123d5\r\n"
    "Content-Disposition: form-data; name=\"attribute[color][]\"\r\n"
    "\r\n"
    "red\r\n"
    "--------------------------a18f4c47120123d5\r\n"
    "Content-Disposition: form-data; name=\"media\"; filename=\"路口 照片.png\"\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "\211PNG\r\n"
    "\032\n"
    "\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\002\000\000\000\220wS\336\000\000"
    "\000\014IDATx\332cxP\240\000\000\003\244\001q\024\361u\225\000\000\000\000IEND\256B`\202"
    "\r\n"
    "--------------------------a18f4c47120123d5\r\n"
    "Content-Disposition: form-data; name=\"raw\"; filename=\"bin.dat\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\000\001\r\n"
    "--not-the-boundary\r\n"
    "\377\376\000\n"
    "\r\r\n"
    "--------------------------a18f4c47120123d5\r\n"
    "Content-Disposition: form-data; name=\"note\"\r\n"
    "\r\n"
    "\000\001\r\n"
    "--not-the-boundary\r\n"
    "\377\376\000\n"
    "\r\r\n"
    "--------------------------a18f4c47120123d5--\r\n"sv;

constexpr std::string_view kOnePixelPng =
    "\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\002\000\000\000"
    "\220wS\336\000\000\000\014IDATx\332cxP\240\000\000\003\244\001q\024\361u\225\000\000\000"
    "\000IEND\256B`\202"sv;
constexpr std::string_view kBinDat = "\000\001\r\n--not-the-boundary\r\n\377\376\000\n\r"sv;

TEST(Multipart, ReadsWhatCurlSends) {
  const auto parts = parse_multipart(kCurlContentType, kCurlBody);
  ASSERT_TRUE(parts) << parts.status().message();
  ASSERT_EQ(parts->size(), 6u);
  const auto& p = *parts;

  EXPECT_EQ(p[0].name, "service_code");
  EXPECT_EQ(p[0].data, "0101");
  EXPECT_EQ(p[0].filename, std::nullopt);
  EXPECT_EQ(p[0].content_type, "text/plain") << "the default when a part has no Content-Type";
  EXPECT_EQ(p[1].data, "Pothole near 海宁路, about 1 m wide");
  EXPECT_EQ(p[2].name, "attribute[color][]");
  EXPECT_EQ(p[2].data, "red");

  EXPECT_EQ(p[3].name, "media");
  EXPECT_EQ(p[3].filename, "路口 照片.png");
  EXPECT_EQ(p[3].content_type, "image/png");
  EXPECT_EQ(p[3].data, kOnePixelPng);

  EXPECT_EQ(p[4].name, "raw");
  EXPECT_EQ(p[4].filename, "bin.dat");
  EXPECT_EQ(p[4].content_type, "application/octet-stream");
  EXPECT_EQ(p[4].data, kBinDat);
  EXPECT_EQ(p[5].name, "note");
  EXPECT_EQ(p[5].filename, std::nullopt);
  EXPECT_EQ(p[5].data, kBinDat);
}

// urllib3 2.7.0 encode_multipart_formdata with boundary "urllib3-7b6c1f0e9d"; it writes a '"'
// in a filename as %22, as browsers do.
constexpr std::string_view kUrllib3Body =
    "--urllib3-7b6c1f0e9d\r\n"
    "Content-Disposition: form-data; name=\"lat\"\r\n"
    "\r\n"
    "39.834\r\n"
    "--urllib3-7b6c1f0e9d\r\n"
    "Content-Disposition: form-data; name=\"attribute[WHISHETN]\"\r\n"
    "\r\n"
    "是\r\n"
    "--urllib3-7b6c1f0e9d\r\n"
    "Content-Disposition: form-data; name=\"media\"; filename=\"坑 %22洼%22.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\000\r\n"
    "\000\r\n"
    "--urllib3-7b6c1f0e9d--\r\n"sv;

TEST(Multipart, ReadsWhatUrllib3Sends) {
  const auto parts =
      parse_multipart("multipart/form-data; boundary=urllib3-7b6c1f0e9d", kUrllib3Body);
  ASSERT_TRUE(parts) << parts.status().message();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "lat");
  EXPECT_EQ((*parts)[0].data, "39.834");
  EXPECT_EQ((*parts)[1].name, "attribute[WHISHETN]");
  EXPECT_EQ((*parts)[1].data, "是");
  EXPECT_EQ((*parts)[2].filename, "坑 %22洼%22.jpg") << "percent escapes are left as sent";
  EXPECT_EQ((*parts)[2].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[2].data, "\000\r\n\000"sv);
}

// Python 3.11's email package (MIMEMultipart "form-data", policy HTTP): a quoted boundary
// full of '=', extra MIME-Version headers, and the filename as RFC 5987 filename*.
constexpr std::string_view kEmailContentType =
    "multipart/form-data; boundary=\"===============6310420843361284567==\"";
constexpr std::string_view kEmailBody =
    "--===============6310420843361284567==\r\n"
    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Disposition: form-data; name=\"description\"\r\n"
    "\r\n"
    "Streetlight out\r\n"
    "--===============6310420843361284567==\r\n"
    "Content-Type: application/octet-stream\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Disposition: form-data; name=\"media\"; filename*=utf-8''%E5%9D%91%20%E6%B4%BC.j"
    "pg\r\n"
    "\r\n"
    "\000\r\n"
    "--\000\r\n"
    "--===============6310420843361284567==--\r\n"sv;

TEST(Multipart, ReadsWhatPythonsEmailPackageWrites) {
  const auto parts = parse_multipart(kEmailContentType, kEmailBody);
  ASSERT_TRUE(parts) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "description");
  EXPECT_EQ((*parts)[0].content_type, "text/plain; charset=\"utf-8\"");
  EXPECT_EQ((*parts)[0].data, "Streetlight out");
  EXPECT_EQ((*parts)[1].name, "media");
  EXPECT_EQ((*parts)[1].filename, "坑 洼.jpg");
  EXPECT_EQ((*parts)[1].content_type, "application/octet-stream");
  EXPECT_EQ((*parts)[1].data, "\000\r\n--\000"sv);
}

TEST(Multipart, RefusesEveryTruncationOfACurlBody) {
  // Cut anywhere before the closing "--" the body is incomplete; the final CRLF is optional.
  for (size_t size = 0; size + 2 < kCurlBody.size(); ++size) {
    const auto parts = parse_multipart(kCurlContentType, kCurlBody.substr(0, size));
    ASSERT_FALSE(parts) << "a body cut after " << size << " bytes was accepted";
    EXPECT_EQ(parts.status().code(), "malformed_multipart");
  }
  EXPECT_TRUE(parse_multipart(kCurlContentType, kCurlBody.substr(0, kCurlBody.size() - 2)));
}

TEST(Multipart, SurvivesRandomDamage) {
  std::mt19937 random(20261204);
  const std::string_view alphabet[] = {
      "\r", "\n", "\r\n", "-",        "--",
      "\"", ";",  "=",    "\r\n\r\n", "\r\n------------------------a18f4c47120123d5"};
  for (int round = 0; round < 3000; ++round) {
    std::string body(kCurlBody);
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % body.size();
      switch (random() % 3) {
        case 0:
          body[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          body.erase(at, 1 + random() % 8);
          break;
        default:
          body.insert(at, alphabet[random() % std::size(alphabet)]);
      }
    }
    SCOPED_TRACE("round " + std::to_string(round));
    const auto parts = parse_multipart(kCurlContentType, body);
    if (!parts) {
      ASSERT_EQ(parts.status().code(), "malformed_multipart") << parts.status().message();
      continue;
    }
    for (const auto& part : *parts) {
      ASSERT_FALSE(part.name.empty());
      ASSERT_NE(body.find(part.data), std::string::npos) << "data is a slice of the body";
    }
  }
}

}  // namespace
}  // namespace cityops::http
