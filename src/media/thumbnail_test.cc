// Thumbnails of images made here with the codecs' own encoders (libpng's and libwebp's
// simplified writers, libjpeg through encode_jpeg): their sizes and aspect, which way up they
// come out, their colours, and the refusals before and during decoding.
#include "media/thumbnail.h"

#include <gtest/gtest.h>
#include <png.h>
#include <webp/encode.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace cityops::media {
namespace {

using namespace std::string_literals;

// Left half red, right half blue.
RgbImage halves(int width, int height) {
  RgbImage image{width, height, std::vector<uint8_t>(size_t(width) * size_t(height) * 3)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = image.pixels.data() + (size_t(y) * size_t(width) + size_t(x)) * 3;
      p[x < width / 2 ? 0 : 2] = 255;
    }
  }
  return image;
}

std::string png_of(const RgbImage& image) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(image.width);
  png.height = png_uint_32(image.height);
  png.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  EXPECT_TRUE(png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr));
  std::string out(size, '\0');
  EXPECT_TRUE(
      png_image_write_to_memory(&png, out.data(), &size, 0, image.pixels.data(), 0, nullptr));
  out.resize(size);
  return out;
}

std::string webp_of(const RgbImage& image) {
  uint8_t* encoded = nullptr;
  const size_t size =
      WebPEncodeRGB(image.pixels.data(), image.width, image.height, image.width * 3, 90, &encoded);
  std::string out(reinterpret_cast<const char*>(encoded), size);
  WebPFree(encoded);
  return out;
}

std::string jpeg_of(const RgbImage& image) {
  auto jpeg = encode_jpeg(image, 90);
  EXPECT_TRUE(jpeg.is_ok());
  return jpeg.is_ok() ? *jpeg : "";
}

// The colour at (x, y), each channel within `tolerance` of what is expected.
void expect_colour(const RgbImage& image, int x, int y, std::array<int, 3> want) {
  const uint8_t* p = image.pixels.data() + (size_t(y) * size_t(image.width) + size_t(x)) * 3;
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(p[c], want[c], 40) << "channel " << c;
}

TEST(ThumbnailSize, LongestSideAt320AspectKeptNeverEnlarged) {
  struct Row {
    int w, h, want_w, want_h;
  };
  for (const auto& r : std::vector<Row>{{4000, 3000, 320, 240},
                                        {3000, 4000, 240, 320},
                                        {641, 320, 320, 160},
                                        {100, 50, 100, 50},
                                        {320, 320, 320, 320},
                                        {10000, 1, 320, 1}}) {
    SCOPED_TRACE(std::to_string(r.w) + "x" + std::to_string(r.h));
    const auto size = thumbnail_size(r.w, r.h, 320);
    EXPECT_EQ(size.width, r.want_w);
    EXPECT_EQ(size.height, r.want_h);
  }
}

TEST(BoxScale, AveragesTheBlockEachPixelCovers) {
  // 4 x 2 grey levels; each target pixel of a 2 x 1 result averages a 2 x 2 block.
  RgbImage image{4, 2, {}};
  for (const int v : {0, 10, 100, 200, 20, 30, 50, 250})
    image.pixels.insert(image.pixels.end(), 3, uint8_t(v));
  const RgbImage out = box_scale(image, 2, 1);
  ASSERT_EQ(out.pixels.size(), 6u);
  EXPECT_EQ(out.pixels[0], 15);   // (0 + 10 + 20 + 30) / 4
  EXPECT_EQ(out.pixels[3], 150);  // (100 + 200 + 50 + 250) / 4
}

TEST(Orientation, TurnsAndMirrorsAsTiffDefines) {
  // 2 x 3 with pixel values 0..5 row by row:  0 1 / 2 3 / 4 5.
  RgbImage image{2, 3, {}};
  for (int v = 0; v < 6; ++v) image.pixels.insert(image.pixels.end(), 3, uint8_t(v));
  const auto values = [](const RgbImage& i) {
    std::vector<int> out;
    for (size_t p = 0; p < i.pixels.size(); p += 3) out.push_back(i.pixels[p]);
    return out;
  };
  struct Row {
    int orientation, width;
    std::vector<int> want;
  };
  for (const auto& r : std::vector<Row>{{1, 2, {0, 1, 2, 3, 4, 5}},
                                        {2, 2, {1, 0, 3, 2, 5, 4}},
                                        {3, 2, {5, 4, 3, 2, 1, 0}},
                                        {4, 2, {4, 5, 2, 3, 0, 1}},
                                        {5, 3, {0, 2, 4, 1, 3, 5}},
                                        {6, 3, {4, 2, 0, 5, 3, 1}},
                                        {7, 3, {5, 3, 1, 4, 2, 0}},
                                        {8, 3, {1, 3, 5, 0, 2, 4}}}) {
    SCOPED_TRACE(r.orientation);
    const RgbImage out = apply_orientation(image, r.orientation);
    EXPECT_EQ(out.width, r.width);
    EXPECT_EQ(values(out), r.want);
  }
}

