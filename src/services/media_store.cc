#include "services/media_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <system_error>
#include <utility>

namespace cityops::services {
namespace {

namespace fs = std::filesystem;
using namespace std::string_view_literals;

struct ImageType {
  std::string_view extension;
  std::string_view content_type;
};

constexpr ImageType kJpeg{"jpg", "image/jpeg"};
constexpr ImageType kPng{"png", "image/png"};
constexpr ImageType kWebp{"webp", "image/webp"};
constexpr std::array<ImageType, 3> kImageTypes{kJpeg, kPng, kWebp};

constexpr size_t kHexDigits = crypto_hash_sha256_BYTES * 2;

Status broken(std::string message) { return invalid("broken_image", std::move(message), "media"); }

Status disk_error(std::string_view action, const fs::path& path, int error) {
  return internal_error("cannot " + std::string(action) + " " + path.string() + ": " +
                        std::error_code(error, std::system_category()).message());
}

unsigned byte_at(std::string_view bytes, size_t i) { return static_cast<unsigned char>(bytes[i]); }

// Walks the marker segments up to the first scan, then looks for the end marker after it.
Status check_jpeg(std::string_view bytes) {
  size_t pos = 2;
  while (true) {
    // Like libjpeg, skip stray bytes and the fill bytes (FF FF ...) allowed before a marker.
    pos = bytes.find('\xFF', pos);
    while (pos < bytes.size() && byte_at(bytes, pos) == 0xFF) ++pos;
    if (pos >= bytes.size()) return broken("the JPEG ends before its image data");
    const unsigned marker = byte_at(bytes, pos++);
    if (marker == 0xD9) return broken("the JPEG ends before its image data");
    // TEM, RST0-7 and a stuffed zero carry no length.
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (pos + 2 > bytes.size()) return broken("the JPEG is cut short in its headers");
    const size_t length = (byte_at(bytes, pos) << 8) | byte_at(bytes, pos + 1);
    if (length < 2) return broken("the JPEG has a segment of impossible length");
    pos += length;
    if (pos > bytes.size()) return broken("the JPEG is cut short in its headers");
    if (marker == 0xDA) break;
  }
  // Scan data stuffs every FF with 00, so the first FF D9 from here is the image's end.
  if (bytes.find("\xFF\xD9"sv, pos) == std::string_view::npos) {
    return broken("the JPEG has no end marker; it was cut short");
  }
  return Status::ok();
}

Status check_png(std::string_view bytes) {
  if (bytes.size() < 16 || bytes.substr(8, 8) != "\0\0\0\x0DIHDR"sv) {
    return broken("the PNG does not start with an IHDR chunk");
  }
  // IEND has no data, so the whole chunk, CRC included, is always these 12 bytes.
  if (bytes.find("\0\0\0\0IEND\xAE\x42\x60\x82"sv, 16) == std::string_view::npos) {
    return broken("the PNG has no IEND chunk; it was cut short");
  }
  return Status::ok();
}

Status check_webp(std::string_view bytes) {
  if (bytes.size() < 20) return broken("the WebP has no image chunk");
  const std::string_view chunk = bytes.substr(12, 4);
  if (chunk != "VP8 " && chunk != "VP8L" && chunk != "VP8X") {
    return broken("the WebP does not start with a VP8, VP8L or VP8X chunk");
  }
  const uint64_t riff_size = byte_at(bytes, 4) | (byte_at(bytes, 5) << 8) |
                             (byte_at(bytes, 6) << 16) | (uint64_t{byte_at(bytes, 7)} << 24);
  if (riff_size + 8 > bytes.size()) {
    return broken("the WebP is shorter than its RIFF header says; it was cut short");
  }
  return Status::ok();
}

Result<ImageType> sniff(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xD8\xFF"sv)) {
    CITYOPS_RETURN_IF_ERROR(check_jpeg(bytes));
    return kJpeg;
  }
  if (bytes.starts_with("\x89PNG\r\n\x1A\n"sv)) {
    CITYOPS_RETURN_IF_ERROR(check_png(bytes));
    return kPng;
  }
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
    CITYOPS_RETURN_IF_ERROR(check_webp(bytes));
    return kWebp;
  }
  return Status(ErrorKind::kUnsupportedMedia, "not_an_image",
                "only JPEG, PNG and WebP photos are accepted", "media");
}

std::string to_hex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return to_hex(digest.data(), digest.size());
}

// "<64 lower-case hex>.<known extension>" and nothing else, so no name can leave the store.
std::optional<ImageType> type_of_name(std::string_view name) {
  if (name.size() < kHexDigits + 2 || name[kHexDigits] != '.') return std::nullopt;
  for (size_t i = 0; i < kHexDigits; ++i) {
    const char c = name[i];
    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return std::nullopt;
  }
  const std::string_view extension = name.substr(kHexDigits + 1);
  for (const auto& type : kImageTypes) {
    if (type.extension == extension) return type;
  }
  return std::nullopt;
}

Status sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return disk_error("open", dir, errno);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return disk_error("fsync", dir, error);
  return Status::ok();
}

Status ensure_directory(const fs::path& dir) {
  std::error_code error;
  if (fs::is_directory(dir, error)) return Status::ok();
  fs::create_directories(dir, error);
  if (error) return internal_error("cannot create " + dir.string() + ": " + error.message());
  // The new entry must be as durable as the files about to be put in it.
  return sync_directory(dir.has_parent_path() ? dir.parent_path() : fs::path("."));
}

