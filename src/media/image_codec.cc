#include "media/image_codec.h"

// jpeglib.h needs size_t and FILE declared before it.
#include <csetjmp>
#include <cstddef>
#include <cstdio>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

#include <algorithm>
#include <cstdlib>

namespace cityops::media {
namespace {

using namespace std::string_view_literals;

Status broken(std::string message) {
  return invalid("broken_image", "the photo cannot be decoded: " + std::move(message), "photo");
}

unsigned byte_at(std::string_view bytes, size_t i) { return static_cast<unsigned char>(bytes[i]); }

// The start-of-frame segment's height and width, found by walking the marker segments.
Result<ImageSize> jpeg_size(std::string_view bytes) {
  size_t pos = 2;
  while (pos + 4 <= bytes.size()) {
    if (byte_at(bytes, pos) != 0xFF) return broken("a JPEG segment does not start with FF");
    const unsigned marker = byte_at(bytes, pos + 1);
    if (marker == 0xFF) {
      ++pos;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) break;
    const size_t length = (byte_at(bytes, pos + 2) << 8) | byte_at(bytes, pos + 3);
    if (length < 2 || pos + 2 + length > bytes.size()) break;
    // SOF0-15 but DHT (C4), JPG (C8) and DAC (CC), which share the range.
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame && length >= 7) {
      const int height = static_cast<int>((byte_at(bytes, pos + 5) << 8) | byte_at(bytes, pos + 6));
      const int width = static_cast<int>((byte_at(bytes, pos + 7) << 8) | byte_at(bytes, pos + 8));
      return ImageSize{width, height};
    }
    pos += 2 + length;
  }
  return broken("the JPEG has no frame header");
}

Result<ImageSize> png_size(std::string_view bytes) {
  if (bytes.size() < 24 || bytes.substr(12, 4) != "IHDR") return broken("the PNG has no IHDR");
  const auto be32 = [&](size_t at) {
    return (uint32_t{byte_at(bytes, at)} << 24) | (byte_at(bytes, at + 1) << 16) |
           (byte_at(bytes, at + 2) << 8) | byte_at(bytes, at + 3);
  };
  const uint32_t width = be32(16), height = be32(20);
  // The PNG specification caps both at 2^31 - 1.
  if (width > 0x7FFFFFFF || height > 0x7FFFFFFF) return broken("the PNG's IHDR is invalid");
  return ImageSize{static_cast<int>(width), static_cast<int>(height)};
}

Result<ImageSize> webp_size(std::string_view bytes) {
  int width = 0, height = 0;
  if (!WebPGetInfo(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &width, &height)) {
    return broken("the WebP header is invalid");
  }
  return ImageSize{width, height};
}

// libjpeg reports fatal errors through error_exit, which must not return: it jumps back to
// the setjmp in run_jpeg_decode/run_jpeg_encode.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_fail(j_common_ptr cinfo) {
  auto* errors = reinterpret_cast<JpegErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// Warnings (corrupt but decodable data) are not printed; the truncation checks come earlier.
void jpeg_quiet(j_common_ptr) {}

void init_jpeg_errors(JpegErrors& errors, jpeg_error_mgr*& err_field) {
  err_field = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jpeg_fail;
  errors.manager.output_message = jpeg_quiet;
  errors.message[0] = '\0';
}

// Adobe writes CMYK JPEGs inverted; the others are too rare to guess at.
void adobe_cmyk_to_rgb(const uint8_t* cmyk, uint8_t* rgb, unsigned width) {
  for (unsigned x = 0; x < width; ++x) {
    const unsigned k = cmyk[x * 4 + 3];
    for (int c = 0; c < 3; ++c) rgb[x * 3 + c] = static_cast<uint8_t>(cmyk[x * 4 + c] * k / 255);
  }
}

// Holds no object with a destructor: a longjmp out of libjpeg would skip it. `image` and
// `row` belong to the caller.
bool run_jpeg_decode(std::string_view bytes, int min_width, int min_height, RgbImage& image,
                     std::vector<uint8_t>& row, JpegErrors& errors) {
  jpeg_decompress_struct cinfo;
  init_jpeg_errors(errors, cinfo.err);
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  jpeg_read_header(&cinfo, TRUE);
  // The largest reduction that still covers the thumbnail: the IDCT does it almost for free.
  unsigned denominator = 8;
  while (denominator > 1 &&
         ((cinfo.image_width + denominator - 1) / denominator < unsigned(min_width) ||
          (cinfo.image_height + denominator - 1) / denominator < unsigned(min_height))) {
    denominator /= 2;
  }
  cinfo.scale_num = 1;
  cinfo.scale_denom = denominator;
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  image.width = static_cast<int>(cinfo.output_width);
  image.height = static_cast<int>(cinfo.output_height);
  image.pixels.resize(size_t{cinfo.output_width} * cinfo.output_height * 3);
  row.resize(size_t{cinfo.output_width} * 4);
  while (cinfo.output_scanline < cinfo.output_height) {
    uint8_t* out = image.pixels.data() + size_t{cinfo.output_scanline} * cinfo.output_width * 3;
    JSAMPROW target = cmyk ? row.data() : out;
    jpeg_read_scanlines(&cinfo, &target, 1);
    if (cmyk) adobe_cmyk_to_rgb(row.data(), out, cinfo.output_width);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

Result<RgbImage> decode_jpeg(std::string_view bytes, int min_width, int min_height) {
  RgbImage image;
  std::vector<uint8_t> row;
  JpegErrors errors;
  if (!run_jpeg_decode(bytes, min_width, min_height, image, row, errors)) {
    return broken(errors.message);
  }
  return image;
}

Result<RgbImage> decode_png(std::string_view bytes) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    return broken(png.message);
  }
  png.format = PNG_FORMAT_RGB;
  RgbImage image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  const png_color white{255, 255, 255};
  if (!png_image_finish_read(&png, &white, image.pixels.data(), 0, nullptr)) {
    return broken(png.message);
  }
  return image;
}

Result<RgbImage> decode_webp(std::string_view bytes, int min_width, int min_height) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return internal_error("libwebp version mismatch");
  if (WebPGetFeatures(data, bytes.size(), &config.input) != VP8_STATUS_OK) {
    return broken("the WebP header is invalid");
  }
  if (config.input.has_animation) return broken("animated WebP is not supported");
  if (min_width < config.input.width || min_height < config.input.height) {
    config.options.use_scaling = 1;
    config.options.scaled_width = std::max(1, min_width);
    config.options.scaled_height = std::max(1, min_height);
  }
  config.output.colorspace = MODE_RGBA;
  if (WebPDecode(data, bytes.size(), &config) != VP8_STATUS_OK) {
    WebPFreeDecBuffer(&config.output);
    return broken("the WebP data is invalid");
  }
  const WebPRGBABuffer& rgba = config.output.u.RGBA;
  RgbImage image;
  image.width = config.output.width;
  image.height = config.output.height;
  image.pixels.resize(size_t(image.width) * size_t(image.height) * 3);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* in = rgba.rgba + size_t(y) * size_t(rgba.stride);
    uint8_t* out = image.pixels.data() + size_t(y) * size_t(image.width) * 3;
    for (int x = 0; x < image.width; ++x) {
      const unsigned alpha = in[x * 4 + 3];
      for (int c = 0; c < 3; ++c) {
        out[x * 3 + c] = static_cast<uint8_t>((in[x * 4 + c] * alpha + 255 * (255 - alpha)) / 255);
      }
    }
  }
  WebPFreeDecBuffer(&config.output);
  return image;
}

