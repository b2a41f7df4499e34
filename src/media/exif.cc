#include "media/exif.h"

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace cityops::media {
namespace {

using namespace std::string_view_literals;

constexpr uint16_t kOrientation = 0x0112;
constexpr uint16_t kExifIfd = 0x8769;
constexpr uint16_t kGpsIfd = 0x8825;
constexpr uint16_t kDateTimeOriginal = 0x9003;
constexpr uint16_t kOffsetTimeOriginal = 0x9011;
constexpr uint16_t kGpsLatitudeRef = 0x0001;
constexpr uint16_t kGpsLatitude = 0x0002;
constexpr uint16_t kGpsLongitudeRef = 0x0003;
constexpr uint16_t kGpsLongitude = 0x0004;

constexpr uint16_t kTypeAscii = 2;
constexpr uint16_t kTypeShort = 3;
constexpr uint16_t kTypeLong = 4;
constexpr uint16_t kTypeRational = 5;
constexpr uint16_t kTypeIfd = 13;

// IFD0 and what is chained after it (the thumbnail's IFD1) rarely exceed two; more is junk.
constexpr int kMaxChainedIfds = 8;

Status broken(std::string message) {
  return invalid("broken_exif", "the photo's EXIF block is broken: " + std::move(message), "photo");
}

// Bytes per value of each TIFF type (BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED,
// SSHORT, SLONG, SRATIONAL, FLOAT, DOUBLE, IFD); 0 for a type this reader does not know.
uint64_t type_size(uint16_t type) {
  static constexpr std::array<uint8_t, 14> kSizes{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
  return type < kSizes.size() ? kSizes[type] : 0;
}

struct Entry {
  uint16_t tag = 0;
  uint16_t type = 0;
  uint32_t count = 0;
  size_t value_at = 0;  // where the value starts in the block, inline or not
};

class TiffReader {
 public:
  TiffReader(std::string_view data, bool big_endian) : data_(data), big_(big_endian) {}

  // REQUIRES: at + 2 <= size() (every caller checks the range first).
  uint16_t u16(size_t at) const {
    const auto b0 = byte(at), b1 = byte(at + 1);
    return static_cast<uint16_t>(big_ ? (b0 << 8) | b1 : (b1 << 8) | b0);
  }
  uint32_t u32(size_t at) const {
    const uint32_t hi = u16(at), lo = u16(at + 2);
    return big_ ? (hi << 16) | lo : (lo << 16) | hi;
  }
  size_t size() const { return data_.size(); }
  std::string_view bytes(size_t at, size_t count) const { return data_.substr(at, count); }

  // The entries of the IFD at `offset` and the offset of the next one, each entry's value
  // checked to lie inside the block.
  Status read_ifd(uint32_t offset, std::vector<Entry>& entries, uint32_t& next) const {
    if (offset < 8 || uint64_t{offset} + 2 > size()) return broken("an IFD starts past its end");
    const uint16_t count = u16(offset);
    const uint64_t end = uint64_t{offset} + 2 + uint64_t{count} * 12;
    if (end + 4 > size()) return broken("an IFD runs past its end");
    for (uint16_t i = 0; i < count; ++i) {
      const size_t at = offset + 2 + size_t{i} * 12;
      Entry e{u16(at), u16(at + 2), u32(at + 4), at + 8};
      const uint64_t length = type_size(e.type) * e.count;
      if (length > 4) {
        e.value_at = u32(at + 8);
        if (e.value_at + length > size()) {
          return broken("tag " + hex(e.tag) + " points past the end");
        }
      }
      entries.push_back(e);
    }
    next = u32(static_cast<size_t>(end));
    return Status::ok();
  }

  static std::string hex(uint16_t tag) {
    constexpr auto kDigits = "0123456789abcdef"sv;
    std::string out = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(tag >> shift) & 0xF];
    return out;
  }

 private:
  unsigned byte(size_t at) const { return static_cast<unsigned char>(data_[at]); }

  std::string_view data_;
  bool big_;
};

const Entry* find(const std::vector<Entry>& entries, uint16_t tag) {
  for (const auto& e : entries) {
    if (e.tag == tag) return &e;
  }
  return nullptr;
}

// An ASCII value up to its first NUL, without trailing spaces.
Result<std::string> ascii(const TiffReader& r, const Entry& e) {
  if (e.type != kTypeAscii) return broken("tag " + TiffReader::hex(e.tag) + " is not text");
  std::string text(r.bytes(e.value_at, e.count));
  if (const size_t nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

Result<uint32_t> pointer(const TiffReader& r, const Entry& e) {
  if ((e.type != kTypeLong && e.type != kTypeIfd) || e.count != 1) {
    return broken("tag " + TiffReader::hex(e.tag) + " is not an IFD pointer");
  }
  return r.u32(e.value_at);
}

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "YYYY:MM:DD HH:MM:SS" with an offset "+HH:MM"; EXIF leaves unknown dates blank or zero.
Result<std::optional<Timestamp>> taken_at(const std::string& date, const std::string& offset) {
  if (date.empty() || date.find_first_not_of(" :") == std::string::npos ||
      date.starts_with("0000")) {
    return std::optional<Timestamp>();
  }
  if (date.size() != 19 || date[4] != ':' || date[7] != ':' || date[10] != ' ' || date[13] != ':' ||
      date[16] != ':') {
    return broken("DateTimeOriginal is not YYYY:MM:DD HH:MM:SS");
  }
  std::string zone = offset.empty() ? "+08:00" : offset;
  const bool zone_ok = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
                       all_digits(zone.substr(1, 2)) && all_digits(zone.substr(4, 2));
  if (!zone_ok) return broken("OffsetTimeOriginal is not +HH:MM");
  std::string text = date.substr(0, 4) + "-" + date.substr(5, 2) + "-" + date.substr(8, 2) + "T" +
                     date.substr(11) + zone;
  const auto parsed = parse_rfc3339(text);
  if (!parsed) return broken("DateTimeOriginal is not a real date and time");
  return std::optional<Timestamp>(*parsed);
}

// Degrees, minutes and seconds as three rationals, signed by the reference letter.
Result<double> coordinate(const TiffReader& r, const Entry* value, const Entry* ref,
                          std::string_view positive, std::string_view negative, double limit) {
  if (value->type != kTypeRational || value->count != 3) {
    return broken("a GPS coordinate is not three rationals");
  }
  if (ref == nullptr) return broken("a GPS coordinate has no N/S or E/W reference");
  auto letter = ascii(r, *ref);
  if (!letter) return letter.status();
  if (*letter != positive && *letter != negative) {
    return broken("a GPS reference is neither " + std::string(positive) + " nor " +
                  std::string(negative));
  }
  std::array<double, 3> parts{};
  for (size_t i = 0; i < parts.size(); ++i) {
    const uint32_t numerator = r.u32(value->value_at + i * 8);
    const uint32_t denominator = r.u32(value->value_at + i * 8 + 4);
    if (denominator == 0) return broken("a GPS coordinate has a zero denominator");
    parts[i] = static_cast<double>(numerator) / denominator;
  }
  if (parts[1] >= 60 || parts[2] >= 60) return broken("GPS minutes or seconds of 60 or more");
  const double degrees = parts[0] + parts[1] / 60 + parts[2] / 3600;
  if (degrees > limit) return broken("a GPS coordinate is out of range");
  return *letter == negative ? -degrees : degrees;
}

Result<std::optional<geo::LonLat>> location(const TiffReader& r, const std::vector<Entry>& gps) {
  const Entry* lat = find(gps, kGpsLatitude);
  const Entry* lon = find(gps, kGpsLongitude);
  if (lat == nullptr && lon == nullptr) return std::optional<geo::LonLat>();
  if (lat == nullptr || lon == nullptr) return broken("GPS has a latitude or a longitude alone");
  auto lat_deg = coordinate(r, lat, find(gps, kGpsLatitudeRef), "N", "S", 90);
  if (!lat_deg) return lat_deg.status();
  auto lon_deg = coordinate(r, lon, find(gps, kGpsLongitudeRef), "E", "W", 180);
  if (!lon_deg) return lon_deg.status();
  if (*lat_deg == 0 && *lon_deg == 0) return std::optional<geo::LonLat>();
  return std::optional<geo::LonLat>(geo::LonLat{*lon_deg, *lat_deg});
}

// Reads one sub-IFD named by a pointer tag of `parent`, refusing one seen before.
Status read_sub_ifd(const TiffReader& r, const std::vector<Entry>& parent, uint16_t tag,
                    std::set<uint32_t>& visited, std::vector<Entry>& out) {
  const Entry* e = find(parent, tag);
  if (e == nullptr) return Status::ok();
  auto offset = pointer(r, *e);
  if (!offset) return offset.status();
  if (!visited.insert(*offset).second) return broken("an IFD is reached twice (a loop)");
  uint32_t next = 0;
  return r.read_ifd(*offset, out, next);
}

// The data of the first PNG chunk of `type` before IEND (big-endian length, then type).
std::optional<std::string_view> png_chunk(std::string_view image, std::string_view type) {
  size_t pos = 8;
  while (pos + 8 <= image.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(image.data() + pos);
    const uint64_t length = (uint64_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
    const std::string_view name = image.substr(pos + 4, 4);
    if (pos + 12 + length > image.size()) return std::nullopt;
    if (name == type) return image.substr(pos + 8, length);
    if (name == "IEND") return std::nullopt;
    pos += 12 + length;
  }
  return std::nullopt;
}

// The data of the first RIFF chunk of `type` (type, then little-endian length; odd sizes are
// padded to even).
std::optional<std::string_view> riff_chunk(std::string_view image, std::string_view type) {
  size_t pos = 12;
  while (pos + 8 <= image.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(image.data() + pos + 4);
    const uint64_t length = p[0] | (p[1] << 8) | (p[2] << 16) | (uint64_t{p[3]} << 24);
    if (pos + 8 + length > image.size()) return std::nullopt;
    if (image.substr(pos, 4) == type) return image.substr(pos + 8, length);
    pos += 8 + length + (length & 1);
  }
  return std::nullopt;
}

// The APP1 "Exif\0\0" segment among the JPEG's marker segments before its first scan.
std::optional<std::string_view> jpeg_exif(std::string_view image) {
  size_t pos = 2;
  while (pos + 4 <= image.size()) {
    if (static_cast<unsigned char>(image[pos]) != 0xFF) return std::nullopt;
    const auto marker = static_cast<unsigned char>(image[pos + 1]);
    if (marker == 0xFF) {  // fill byte before a marker
      ++pos;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return std::nullopt;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;
      continue;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(image.data() + pos + 2);
    const size_t length = (p[0] << 8) | p[1];
    if (length < 2 || pos + 2 + length > image.size()) return std::nullopt;
    const std::string_view payload = image.substr(pos + 4, length - 2);
    if (marker == 0xE1 && payload.starts_with("Exif\0\0"sv)) return payload.substr(6);
    pos += 2 + length;
  }
  return std::nullopt;
}

std::string_view without_exif_prefix(std::string_view block) {
  return block.starts_with("Exif\0\0"sv) ? block.substr(6) : block;
}

}  // namespace

Result<ExifInfo> parse_exif(std::string_view tiff) {
  if (tiff.size() < 8) return broken("the block is shorter than a TIFF header");
  bool big_endian = false;
  if (tiff.starts_with("MM")) {
    big_endian = true;
  } else if (!tiff.starts_with("II")) {
    return broken("the byte order is neither II nor MM");
  }
  const TiffReader r(tiff, big_endian);
  if (r.u16(2) != 42) return broken("the TIFF magic number is not 42");

  std::vector<Entry> ifd0;
  std::set<uint32_t> visited;
  uint32_t offset = r.u32(4);
  // IFD0, then the chain after it: each must be well-formed, and none visited twice.
  for (int i = 0; offset != 0; ++i) {
    if (i == kMaxChainedIfds) return broken("too many chained IFDs");
    if (!visited.insert(offset).second) return broken("an IFD is reached twice (a loop)");
    std::vector<Entry> entries;
    uint32_t next = 0;
    CITYOPS_RETURN_IF_ERROR(r.read_ifd(offset, entries, next));
    if (i == 0) ifd0 = std::move(entries);
    offset = next;
  }

  ExifInfo info;
  if (const Entry* e = find(ifd0, kOrientation); e && e->type == kTypeShort && e->count == 1) {
    const int value = r.u16(e->value_at);
    if (value >= 1 && value <= 8) info.orientation = value;
  }

  std::vector<Entry> exif;
  CITYOPS_RETURN_IF_ERROR(read_sub_ifd(r, ifd0, kExifIfd, visited, exif));
  std::string date, zone;
  if (const Entry* e = find(exif, kDateTimeOriginal)) {
    auto text = ascii(r, *e);
    if (!text) return text.status();
    date = std::move(text).value();
  }
  if (const Entry* e = find(exif, kOffsetTimeOriginal)) {
    auto text = ascii(r, *e);
    if (!text) return text.status();
    zone = std::move(text).value();
  }
  auto when = taken_at(date, zone);
  if (!when) return when.status();
  info.taken_at = *when;

  std::vector<Entry> gps;
  CITYOPS_RETURN_IF_ERROR(read_sub_ifd(r, ifd0, kGpsIfd, visited, gps));
  auto where = location(r, gps);
  if (!where) return where.status();
  info.location = *where;
  return info;
}

std::optional<std::string_view> find_exif_block(std::string_view image) {
  if (image.starts_with("\xFF\xD8"sv)) return jpeg_exif(image);
  if (image.starts_with("\x89PNG\r\n\x1A\n"sv)) {
    const auto chunk = png_chunk(image, "eXIf");
    if (chunk) return without_exif_prefix(*chunk);
    return std::nullopt;
  }
  if (image.size() >= 12 && image.starts_with("RIFF") && image.substr(8, 4) == "WEBP") {
    const auto chunk = riff_chunk(image, "EXIF");
    if (chunk) return without_exif_prefix(*chunk);
  }
  return std::nullopt;
}

Result<ExifInfo> read_exif(std::string_view image) {
  const auto block = find_exif_block(image);
  if (!block) return ExifInfo{};
  return parse_exif(*block);
}

}  // namespace cityops::media
