// The EXIF reader against blocks laid out byte by byte here, in both byte orders: the facts
// it reads, what it treats as absent, every kind of broken block it must refuse, and every
// truncation and byte corruption of a valid block, which must never crash (run under ASan).
#include "media/exif.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cityops::media {
namespace {

using namespace std::string_literals;

// One IFD entry; `value` is already in the block's byte order.
struct Field {
  uint16_t tag;
  uint16_t type;
  uint32_t count;
  std::string value;
};

// Writes TIFF blocks: IFD0 at offset 8, then the Exif IFD, then the GPS IFD, each followed by
// the values that do not fit in their entries.
class TiffWriter {
 public:
  explicit TiffWriter(bool big_endian) : big_(big_endian) {}

  std::string u16(uint16_t v) const {
    std::string out{char(v & 0xFF), char(v >> 8)};
    if (big_) std::swap(out[0], out[1]);
    return out;
  }
  std::string u32(uint32_t v) const {
    return big_ ? u16(uint16_t(v >> 16)) + u16(uint16_t(v)) : u16(uint16_t(v)) + u16(v >> 16);
  }
  Field ascii(uint16_t tag, const std::string& text) const {
    return {tag, 2, uint32_t(text.size() + 1), text + '\0'};
  }
  Field short1(uint16_t tag, uint16_t v) const { return {tag, 3, 1, u16(v)}; }
  Field long1(uint16_t tag, uint32_t v) const { return {tag, 4, 1, u32(v)}; }
  Field rationals(uint16_t tag, std::vector<std::pair<uint32_t, uint32_t>> parts) const {
    std::string value;
    for (auto [n, d] : parts) value += u32(n) + u32(d);
    return {tag, 5, uint32_t(parts.size()), value};
  }

  static size_t block_size(const std::vector<Field>& fields) {
    size_t size = 2 + 12 * fields.size() + 4;
    for (const auto& f : fields) size += f.value.size() > 4 ? f.value.size() : 0;
    return size;
  }

  // The IFD at `at` and its out-of-line values.
  std::string ifd(size_t at, const std::vector<Field>& fields, uint32_t next = 0) const {
    std::string entries = u16(uint16_t(fields.size())), data;
    size_t data_at = at + 2 + 12 * fields.size() + 4;
    for (const auto& f : fields) {
      entries += u16(f.tag) + u16(f.type) + u32(f.count);
      if (f.value.size() <= 4) {
        entries += f.value + std::string(4 - f.value.size(), '\0');
      } else {
        entries += u32(uint32_t(data_at + data.size()));
        data += f.value;
      }
    }
    return entries + u32(next) + data;
  }

  // A whole block; pointers to the Exif and GPS IFDs are added to IFD0 when those are given.
  std::string block(std::vector<Field> ifd0, const std::vector<Field>& exif,
                    const std::vector<Field>& gps) const {
    const size_t pointers = (exif.empty() ? 0 : 1) + (gps.empty() ? 0 : 1);
    const size_t exif_at = 8 + block_size(ifd0) + 12 * pointers;
    const size_t gps_at = exif_at + (exif.empty() ? 0 : block_size(exif));
    if (!exif.empty()) ifd0.push_back(long1(0x8769, uint32_t(exif_at)));
    if (!gps.empty()) ifd0.push_back(long1(0x8825, uint32_t(gps_at)));
    std::string out = (big_ ? "MM"s : "II"s) + u16(42) + u32(8) + ifd(8, ifd0);
    if (!exif.empty()) out += ifd(exif_at, exif);
    if (!gps.empty()) out += ifd(gps_at, gps);
    return out;
  }

  std::vector<Field> gps(const std::string& lat_ref, uint32_t lat_deg, uint32_t lat_min,
                         uint32_t lat_sec_tenths, const std::string& lon_ref, uint32_t lon_deg,
                         uint32_t lon_min, uint32_t lon_sec_tenths) const {
    return {ascii(1, lat_ref), rationals(2, {{lat_deg, 1}, {lat_min, 1}, {lat_sec_tenths, 10}}),
            ascii(3, lon_ref), rationals(4, {{lon_deg, 1}, {lon_min, 1}, {lon_sec_tenths, 10}})};
  }

