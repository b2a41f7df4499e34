#include "services/photos.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "media/exif.h"

namespace cityops::services {
namespace {

// A thumbnail of at most 320 x 320 pixels at quality 80 is well under this.
constexpr size_t kMaxThumbnailBytes = 4 << 20;

// MediaStore names its field "media"; the photo API's is "photo".
Status as_photo_field(const Status& status) {
  if (status.field() != "media") return status;
  return Status(status.kind(), status.code(), status.message(), "photo");
}

bool sees_every_case(Role role) {
  return role != Role::kDepartmentHandler && role != Role::kGridWorker && role != Role::kInspector;
}

}  // namespace

PhotoService::PhotoService(store::Store& store, const std::filesystem::path& dir,
                           PhotoSettings settings, const Clock& clock)
    : store_(store),
      settings_(settings),
      clock_(clock),
      originals_(dir, settings.max_bytes),
      thumbnails_(dir / "thumbs", kMaxThumbnailBytes) {}

Result<StoredPhoto> PhotoService::store(std::string_view bytes, const std::string& uploader) {
  auto original = originals_.inspect(bytes);
  if (!original) return as_photo_field(original.status());
  // The same bytes passed every check before; their first record stands.
  auto known = store_.find_photo(original->name);
  if (!known) return known.status();
  if (*known) return StoredPhoto{std::move(**known), true};

  auto exif = media::read_exif(bytes);
  if (!exif) return exif.status();
  auto thumbnail = media::make_thumbnail(bytes, exif->orientation, settings_.thumbnails);
  if (!thumbnail) return thumbnail.status();

  auto stored = originals_.put(bytes);
  if (!stored) return as_photo_field(stored.status());
  auto thumb = thumbnails_.put(thumbnail->jpeg);
  if (!thumb) return as_photo_field(thumb.status());

  PhotoRecord draft;
  draft.name = stored->name;
  draft.content_type = stored->content_type;
  draft.bytes = static_cast<int64_t>(stored->size);
  draft.width = thumbnail->image_width;
  draft.height = thumbnail->image_height;
  draft.thumbnail = thumb->name;
  draft.taken_at = exif->taken_at;
  draft.location = exif->location;
  draft.uploaded_by = uploader;
  draft.uploaded_at = clock_.now();
  auto written = store_.put_photo(draft);
  if (!written) return written.status();
  if (!written->existed) {
    spdlog::info("photo {} stored for {} ({} bytes, {}x{})", draft.name, uploader, draft.bytes,
                 draft.width, draft.height);
  }
  return written;
}

Status PhotoService::check(std::string_view bytes) const {
  auto original = originals_.inspect(bytes);
  if (!original) return as_photo_field(original.status());
  auto exif = media::read_exif(bytes);
  if (!exif) return exif.status();
  auto thumbnail = media::make_thumbnail(bytes, exif->orientation, settings_.thumbnails);
  if (!thumbnail) return thumbnail.status();
  return Status::ok();
}

Result<std::optional<PhotoRecord>> PhotoService::find(const std::string& name) {
  return store_.find_photo(name);
}

Result<bool> PhotoService::may_see(const Principal& principal, const PhotoRecord& photo) {
  if (principal.username == photo.uploaded_by || sees_every_case(principal.role)) return true;
  auto numbers = store_.cases_naming_photo(photo.name);
  if (!numbers) return numbers.status();
  for (const auto& number : *numbers) {
    auto found = store_.find_case(number);
    if (!found) return found.status();
    if (*found && in_scope(principal, **found)) return true;
  }
  return false;
}

std::filesystem::path PhotoService::original_path(const PhotoRecord& photo) const {
  return originals_.path_of(StoredMedia{photo.name, photo.content_type, 0, true});
}

std::filesystem::path PhotoService::thumbnail_path(const PhotoRecord& photo) const {
  return thumbnails_.path_of(StoredMedia{photo.thumbnail, "image/jpeg", 0, true});
}

Status PhotoService::check_attachable(const Principal* who, const std::vector<std::string>& refs,
                                      const std::string& field) {
  for (size_t i = 0; i < refs.size(); ++i) {
    const std::string& ref = refs[i];
    const std::string name = ref.substr(ref.find_last_of('/') + 1);
    auto found = find(name);
    if (!found) return found.status();
    bool visible = false;
    if (*found && who) {
      auto may = may_see(*who, **found);
      if (!may) return may.status();
      visible = *may;
    }
    if (!visible) {
      return invalid("unknown_photo",
                     "no photo " + ref + " of yours: upload it to /api/v1/photos first",
                     field + "[" + std::to_string(i) + "]");
    }
  }
  return Status::ok();
}

}  // namespace cityops::services