// As run_jpeg_decode: no destructors here. The caller frees `buffer` (malloc'd by libjpeg).
bool run_jpeg_encode(const RgbImage& image, int quality, unsigned char*& buffer,
                     unsigned long& size, JpegErrors& errors) {
  jpeg_compress_struct cinfo;
  init_jpeg_errors(errors, cinfo.err);
  if (setjmp(errors.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    // libjpeg's row type is not const, but compression only reads it.
    auto* row = const_cast<uint8_t*>(image.pixels.data()) +
                size_t{cinfo.next_scanline} * size_t(image.width) * 3;
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

Result<ImageFormat> sniff_format(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xD8\xFF"sv)) return ImageFormat::kJpeg;
  if (bytes.starts_with("\x89PNG\r\n\x1A\n"sv)) return ImageFormat::kPng;
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
    return ImageFormat::kWebp;
  }
  return Status(ErrorKind::kUnsupportedMedia, "not_an_image",
                "only JPEG, PNG and WebP photos are accepted", "photo");
}

Result<ImageSize> read_image_size(std::string_view bytes, ImageFormat format) {
  auto size = format == ImageFormat::kJpeg  ? jpeg_size(bytes)
              : format == ImageFormat::kPng ? png_size(bytes)
                                            : webp_size(bytes);
  if (size && (size->width <= 0 || size->height <= 0)) return broken("the image has no pixels");
  return size;
}

Result<RgbImage> decode_rgb(std::string_view bytes, ImageFormat format, int min_width,
                            int min_height) {
  switch (format) {
    case ImageFormat::kJpeg:
      return decode_jpeg(bytes, min_width, min_height);
    case ImageFormat::kPng:
      return decode_png(bytes);
    case ImageFormat::kWebp:
      return decode_webp(bytes, min_width, min_height);
  }
  return internal_error("unknown image format");
}

Result<std::string> encode_jpeg(const RgbImage& image, int quality) {
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  JpegErrors errors;
  const bool done = run_jpeg_encode(image, quality, buffer, size, errors);
  std::string out;
  if (done) out.assign(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  if (!done) return internal_error(std::string("JPEG encoding failed: ") + errors.message);
  return out;
}

}  // namespace cityops::media
