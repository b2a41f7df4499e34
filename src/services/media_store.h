// Uploaded photos, stored on disk under the SHA-256 of their bytes.
//
// A file's name is "<64 lower-case hex digits>.<jpg|png|webp>", so the same photo sent twice
// is kept once and a name can be handed out as a stable URL. Files live in a subdirectory
// named after the first two hex digits (dir/1d/1d04...73b.jpg), which keeps every directory
// small. The type comes from the bytes alone; a client's filename and Content-Type are never
// trusted.
//
//   MediaStore media(config.data_dir / "media", 10 << 20);
//   auto stored = media.put(part.data);
//   if (!stored) return problem(stored.status());
//   case.media_url = "/media/" + stored->name;
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cityops::services {

struct StoredMedia {
  std::string name;          // "<sha256 hex>.<ext>"
  std::string content_type;  // "image/jpeg", "image/png" or "image/webp"
  size_t size = 0;           // bytes
  bool existed = false;      // the same bytes were stored before this call
};

class MediaStore {
 public:
  // `dir` is created on the first put, not here, so that a server that never receives a photo
  // leaves no trace. REQUIRES: max_bytes > 0.
  MediaStore(std::filesystem::path dir, size_t max_bytes);

  // Stores `bytes` unless a file of the same content is there already, and returns only once
  // the file and its directory entry are on disk (written to a temporary file, fsynced,
  // renamed, directory fsynced), so a crash leaves either nothing or the whole file. Safe to
  // call from many threads, for the same content or different content. A crash mid-write can
  // leave a hidden ".<name>.<random>.tmp" file behind; find() never answers with one.
  //
  // What is accepted: JPEG (FF D8 FF), PNG (signature, then an IHDR chunk) and WebP
  // (RIFF....WEBP, then a VP8, VP8L or VP8X chunk). Truncation is checked without decoding: a
  // JPEG's marker segments must lead to a start-of-scan and an end marker FF D9 must follow it
  // (the scan data cannot hold FF D9; an EXIF thumbnail's own end marker comes before the
  // scan), a PNG must contain its IEND chunk, and a WebP must be as long as its RIFF header
  // says. Bytes after the end are allowed, as phones append videos to "motion" photos.
  //
  // Errors, all with field "media":
  //   kInvalidArgument "empty_media"          no bytes at all
  //   kPayloadTooLarge "media_too_large"      more than max_bytes
  //   kUnsupportedMedia "not_an_image"        none of the three formats
  //   kInvalidArgument "broken_image"         one of them, but cut short or missing a part
  //   kInternal                               the disk refused (the message says what)
  Result<StoredMedia> put(std::string_view bytes);

  // What put() would store for `bytes` (name, type, size; existed is false), with the same
  // checks and errors, without touching the disk: for callers with checks of their own to
  // pass before anything is written.
  Result<StoredMedia> inspect(std::string_view bytes) const;

  // The stored file called `name`, with its size and the content type its extension stands
  // for (existed is true); nullopt when there is none. `name` must be exactly what put()
  // returns: 64 lower-case hex digits, a dot, and jpg, png or webp. Anything else, which
  // includes every path with a slash or "..", is kInvalidArgument "invalid_media_name".
  Result<std::optional<StoredMedia>> find(std::string_view name) const;

  // Where the file for `media` lives. REQUIRES: media.name came from put() or find().
  std::filesystem::path path_of(const StoredMedia& media) const;

 private:
  // Holds a name while one put() stores it, so that a second put() of the same bytes waits
  // and then finds the file instead of writing it again.
  class NameClaim {
   public:
    NameClaim(MediaStore& store, std::string name);
    ~NameClaim();
    NameClaim(const NameClaim&) = delete;
    NameClaim& operator=(const NameClaim&) = delete;

   private:
    MediaStore& store_;
    std::string name_;
  };

  Result<StoredMedia> write_once(StoredMedia media, std::string_view bytes);

  const std::filesystem::path dir_;
  const size_t max_bytes_;

  std::mutex mutex_;
  std::condition_variable released_;
  std::set<std::string> in_flight_;  // guarded by mutex_
};

}  // namespace cityops::services