 private:
  bool big_;
};

Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  using namespace std::chrono;
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

// Beidaihe beach: 39°49'30.6" N, 119°29'12.5" E.
std::string full_block(bool big_endian) {
  const TiffWriter w(big_endian);
  return w.block({w.short1(0x0112, 6)},
                 {w.ascii(0x9003, "2026:05:01 09:30:15"), w.ascii(0x9011, "+02:00")},
                 w.gps("N", 39, 49, 306, "E", 119, 29, 125));
}

TEST(Exif, ReadsTimeOffsetPlaceAndOrientationInBothByteOrders) {
  for (const bool big : {false, true}) {
    SCOPED_TRACE(big ? "MM" : "II");
    auto info = parse_exif(full_block(big));
    ASSERT_TRUE(info.is_ok()) << info.status().message();
    EXPECT_EQ(info->orientation, 6);
    ASSERT_TRUE(info->taken_at);
    EXPECT_EQ(*info->taken_at, utc(2026, 5, 1, 7, 30, 15));
    ASSERT_TRUE(info->location);
    EXPECT_DOUBLE_EQ(info->location->lat, 39 + 49 / 60.0 + 30.6 / 3600);
    EXPECT_DOUBLE_EQ(info->location->lon, 119 + 29 / 60.0 + 12.5 / 3600);
  }
}

TEST(Exif, TimeWithoutOffsetIsChinaTimeAndSouthWestAreNegative) {
  const TiffWriter w(true);
  auto info = parse_exif(
      w.block({}, {w.ascii(0x9003, "2025:12:31 23:59:59")}, w.gps("S", 33, 52, 0, "W", 70, 0, 5)));
  ASSERT_TRUE(info.is_ok()) << info.status().message();
  EXPECT_EQ(*info->taken_at, utc(2025, 12, 31, 15, 59, 59));
  EXPECT_DOUBLE_EQ(info->location->lat, -(33 + 52 / 60.0));
  EXPECT_DOUBLE_EQ(info->location->lon, -(70 + 0.5 / 3600));
  EXPECT_EQ(info->orientation, 1);
}

TEST(Exif, AbsentUnknownAndZeroValuesGiveNothing) {
  const TiffWriter w(false);
  struct Row {
    const char* label;
    std::string block;
  };
  const std::vector<Row> rows = {
      {"IFD0 only", w.block({w.short1(0x0112, 1)}, {}, {})},
      {"blank date", w.block({}, {w.ascii(0x9003, "    :  :     :  :  ")}, {})},
      {"zero date", w.block({}, {w.ascii(0x9003, "0000:00:00 00:00:00")}, {})},
      {"GPS version only", w.block({}, {}, {{0, 1, 4, "\2\3\0\0"s}})},
      {"no fix, 0/0", w.block({}, {}, w.gps("N", 0, 0, 0, "E", 0, 0, 0))},
      {"orientation 9", w.block({w.short1(0x0112, 9)}, {}, {})},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    auto info = parse_exif(row.block);
    ASSERT_TRUE(info.is_ok()) << info.status().message();
    EXPECT_FALSE(info->taken_at);
    EXPECT_FALSE(info->location);
    EXPECT_EQ(info->orientation, 1);
  }
}

TEST(Exif, BrokenBlocksAreRefusedNamingThePhoto) {
  const TiffWriter w(false);
  const std::string good = full_block(false);
  std::string bad_order = good, bad_magic = good, ifd0_past_end = good, too_many_entries = good;
  bad_order[0] = bad_order[1] = 'X';
  bad_magic[2] = 43;
  ifd0_past_end.replace(4, 4, w.u32(uint32_t(good.size() + 10)));
  too_many_entries.replace(8, 2, w.u16(500));
  // IFD0 whose next-IFD pointer leads back to itself.
  const std::string self_loop = "II"s + w.u16(42) + w.u32(8) + w.ifd(8, {}, 8);
  // An Exif IFD pointer that names IFD0 again.
  const std::string exif_loop = "II"s + w.u16(42) + w.u32(8) + w.ifd(8, {w.long1(0x8769, 8)});
  const std::string exif_past_end =
      "II"s + w.u16(42) + w.u32(8) + w.ifd(8, {w.long1(0x8769, 4000)});
  // A text value whose offset points past the end.
  std::string value_past_end = "II"s + w.u16(42) + w.u32(8) + w.u16(1) + w.u16(0x010F) + w.u16(2) +
                               w.u32(20) + w.u32(9000) + w.u32(0);
  // 2^32 - 1 rationals: the length must not overflow into something small.
  std::string huge_count = "II"s + w.u16(42) + w.u32(8) + w.u16(1) + w.u16(0x9999) + w.u16(5) +
                           w.u32(0xFFFFFFFF) + w.u32(26) + w.u32(0);

  struct Row {
    const char* label;
    std::string block;
  };
  const std::vector<Row> rows = {
      {"empty", ""},
      {"short header", "II*"},
      {"byte order XX", bad_order},
      {"magic 43", bad_magic},
      {"IFD0 past the end", ifd0_past_end},
      {"500 entries in a short IFD", too_many_entries},
      {"IFD0 chained to itself", self_loop},
      {"Exif IFD is IFD0", exif_loop},
      {"Exif IFD past the end", exif_past_end},
      {"value past the end", value_past_end},
      {"huge count", huge_count},
      {"zero denominator", w.block({}, {},
                                   {w.ascii(1, "N"), w.rationals(2, {{39, 1}, {49, 0}, {0, 1}}),
                                    w.ascii(3, "E"), w.rationals(4, {{119, 1}, {0, 1}, {0, 1}})})},
      {"latitude 91", w.block({}, {}, w.gps("N", 91, 0, 0, "E", 119, 0, 0))},
      {"longitude 181", w.block({}, {}, w.gps("N", 39, 0, 0, "E", 181, 0, 0))},
      {"60 minutes", w.block({}, {}, w.gps("N", 39, 60, 0, "E", 119, 0, 0))},
      {"reference X", w.block({}, {}, w.gps("X", 39, 0, 0, "E", 119, 0, 0))},
      {"latitude alone",
       w.block({}, {}, {w.ascii(1, "N"), w.rationals(2, {{39, 1}, {0, 1}, {0, 1}})})},
      {"latitude without reference",
       w.block({}, {},
               {w.rationals(2, {{39, 1}, {0, 1}, {0, 1}}), w.ascii(3, "E"),
                w.rationals(4, {{119, 1}, {0, 1}, {0, 1}})})},
      {"latitude as SHORT", w.block({}, {},
                                    {w.ascii(1, "N"), w.short1(2, 39), w.ascii(3, "E"),
                                     w.rationals(4, {{119, 1}, {0, 1}, {0, 1}})})},
      {"date with dashes", w.block({}, {w.ascii(0x9003, "2026-05-01 09:30:15")}, {})},
      {"30 February", w.block({}, {w.ascii(0x9003, "2026:02:30 09:30:15")}, {})},
      {"date as LONG", w.block({}, {w.long1(0x9003, 7)}, {})},
      {"offset +8",
       w.block({}, {w.ascii(0x9003, "2026:05:01 09:30:15"), w.ascii(0x9011, "+8")}, {})},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    auto info = parse_exif(row.block);
    ASSERT_FALSE(info.is_ok());
    EXPECT_EQ(info.status().code(), "broken_exif");
    EXPECT_EQ(info.status().field(), "photo");
  }
}

TEST(Exif, EveryTruncationAndEveryCorruptedByteIsSafe) {
  for (const bool big : {false, true}) {
    const std::string good = full_block(big);
    for (size_t length = 0; length < good.size(); ++length) {
      // Cut short, the block loses a value or an IFD it names: never a crash, mostly an error.
      (void)parse_exif(good.substr(0, length));
    }
    for (size_t i = 0; i < good.size(); ++i) {
      for (const char value : {'\0', '\x7F', '\xFF'}) {
        std::string bad = good;
        bad[i] = value;
        (void)parse_exif(bad);
      }
    }
    // The last IFD's values end the block, so any truncation loses something it names.
    EXPECT_FALSE(parse_exif(good.substr(0, good.size() - 1)).is_ok());
  }
}

TEST(Exif, FoundInJpegPngAndWebpContainers) {
  const std::string tiff = full_block(false);
  const auto be16 = [](size_t v) { return std::string{char(v >> 8), char(v & 0xFF)}; };
  const auto be32 = [&](size_t v) { return be16(v >> 16) + be16(v & 0xFFFF); };
  const auto le32 = [](size_t v) {
    return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
  };
  const std::string app0 = "\xFF\xE0"s + be16(16) + "JFIF\0\1\1\0\0\1\0\1\0\0"s;
  const std::string xmp = "\xFF\xE1"s + be16(2 + 8) + "http://\0"s;
  const std::string exif = "Exif\0\0"s + tiff;
  const std::string jpeg = "\xFF\xD8"s + app0 + xmp + "\xFF\xE1"s + be16(2 + exif.size()) + exif +
                           "\xFF\xDA"s + be16(2) + "\xFF\xD9"s;
  EXPECT_EQ(find_exif_block(jpeg), tiff);

  const std::string png = "\x89PNG\r\n\x1A\n"s + be32(13) + "IHDR" + std::string(13, '\1') +
                          "crc!" + be32(tiff.size()) + "eXIf" + tiff + "crc!" + be32(0) + "IEND" +
                          "crc!";
  EXPECT_EQ(find_exif_block(png), tiff);

  for (const std::string& payload : {tiff, exif}) {
    const std::string chunks = "VP8X"s + le32(10) + std::string(10, '\0') + "EXIF" +
                               le32(payload.size()) + payload + (payload.size() % 2 ? "\0"s : ""s);
    const std::string webp = "RIFF"s + le32(4 + chunks.size()) + "WEBP" + chunks;
    EXPECT_EQ(find_exif_block(webp), tiff);
  }

  EXPECT_FALSE(find_exif_block("\xFF\xD8"s + app0 + "\xFF\xDA"s + be16(2) + "\xFF\xD9"s));
  EXPECT_FALSE(find_exif_block("plain text"));
  auto none = read_exif("\xFF\xD8"s + app0 + "\xFF\xDA"s + be16(2) + "\xFF\xD9"s);
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->taken_at || none->location);

  // An APP1 Exif whose IFD0 offset points past its end.
  std::string broken = exif;
  broken.replace(6 + 4, 4, std::string("\xF0\0\0\0", 4));
  const std::string broken_jpeg = "\xFF\xD8"s + "\xFF\xE1"s + be16(2 + broken.size()) + broken +
                                  "\xFF\xDA"s + be16(2) + "\xFF\xD9"s;
  EXPECT_EQ(read_exif(broken_jpeg).status().code(), "broken_exif");
}

}  // namespace
}  // namespace cityops::media
