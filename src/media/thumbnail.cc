#include "media/thumbnail.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>
#include <vector>

namespace cityops::media {

ImageSize thumbnail_size(int width, int height, int max_side) {
  assert(width > 0 && height > 0 && max_side > 0 && "sizes come from a decoded header");
  const int longest = std::max(width, height);
  if (longest <= max_side) return {width, height};
  const double scale = static_cast<double>(max_side) / longest;
  const auto side = [&](int length) {
    return std::clamp(static_cast<int>(std::lround(length * scale)), 1, max_side);
  };
  return {side(width), side(height)};
}

RgbImage box_scale(const RgbImage& image, int width, int height) {
  assert(width > 0 && width <= image.width && height > 0 && height <= image.height &&
         "box scaling only shrinks");
  if (width == image.width && height == image.height) return image;
  // Target column x averages source columns [x_begin[x], x_begin[x + 1]); rows likewise.
  const auto bounds = [](int from, int to) {
    std::vector<int> begin(static_cast<size_t>(to) + 1);
    for (int i = 0; i <= to; ++i) begin[i] = static_cast<int>(int64_t{i} * from / to);
    return begin;
  };
  const std::vector<int> x_begin = bounds(image.width, width);
  const std::vector<int> y_begin = bounds(image.height, height);

  RgbImage out{width, height, std::vector<uint8_t>(size_t(width) * size_t(height) * 3)};
  std::vector<uint64_t> sums(size_t(width) * 3);
  for (int ty = 0; ty < height; ++ty) {
    std::fill(sums.begin(), sums.end(), 0);
    for (int y = y_begin[ty]; y < y_begin[ty + 1]; ++y) {
      const uint8_t* row = image.pixels.data() + size_t(y) * size_t(image.width) * 3;
      for (int tx = 0; tx < width; ++tx) {
        for (int x = x_begin[tx]; x < x_begin[tx + 1]; ++x) {
          for (int c = 0; c < 3; ++c) sums[size_t(tx) * 3 + c] += row[size_t(x) * 3 + c];
        }
      }
    }
    const uint64_t rows = uint64_t(y_begin[ty + 1] - y_begin[ty]);
    uint8_t* target = out.pixels.data() + size_t(ty) * size_t(width) * 3;
    for (int tx = 0; tx < width; ++tx) {
      const uint64_t count = rows * uint64_t(x_begin[tx + 1] - x_begin[tx]);
      for (int c = 0; c < 3; ++c) {
        const uint64_t sum = sums[size_t(tx) * 3 + c];
        target[size_t(tx) * 3 + c] = static_cast<uint8_t>((sum + count / 2) / count);
      }
    }
  }
  return out;
}

namespace {

// The source pixel shown at (x, y) once a w x h image of this orientation is upright.
std::pair<int, int> source_pixel(int orientation, int x, int y, int w, int h) {
  switch (orientation) {
    case 2:  // mirrored
      return {w - 1 - x, y};
    case 3:  // turned 180°
      return {w - 1 - x, h - 1 - y};
    case 4:  // mirrored top to bottom
      return {x, h - 1 - y};
    case 5:  // transposed
      return {y, x};
    case 6:  // to be turned 90° clockwise
      return {y, h - 1 - x};
    case 7:  // transversed
      return {w - 1 - y, h - 1 - x};
    case 8:  // to be turned 90° anticlockwise
      return {w - 1 - y, x};
    default:
      return {x, y};
  }
}

}  // namespace

RgbImage apply_orientation(const RgbImage& image, int orientation) {
  if (orientation < 2 || orientation > 8) return image;
  const int w = image.width, h = image.height;
  const bool turned = orientation >= 5;
  RgbImage out{turned ? h : w, turned ? w : h, std::vector<uint8_t>(image.pixels.size())};
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      const auto [sx, sy] = source_pixel(orientation, x, y, w, h);
      const uint8_t* from = image.pixels.data() + (size_t(sy) * size_t(w) + size_t(sx)) * 3;
      std::copy(from, from + 3, out.pixels.data() + (size_t(y) * size_t(out.width) + x) * 3);
    }
  }
  return out;
}

Result<Thumbnail> make_thumbnail(std::string_view bytes, int orientation, ThumbnailLimits limits) {
  const auto format = sniff_format(bytes);
  if (!format) return format.status();
  const auto size = read_image_size(bytes, *format);
  if (!size) return size.status();
  if (int64_t{size->width} * size->height > limits.max_pixels) {
    return Status(ErrorKind::kPayloadTooLarge, "image_too_large",
                  "a photo has at most " + std::to_string(limits.max_pixels) +
                      " pixels; this has " + std::to_string(size->width) + " x " +
                      std::to_string(size->height),
                  "photo");
  }

  const ImageSize target = thumbnail_size(size->width, size->height, limits.max_side);
  auto decoded = decode_rgb(bytes, *format, target.width, target.height);
  if (!decoded) return decoded.status();
  // A decoder may stop short of the header's size only by failing; anything else is a bug in
  // this code or the codec, and the scaler must not read past the pixels.
  if (decoded->width < target.width || decoded->height < target.height) {
    return internal_error("the decoder returned fewer pixels than asked");
  }
  const RgbImage small = box_scale(*decoded, target.width, target.height);
  const RgbImage upright = apply_orientation(small, orientation);
  auto jpeg = encode_jpeg(upright, limits.quality);
  if (!jpeg) return jpeg.status();

  const bool turned = orientation >= 5 && orientation <= 8;
  Thumbnail thumb;
  thumb.jpeg = std::move(jpeg).value();
  thumb.width = upright.width;
  thumb.height = upright.height;
  thumb.image_width = turned ? size->height : size->width;
  thumb.image_height = turned ? size->width : size->height;
  return thumb;
}

}  // namespace cityops::media