TEST(Thumbnail, JpegPngAndWebpShrinkToAt320KeepingAspectAndColours) {
  const RgbImage source = halves(1000, 500);
  for (const auto& [label, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"jpeg", jpeg_of(source)}, {"png", png_of(source)}, {"webp", webp_of(source)}}) {
    SCOPED_TRACE(label);
    auto thumb = make_thumbnail(bytes, 1, {});
    ASSERT_TRUE(thumb.is_ok()) << thumb.status().message();
    EXPECT_EQ(thumb->width, 320);
    EXPECT_EQ(thumb->height, 160);
    EXPECT_EQ(thumb->image_width, 1000);
    EXPECT_EQ(thumb->image_height, 500);
    auto decoded = decode_rgb(thumb->jpeg, ImageFormat::kJpeg, 1 << 30, 1 << 30);
    ASSERT_TRUE(decoded.is_ok());
    EXPECT_EQ(decoded->width, 320);
    expect_colour(*decoded, 40, 80, {255, 0, 0});
    expect_colour(*decoded, 280, 80, {0, 0, 255});
  }
}

TEST(Thumbnail, Orientation6StandsThePhotoUpWithItsLeftOnTop) {
  auto thumb = make_thumbnail(jpeg_of(halves(1000, 500)), 6, {});
  ASSERT_TRUE(thumb.is_ok());
  EXPECT_EQ(thumb->width, 160);
  EXPECT_EQ(thumb->height, 320);
  EXPECT_EQ(thumb->image_width, 500);
  EXPECT_EQ(thumb->image_height, 1000);
  auto decoded = decode_rgb(thumb->jpeg, ImageFormat::kJpeg, 1 << 30, 1 << 30);
  ASSERT_TRUE(decoded.is_ok());
  expect_colour(*decoded, 80, 40, {255, 0, 0});
  expect_colour(*decoded, 80, 280, {0, 0, 255});
}

TEST(Thumbnail, SmallPhotosKeepTheirSize) {
  auto thumb = make_thumbnail(png_of(halves(64, 48)), 1, {});
  ASSERT_TRUE(thumb.is_ok());
  EXPECT_EQ(thumb->width, 64);
  EXPECT_EQ(thumb->height, 48);
}

TEST(Thumbnail, HugeImagesAreRefusedFromTheirHeaderAndBrokenDataIsBrokenImage) {
  // A PNG whose header claims 10000 x 10000 pixels; its data is never read.
  std::string huge = png_of(halves(8, 8));
  const std::string side = "\0\0\x27\x10"s;  // 10000
  huge.replace(16, 4, side);
  huge.replace(20, 4, side);
  auto refused = make_thumbnail(huge, 1, {});
  EXPECT_EQ(refused.status().code(), "image_too_large");
  EXPECT_EQ(refused.status().kind(), ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(refused.status().field(), "photo");

  ThumbnailLimits small;
  small.max_pixels = 999;
  EXPECT_EQ(make_thumbnail(png_of(halves(40, 25)), 1, small).status().code(), "image_too_large");

  // The same PNG with its image data scrambled: the CRC check fails in libpng.
  std::string scrambled = png_of(halves(40, 25));
  const size_t idat = scrambled.find("IDAT");
  for (size_t i = idat + 6; i < idat + 20; ++i) scrambled[i] = char(~scrambled[i]);
  auto broken = make_thumbnail(scrambled, 1, {});
  EXPECT_EQ(broken.status().code(), "broken_image");
  EXPECT_EQ(broken.status().field(), "photo");

  EXPECT_EQ(make_thumbnail("GIF89a....", 1, {}).status().code(), "not_an_image");
  std::string bad_webp = webp_of(halves(40, 25));
  for (size_t i = 20; i < bad_webp.size(); ++i) bad_webp[i] = '\xAA';
  EXPECT_EQ(make_thumbnail(bad_webp, 1, {}).status().code(), "broken_image");
}

}  // namespace
}  // namespace cityops::media
