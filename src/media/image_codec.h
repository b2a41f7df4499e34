// Pixels in and out of JPEG (libjpeg-turbo), PNG (libpng) and WebP (libwebp), as far as
// thumbnails need: sizes read from headers, decoding to 8-bit RGB at a reduced scale where the
// codec can, and JPEG encoding. Every error is a value; nothing is printed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cityops::media {

enum class ImageFormat { kJpeg, kPng, kWebp };

struct ImageSize {
  int width = 0;
  int height = 0;
};

// 8-bit RGB, rows top to bottom, no padding: pixels.size() == width * height * 3.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

// The format by the file's first bytes; kUnsupportedMedia "not_an_image" otherwise.
Result<ImageFormat> sniff_format(std::string_view bytes);

// Width and height as the file stores them (before any EXIF orientation), read from the
// header alone: a JPEG's start-of-frame, a PNG's IHDR, a WebP's VP8/VP8L/VP8X header.
// kInvalidArgument "broken_image" (field "photo") when there is none or it says 0.
Result<ImageSize> read_image_size(std::string_view bytes, ImageFormat format);

// Decodes to RGB, at least `min_width` x `min_height` when the image is that large: a JPEG is
// decoded at 1/2, 1/4 or 1/8 scale when that still covers it, a WebP straight to that size;
// a PNG always whole. Transparent pixels are laid on white. kInvalidArgument "broken_image"
// (field "photo") with the codec's message when the data cannot be decoded.
Result<RgbImage> decode_rgb(std::string_view bytes, ImageFormat format, int min_width,
                            int min_height);

// Baseline JPEG of `image` at `quality` (1 to 100). kInternal if the encoder fails.
Result<std::string> encode_jpeg(const RgbImage& image, int quality);

}  // namespace cityops::media
