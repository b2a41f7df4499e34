// Thumbnails: a small upright JPEG of a JPEG, PNG or WebP photo.
//
//   auto thumb = media::make_thumbnail(bytes, exif->orientation, {});
//   if (!thumb) return thumb.status();  // image_too_large, broken_image
//   store(thumb->jpeg);                 // longest side <= 320, upright
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "media/image_codec.h"

namespace cityops::media {

struct ThumbnailLimits {
  // The thumbnail's longest side, in pixels; smaller photos keep their size.
  int max_side = 320;
  // Photos with more pixels than this are refused before any decoding, so that a small file
  // claiming a huge image (a decompression bomb) cannot exhaust memory.
  int64_t max_pixels = 50'000'000;
  int quality = 80;
};

struct Thumbnail {
  std::string jpeg;
  int width = 0;  // of the thumbnail, upright
  int height = 0;
  int image_width = 0;  // of the photo as it is shown, with the EXIF orientation applied
  int image_height = 0;
};

// The thumbnail's size for a `width` x `height` image: the longest side at most `max_side`,
// the aspect kept (each side rounded, at least 1). REQUIRES: width, height, max_side > 0.
ImageSize thumbnail_size(int width, int height, int max_side);

// Shrinks `image` to `width` x `height` by averaging the block of source pixels each target
// pixel covers (a box filter). REQUIRES: 0 < width <= image.width, 0 < height <= image.height.
RgbImage box_scale(const RgbImage& image, int width, int height);

// Turns `image` upright by its TIFF orientation (1 to 8): mirrors, 180° and the 90° turns,
// which swap width and height (5 to 8). Other values leave it as it is.
RgbImage apply_orientation(const RgbImage& image, int orientation);

// Sniffs the format, refuses images above limits.max_pixels (kPayloadTooLarge
// "image_too_large", field "photo"), decodes at the smallest scale that still covers the
// thumbnail, box-scales, turns it upright and encodes it as JPEG. Errors of decoding are
// kInvalidArgument "broken_image"; bytes that are no image are "not_an_image".
Result<Thumbnail> make_thumbnail(std::string_view bytes, int orientation, ThumbnailLimits limits);

}  // namespace cityops::media
