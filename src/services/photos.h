// Photos that signed-in users upload: checked, read for EXIF time and place, given a
// thumbnail, kept on disk by content and recorded in the store.
//
// Originals live in `dir` and thumbnails in `dir`/thumbs, each a MediaStore (files named by
// the SHA-256 of their bytes), so the same photo uploaded twice is stored and recorded once.
// Any code that takes a photo with a report calls store() and keeps the returned name:
//
//   auto photo = photos.store(part.data, principal.username);
//   if (!photo) return problem(photo.status(), req);  // field "photo"
//   report.photos.push_back(photo->photo.name);       // the case now names it
//
// A case that names a photo (the name, or a URL ending with it) lets everyone who may see the
// case see the photo too (may_see).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "domain/role.h"
#include "media/thumbnail.h"
#include "services/media_store.h"
#include "store/store.h"

namespace cityops::services {

struct PhotoSettings {
  size_t max_bytes = 8 << 20;
  media::ThumbnailLimits thumbnails;
};

using PhotoRecord = store::Store::PhotoRecord;
using StoredPhoto = store::Store::PhotoWrite;

class PhotoService {
 public:
  PhotoService(store::Store& store, const std::filesystem::path& dir, PhotoSettings settings,
               const Clock& clock);

  // Checks `bytes`, then writes the original, its thumbnail and the record, in that order, so
  // a record never names a missing file. Bytes already recorded answer the first record with
  // existed = true and write nothing. Nothing is written unless every check passes.
  //
  // Errors, all with field "photo":
  //   kInvalidArgument "empty_media"         no bytes
  //   kPayloadTooLarge "media_too_large"     more than settings.max_bytes
  //   kUnsupportedMedia "not_an_image"       not JPEG, PNG or WebP
  //   kInvalidArgument "broken_image"        cut short, or the codec cannot decode it
  //   kInvalidArgument "broken_exif"         an EXIF block that is there but broken
  //   kPayloadTooLarge "image_too_large"     more than settings.thumbnails.max_pixels
  //   kInternal                              the disk or the database refused
  Result<StoredPhoto> store(std::string_view bytes, const std::string& uploader);

  // Runs every check of store() on `bytes` and writes nothing, so a request with several
  // photos can be refused before any is kept. The same errors as store(), but kInternal.
  Status check(std::string_view bytes) const;

  // The record of photo `name`; nullopt when there is none (any name, even a malformed one).
  Result<std::optional<PhotoRecord>> find(const std::string& name);

  // Whether `principal` may see `photo`: its uploader; roles that see every case; and anyone
  // who may see (in_scope) a case that names it.
  Result<bool> may_see(const Principal& principal, const PhotoRecord& photo);

  // Checks photos a case or an action names (a name, or a URL ending with it): each must be a
  // recorded photo that `who` may see, so that nobody gains sight of a photo by attaching it to
  // a case of their own. `who` is null for an anonymous report. kInvalidArgument
  // "unknown_photo" with field `field`[i] for the first that is not.
  Status check_attachable(const Principal* who, const std::vector<std::string>& refs,
                          const std::string& field);

  // Where the original and the thumbnail of a recorded photo are.
  std::filesystem::path original_path(const PhotoRecord& photo) const;
  std::filesystem::path thumbnail_path(const PhotoRecord& photo) const;

 private:
  store::Store& store_;
  const PhotoSettings settings_;
  const Clock& clock_;
  MediaStore originals_;
  MediaStore thumbnails_;
};

}  // namespace cityops::services
