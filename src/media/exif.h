// The few EXIF facts a photo report needs: when it was taken, where, and which way up.
//
// Pure functions over bytes, no I/O. The EXIF block is TIFF-structured ("II*\0" or "MM\0*",
// then image file directories of 12-byte entries); it comes from a JPEG's APP1 "Exif\0\0"
// segment, a PNG's eXIf chunk or a WebP's EXIF chunk. Every offset and count is checked
// against the block before it is read, so no input can make the reader leave it.
//
//   auto exif = media::read_exif(bytes);      // bytes: a whole JPEG, PNG or WebP
//   if (!exif) return exif.status();          // "broken_exif", field "photo"
//   if (exif->location) record.location = *exif->location;
#pragma once

#include <optional>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "geo/datum.h"

namespace cityops::media {

struct ExifInfo {
  // DateTimeOriginal, read with OffsetTimeOriginal when the camera wrote one and as China
  // time (+08:00) when it did not: cameras keep local time, and this district's is +08:00.
  std::optional<Timestamp> taken_at;
  // GPSLatitude/GPSLongitude with their N/S and E/W references. EXIF GPS is WGS84. A camera
  // without a fix may write exactly 0/0; that counts as no location.
  std::optional<geo::LonLat> location;
  // TIFF Orientation, 1 (upright) to 8; 1 when absent or outside that range.
  int orientation = 1;
};

// Reads a TIFF-structured EXIF block. Walks IFD0 and the IFDs chained after it, the Exif IFD
// and the GPS IFD, checking every entry's data lies inside the block.
//
// Errors, all kInvalidArgument "broken_exif" with field "photo" and a message saying what:
// an unknown byte order or magic number, an IFD or a value past the end of the block, an IFD
// visited twice (a loop), a tag of the wrong type or count, a zero denominator, a coordinate
// out of range or without its reference, a date that is neither a date nor left blank.
Result<ExifInfo> parse_exif(std::string_view tiff);

// The EXIF block (without any "Exif\0\0" prefix) of a JPEG, PNG or WebP, located by walking
// the file's segments or chunks; nullopt when the file has none or is none of the three.
std::optional<std::string_view> find_exif_block(std::string_view image);

// find_exif_block, then parse_exif; an image without EXIF gives an empty ExifInfo.
Result<ExifInfo> read_exif(std::string_view image);

}  // namespace cityops::media
