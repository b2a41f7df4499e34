// The photo service over a real SQLite store in a temporary directory: what one upload writes,
// that the same bytes are kept once with their first record, that refused photos leave no
// file and no row, and who may see a photo, through the cases that name it.
#include "services/photos.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "media/image_codec.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::services {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;
using cityops::testing::TempDir;

// A 600 x 300 JPEG of one grey level.
std::string grey_jpeg(uint8_t level = 128) {
  media::RgbImage image{600, 300, std::vector<uint8_t>(600 * 300 * 3, level)};
  return media::encode_jpeg(image, 85).value();
}

size_t files_under(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) count += entry.is_regular_file();
  return count;
}

class PhotoServiceTest : public ::testing::Test {
 protected:
  PhotoServiceTest() {
    store_ = store::SqliteStore::open(dir_.path() / "cityops.db", 2).value();
    PhotoSettings settings;
    settings.max_bytes = 200'000;
    photos_ = std::make_unique<PhotoService>(*store_, dir_.path() / "photos", settings, clock_);
  }

  // A case in unit grid `grid` whose photos name `reference`.
  std::string case_naming(const std::string& reference, const std::string& grid) {
    Case c;
    c.category = "06015";
    c.description = "沙滩垃圾";
    c.location = {119.4912, 39.8125};
    c.unit_grid = grid;
    c.department = "D01";
    c.reported_at = clock_.now();
    c.photos = {reference};
    return store_->create_case(c, "130304", "clerk").value().created.number;
  }

  TempDir dir_{"photos"};
  FixedClock clock_{Timestamp{std::chrono::seconds{1'780'000'000}}};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<PhotoService> photos_;
};

TEST_F(PhotoServiceTest, StoresTheOriginalAThumbnailAndARecordOnce) {
  const std::string bytes = grey_jpeg();
  auto first = photos_->store(bytes, "gw1");
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  EXPECT_FALSE(first->existed);
  const PhotoRecord& photo = first->photo;
  EXPECT_EQ(photo.name.size(), 64u + 4u);
  EXPECT_TRUE(photo.name.ends_with(".jpg"));
  EXPECT_EQ(photo.content_type, "image/jpeg");
  EXPECT_EQ(photo.bytes, int64_t(bytes.size()));
  EXPECT_EQ(photo.width, 600);
  EXPECT_EQ(photo.height, 300);
  EXPECT_FALSE(photo.taken_at || photo.location);
  EXPECT_EQ(photo.uploaded_by, "gw1");
  EXPECT_EQ(photo.uploaded_at, clock_.now());
  EXPECT_EQ(fs::file_size(photos_->original_path(photo)), bytes.size());
  EXPECT_TRUE(fs::exists(photos_->thumbnail_path(photo)));

  clock_.advance(std::chrono::seconds(60));
  auto second = photos_->store(bytes, "gw2");
  ASSERT_TRUE(second.is_ok());
  EXPECT_TRUE(second->existed);
  EXPECT_EQ(second->photo.uploaded_by, "gw1");
  EXPECT_EQ(second->photo.uploaded_at, photo.uploaded_at);
  EXPECT_EQ(files_under(dir_.path() / "photos"), 2u);  // the original and its thumbnail
  auto found = photos_->find(photo.name);
  ASSERT_TRUE(found.is_ok() && *found);
  EXPECT_EQ((*found)->thumbnail, photo.thumbnail);
}

TEST_F(PhotoServiceTest, RefusedPhotosLeaveNothingBehind) {
  std::string broken_exif = grey_jpeg();
  // An APP1 Exif segment right after SOI whose IFD0 offset (0xF0) is past its 16 bytes.
  const std::string app1 = "\xFF\xE1\x00\x12"s + "Exif\0\0"s + "II*\0\xF0\0\0\0"s + "\0\0"s;
  broken_exif.insert(2, app1);
  struct Row {
    const char* label;
    std::string bytes;
    std::string code;
    ErrorKind kind;
  };
  const std::vector<Row> rows = {
      {"empty", "", "empty_media", ErrorKind::kInvalidArgument},
      {"text", "just some text, not a photo", "not_an_image", ErrorKind::kUnsupportedMedia},
      {"too large", "\xFF\xD8\xFF"s + std::string(200'000, 'x'), "media_too_large",
       ErrorKind::kPayloadTooLarge},
      {"cut short", grey_jpeg().substr(0, 400), "broken_image", ErrorKind::kInvalidArgument},
      {"broken EXIF", broken_exif, "broken_exif", ErrorKind::kInvalidArgument},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    auto refused = photos_->store(row.bytes, "gw1");
    ASSERT_FALSE(refused.is_ok());
    EXPECT_EQ(refused.status().code(), row.code);
    EXPECT_EQ(refused.status().kind(), row.kind);
    EXPECT_EQ(refused.status().field(), "photo");
  }
  EXPECT_EQ(files_under(dir_.path() / "photos"), 0u);
}

TEST_F(PhotoServiceTest, SeenByItsUploaderEveryCaseRoleAndWhoeverSeesACaseNamingIt) {
  const PhotoRecord photo = photos_->store(grey_jpeg(), "gw1").value().photo;
  const auto may_see = [&](const Principal& p) { return photos_->may_see(p, photo).value(); };
  Principal uploader{1, "gw1", "", Role::kGridWorker, "", {"G1"}, ""};
  Principal other_worker{2, "gw2", "", Role::kGridWorker, "", {"G2"}, ""};
  Principal handler{3, "h1", "", Role::kDepartmentHandler, "D01", {}, ""};
  Principal supervisor{4, "s1", "", Role::kSupervisor, "", {}, ""};
  EXPECT_TRUE(may_see(uploader));
  EXPECT_TRUE(may_see(supervisor));
  EXPECT_FALSE(may_see(other_worker));
  EXPECT_FALSE(may_see(handler));

  // A case of grid G1 and department D01 names the photo by its URL.
  const std::string number = case_naming("/api/v1/photos/" + photo.name, "G1");
  EXPECT_EQ(store_->cases_naming_photo(photo.name).value(), std::vector<std::string>{number});
  EXPECT_TRUE(may_see(handler));
  EXPECT_FALSE(may_see(other_worker));
  case_naming(photo.name, "G2");
  EXPECT_TRUE(may_see(other_worker));
}

TEST_F(PhotoServiceTest, HandlingPhotosAndEventAttachmentsNameAPhotoToo) {
  const std::string handling = photos_->store(grey_jpeg(60), "h1").value().photo.name;
  const std::string attached = photos_->store(grey_jpeg(200), "h1").value().photo.name;
  const std::string number = case_naming("https://elsewhere.example/p/1.jpg", "G1");
  EXPECT_TRUE(store_->cases_naming_photo(handling).value().empty());

  Case after = store_->find_case(number).value().value();
  after.version += 1;
  after.handling_photos = {"/api/v1/photos/" + handling};
  CaseEvent event;
  event.case_number = number;
  event.version = after.version;
  event.action = "comment";
  event.actor = "h1";
  event.at = clock_.now();
  event.from_state = after.state;
  event.to_state = after.state;
  event.attachments = {attached};
  ASSERT_TRUE(store_->apply_changes({{after, event}}).is_ok());
  EXPECT_EQ(store_->cases_naming_photo(handling).value(), std::vector<std::string>{number});
  EXPECT_EQ(store_->cases_naming_photo(attached).value(), std::vector<std::string>{number});
}

}  // namespace
}  // namespace cityops::services
