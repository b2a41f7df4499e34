// The media store: what it accepts and refuses, where the bytes end up, and what it does when
// many threads store at once. The three images are real one-pixel files, made with cjpeg
// -optimize, Python's zlib and struct, and cwebp -lossless; `file`, djpeg, pngcheck and
// dwebp read each of them. The SHA-256 constants come from sha256sum run on those files.
#include "services/media_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"
#include "support/text_file.h"

namespace cityops::services {
namespace {

namespace fs = std::filesystem;
using cityops::testing::read_text_file;
using cityops::testing::TempDir;

template <size_t N>
std::string bytes_of(const unsigned char (&array)[N]) {
  return std::string(reinterpret_cast<const char*>(array), N);
}

// A 1x1 grey baseline JPEG, 159 bytes.
constexpr unsigned char kJpegPixel[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10,
    0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
    0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40, 0x48, 0x5c, 0x4e, 0x40,
    0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62, 0x67, 0x68, 0x67, 0x3e, 0x4d,
    0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01,
    0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xff, 0xc4, 0x00, 0x14,
    0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x47, 0xff, 0xd9,
};
// A 1x1 RGB PNG, 69 bytes.
constexpr unsigned char kPngPixel[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
    0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78,
    0xda, 0x63, 0x78, 0x50, 0xa0, 0x00, 0x00, 0x03, 0xa4, 0x01, 0x71, 0x14, 0xf1, 0x75,
    0x95, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
// A 1x1 lossless WebP, 38 bytes.
constexpr unsigned char kWebpPixel[] = {
    0x52, 0x49, 0x46, 0x46, 0x1e, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56,
    0x50, 0x38, 0x4c, 0x11, 0x00, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x07,
    0x50, 0xb8, 0x82, 0x17, 0xa4, 0xff, 0x81, 0x88, 0xe8, 0x7f, 0x00, 0x00,
};

const std::string kJpeg = bytes_of(kJpegPixel);
const std::string kPng = bytes_of(kPngPixel);
const std::string kWebp = bytes_of(kWebpPixel);
constexpr char kJpegSha256[] = "1d0493f174b1fddb8621fa6e6168b7ffc8168d7656ed507cc882ceacb40c873b";
constexpr char kPngSha256[] = "fedbaae7f6df52444b0936d856490f79114a9656031749671345474596242c21";
constexpr char kWebpSha256[] = "000bf3bd60fb15d2a2f01995fbc7032682aa651ae6a46a6bf9d9804e9ec14890";

constexpr size_t kLimit = 1 << 20;

// Every file below `dir`, hidden temporary files included.
std::vector<fs::path> files_below(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

class MediaStoreTest : public ::testing::Test {
 protected:
  TempDir temp_{"media-store"};
  const fs::path dir_ = temp_.path() / "media";
  MediaStore store_{dir_, kLimit};
};

TEST_F(MediaStoreTest, StoresEachFormatUnderTheSha256OfItsBytes) {
  const struct {
    const char* label;
    const std::string& bytes;
    std::string name;
    const char* content_type;
  } cases[] = {
      {"JPEG", kJpeg, std::string(kJpegSha256) + ".jpg", "image/jpeg"},
      {"PNG", kPng, std::string(kPngSha256) + ".png", "image/png"},
      {"WebP", kWebp, std::string(kWebpSha256) + ".webp", "image/webp"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto stored = store_.put(c.bytes);
    ASSERT_TRUE(stored) << stored.status().message();
    EXPECT_EQ(stored->name, c.name);
    EXPECT_EQ(stored->content_type, c.content_type);
    EXPECT_EQ(stored->size, c.bytes.size());
    EXPECT_FALSE(stored->existed);

    const fs::path expected_path = dir_ / c.name.substr(0, 2) / c.name;
    EXPECT_EQ(store_.path_of(*stored), expected_path);
    EXPECT_EQ(read_text_file(expected_path), c.bytes) << "the file holds exactly the bytes";

    const auto found = store_.find(c.name);
    ASSERT_TRUE(found) << found.status().message();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->name, c.name);
    EXPECT_EQ((*found)->content_type, c.content_type);
    EXPECT_EQ((*found)->size, c.bytes.size());
  }
  EXPECT_EQ(files_below(dir_).size(), 3u) << "no temporary file is left behind";
}

TEST_F(MediaStoreTest, SameBytesAreStoredOnce) {
  const auto first = store_.put(kPng);
  const auto second = store_.put(kPng);
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(first->existed);
  EXPECT_TRUE(second->existed);
  EXPECT_EQ(first->name, second->name);
  EXPECT_EQ(second->size, kPng.size());
  EXPECT_EQ(files_below(dir_), std::vector<fs::path>{store_.path_of(*first)});
}

TEST_F(MediaStoreTest, DirectoryIsCreatedOnFirstPutOnly) {
  const fs::path nested = temp_.path() / "var" / "media";
  MediaStore store(nested.string() + "/", kLimit);
  EXPECT_FALSE(fs::exists(nested));
  ASSERT_FALSE(store.put("not a photo"));
  EXPECT_FALSE(fs::exists(nested)) << "a refused upload leaves no directory";

  const auto stored = store.put(kWebp);
  ASSERT_TRUE(stored) << stored.status().message();
  EXPECT_EQ(store.path_of(*stored), nested / "00" / (std::string(kWebpSha256) + ".webp"));
  EXPECT_TRUE(fs::is_regular_file(store.path_of(*stored)));
}

TEST_F(MediaStoreTest, RefusesWhatIsNotAnImage) {
  const struct {
    const char* label;
    std::string bytes;
  } cases[] = {
      {"plain text", "There is a pothole on Haining Road.\n"},
      {"HTML", "<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"},
      {"PDF", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"},
      {"GIF", std::string("GIF89a\x01\x00\x01\x00", 10)},
      {"WAVE in RIFF", std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16)},
      {"PNG signature cut in half", "\x89PNG\r\n"},
      {"JPEG start without the third byte", "\xFF\xD8"},
      {"SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto stored = store_.put(c.bytes);
    ASSERT_FALSE(stored);
    EXPECT_EQ(stored.status().kind(), ErrorKind::kUnsupportedMedia);
    EXPECT_EQ(stored.status().code(), "not_an_image");
    EXPECT_EQ(stored.status().field(), "media");
  }
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(MediaStoreTest, RefusesEmptyAndOversizedBytes) {
  const auto empty = store_.put("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(empty.status().code(), "empty_media");

  MediaStore small(dir_, kPng.size());
  EXPECT_TRUE(small.put(kPng)) << "exactly the limit is allowed";
  const auto over = small.put(kPng + "x");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.status().kind(), ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(over.status().code(), "media_too_large");
  EXPECT_EQ(over.status().field(), "media");
}

// A JPEG whose APP1 segment carries a thumbnail with its own end marker, as cameras write.
std::string jpeg_with_thumbnail() {
  const std::string thumbnail = std::string("Exif\0\0", 6) + "\xFF\xD8\xFF\xD9";
  std::string app1 = "\xFF\xE1";
  app1.push_back('\0');
  app1.push_back(static_cast<char>(thumbnail.size() + 2));
  return kJpeg.substr(0, 2) + app1 + thumbnail + kJpeg.substr(2);
}

TEST_F(MediaStoreTest, RefusesTruncatedImages) {
  std::string webp_other_chunk = kWebp;
  webp_other_chunk.replace(12, 4, "ALPH");
  const struct {
    const char* label;
    std::string bytes;
  } cases[] = {
      {"JPEG without its end marker", kJpeg.substr(0, kJpeg.size() - 2)},
      {"JPEG cut in its scan", kJpeg.substr(0, kJpeg.size() - 3)},
      {"JPEG cut in its headers", kJpeg.substr(0, 30)},
      {"JPEG cut inside a segment length", kJpeg.substr(0, 5)},
      {"JPEG with only a thumbnail's end marker",
       jpeg_with_thumbnail().substr(0, jpeg_with_thumbnail().size() - 2)},
      {"JPEG ending before its scan", "\xFF\xD8\xFF\xD9"},
      {"PNG without IEND", kPng.substr(0, kPng.size() - 12)},
      {"PNG with a damaged IEND", kPng.substr(0, kPng.size() - 1) + "\x83"},
      {"PNG without IHDR", kPng.substr(0, 8) + kPng.substr(33)},
      {"WebP one byte short", kWebp.substr(0, kWebp.size() - 1)},
      {"WebP header only", kWebp.substr(0, 12)},
      {"WebP starting with another chunk", webp_other_chunk},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto stored = store_.put(c.bytes);
    ASSERT_FALSE(stored);
    EXPECT_EQ(stored.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(stored.status().code(), "broken_image");
    EXPECT_EQ(stored.status().field(), "media");
  }
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(MediaStoreTest, AcceptsThumbnailsAndBytesAfterTheEnd) {
  const std::string motion_photo = kJpeg + std::string(
                                               "\0\0\0\x18"
                                               "ftypmp42",
                                               12);
  for (const std::string& bytes : {jpeg_with_thumbnail(), motion_photo, kPng + "trailer"}) {
    const auto stored = store_.put(bytes);
    ASSERT_TRUE(stored) << stored.status().message();
    EXPECT_EQ(read_text_file(store_.path_of(*stored)), bytes);
  }
}

TEST_F(MediaStoreTest, FindRefusesEveryOtherName) {
  const std::string hex = kPngSha256;
  ASSERT_TRUE(store_.put(kPng));
  const std::string names[] = {
      "",
      "../../etc/passwd",
      "..",
      hex.substr(0, 2) + "/" + hex + ".png",
      "../media/" + hex + ".png",
      hex + ".png/",
      hex + "/.png",
      hex + ".PNG",
      hex + ".jpeg",
      hex + ".gif",
      hex + ".png ",
      " " + hex + ".png",
      hex + ".png.tmp",
      hex + ".",
      hex,
      hex.substr(1) + ".png",
      hex + "0.png",
      "FEDBAAE7F6DF52444B0936D856490F79114A9656031749671345474596242C21.png",
      "g" + hex.substr(1) + ".png",
      "." + hex + ".png",
      hex + std::string(".png\0", 5),
  };
  for (const auto& name : names) {
    SCOPED_TRACE("name '" + name + "'");
    const auto found = store_.find(name);
    ASSERT_FALSE(found);
    EXPECT_EQ(found.status().kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(found.status().code(), "invalid_media_name");
  }
}

TEST_F(MediaStoreTest, FindAnswersNothingForAbsentMedia) {
  const std::string absent = std::string(kJpegSha256) + ".jpg";
  const auto before_any_put = store_.find(absent);
  ASSERT_TRUE(before_any_put) << before_any_put.status().message();
  EXPECT_FALSE(before_any_put->has_value());

  ASSERT_TRUE(store_.put(kPng));
  const auto other_extension = store_.find(std::string(kPngSha256) + ".jpg");
  ASSERT_TRUE(other_extension);
  EXPECT_FALSE(other_extension->has_value()) << "the extension is part of the name";
}

TEST_F(MediaStoreTest, ReportsADiskThatRefuses) {
  // A file where the directory should be: even root cannot create a directory inside it.
  std::ofstream(temp_.path() / "blocked") << "a file, not a directory";
  MediaStore store(temp_.path() / "blocked" / "media", kLimit);
  const auto stored = store.put(kJpeg);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.status().kind(), ErrorKind::kInternal);
  EXPECT_NE(stored.status().message().find("blocked"), std::string::npos)
      << stored.status().message();
}

TEST_F(MediaStoreTest, ConcurrentPutsStoreEachContentOnce) {
  // Four contents, each put by every thread at once.
  const std::vector<std::string> contents = {kJpeg, kPng, kWebp, kPng + "second"};
  constexpr int kThreads = 8;
  std::vector<std::atomic<int>> created(contents.size());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < contents.size(); ++i) {
        const size_t which = (i + static_cast<size_t>(t)) % contents.size();
        const auto stored = store_.put(contents[which]);
        if (!stored) {
          ++failures;
        } else if (!stored->existed) {
          ++created[which];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  for (size_t i = 0; i < contents.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(created[i].load(), 1) << "exactly one put writes each content";
  }
  const auto files = files_below(dir_);
  EXPECT_EQ(files.size(), contents.size()) << "no temporary file is left behind";
  for (const auto& file : files) {
    const auto name = file.filename().string();
    const auto found = store_.find(name);
    ASSERT_TRUE(found && found->has_value()) << name;
    EXPECT_EQ(file.parent_path().filename(), name.substr(0, 2));
  }
}

}  // namespace
}  // namespace cityops::services