Status write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return disk_error("write", path, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Status::ok();
}

// A file written beside its final name and renamed over it once complete; removed unless
// renamed, so that a failed put leaves nothing behind.
class TempFile {
 public:
  explicit TempFile(fs::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  Status write_durably(std::string_view bytes) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) return disk_error("create", path_, errno);
    CITYOPS_RETURN_IF_ERROR(write_all(fd_, bytes, path_));
    if (::fsync(fd_) != 0) return disk_error("fsync", path_, errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) return disk_error("close", path_, errno);
    return Status::ok();
  }

  Status rename_to(const fs::path& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) return disk_error("rename", path_, errno);
    renamed_ = true;
    return Status::ok();
  }

 private:
  fs::path path_;
  int fd_ = -1;
  bool renamed_ = false;
};

std::string random_suffix() {
  std::array<unsigned char, 8> random{};
  randombytes_buf(random.data(), random.size());
  return to_hex(random.data(), random.size());
}

// "media/" and "media" are one directory; the trailing slash would make parent_path() wrong.
fs::path without_trailing_slash(fs::path dir) {
  dir = dir.lexically_normal();
  if (!dir.has_filename() && dir.has_relative_path()) dir = dir.parent_path();
  return dir;
}

}  // namespace

MediaStore::MediaStore(std::filesystem::path dir, size_t max_bytes)
    : dir_(without_trailing_slash(std::move(dir))), max_bytes_(max_bytes) {
  assert(max_bytes_ > 0 && "a store that accepts no bytes refuses every photo");
  assert(!dir_.empty() && "the media directory must be named");
  // Safe to call again; the command line has called it already.
  if (sodium_init() < 0) spdlog::critical("libsodium failed to initialise");
}

Result<StoredMedia> MediaStore::put(std::string_view bytes) {
  auto media = inspect(bytes);
  if (!media) return media.status();
  const NameClaim claim(*this, media->name);
  return write_once(std::move(media).value(), bytes);
}

Result<StoredMedia> MediaStore::inspect(std::string_view bytes) const {
  if (bytes.empty()) return invalid("empty_media", "the photo has no bytes", "media");
  if (bytes.size() > max_bytes_) {
    return Status(ErrorKind::kPayloadTooLarge, "media_too_large",
                  "a photo is at most " + std::to_string(max_bytes_) + " bytes", "media");
  }
  const auto type = sniff(bytes);
  if (!type) return type.status();

  StoredMedia media;
  media.name = sha256_hex(bytes) + "." + std::string(type->extension);
  media.content_type = std::string(type->content_type);
  media.size = bytes.size();
  return media;
}

Result<StoredMedia> MediaStore::write_once(StoredMedia media, std::string_view bytes) {
  const fs::path target = path_of(media);
  const fs::path subdir = target.parent_path();
  struct stat info {};
  if (::stat(target.c_str(), &info) == 0) {
    // It may come from a put that stopped between its rename and its directory fsync.
    CITYOPS_RETURN_IF_ERROR(sync_directory(subdir));
    media.existed = true;
    return media;
  }
  if (errno != ENOENT && errno != ENOTDIR) return disk_error("look for", target, errno);

  CITYOPS_RETURN_IF_ERROR(ensure_directory(dir_));
  CITYOPS_RETURN_IF_ERROR(ensure_directory(subdir));
  TempFile temp(subdir / ("." + media.name + "." + random_suffix() + ".tmp"));
  CITYOPS_RETURN_IF_ERROR(temp.write_durably(bytes));
  CITYOPS_RETURN_IF_ERROR(temp.rename_to(target));
  CITYOPS_RETURN_IF_ERROR(sync_directory(subdir));
  spdlog::debug("media {} stored ({} bytes, {})", media.name, media.size, media.content_type);
  return media;
}

Result<std::optional<StoredMedia>> MediaStore::find(std::string_view name) const {
  const auto type = type_of_name(name);
  if (!type) {
    return invalid("invalid_media_name",
                   "a media name is 64 lower-case hex digits and .jpg, .png or .webp", "media");
  }
  StoredMedia media;
  media.name = std::string(name);
  media.content_type = std::string(type->content_type);
  media.existed = true;

  const fs::path path = path_of(media);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<StoredMedia>();
    return disk_error("look for", path, errno);
  }
  if (!S_ISREG(info.st_mode)) return std::optional<StoredMedia>();
  media.size = static_cast<size_t>(info.st_size);
  return std::optional<StoredMedia>(std::move(media));
}

std::filesystem::path MediaStore::path_of(const StoredMedia& media) const {
  assert(media.name.size() > 2 && "names come from put() or find()");
  return dir_ / media.name.substr(0, 2) / media.name;
}

MediaStore::NameClaim::NameClaim(MediaStore& store, std::string name)
    : store_(store), name_(std::move(name)) {
  std::unique_lock lock(store_.mutex_);
  store_.released_.wait(lock, [this] { return !store_.in_flight_.contains(name_); });
  store_.in_flight_.insert(name_);
}

MediaStore::NameClaim::~NameClaim() {
  {
    const std::lock_guard lock(store_.mutex_);
    store_.in_flight_.erase(name_);
  }
  store_.released_.notify_all();
}

}  // namespace cityops::services
