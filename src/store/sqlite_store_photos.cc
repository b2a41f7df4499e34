// Photo records: rare writes, under the write mutex, outside group commit. The files
// themselves live on disk (services::PhotoService); photo_links is kept by triggers.
#include <sqlite3.h>

#include "store/sqlite_store.h"

namespace cityops::store {
namespace {

constexpr std::string_view kPhotoColumns =
    "name, content_type, bytes, width, height, thumbnail, taken_at, lon, lat, uploaded_by,"
    " uploaded_at";

Status photos_unsupported() {
  return Status(ErrorKind::kInternal, "photos_unsupported", "this store keeps no photos");
}

Store::PhotoRecord photo_from_row(const Statement& row) {
  Store::PhotoRecord photo;
  photo.name = row.text(0);
  photo.content_type = row.text(1);
  photo.bytes = row.integer(2);
  photo.width = static_cast<int>(row.integer(3));
  photo.height = static_cast<int>(row.integer(4));
  photo.thumbnail = row.text(5);
  if (!row.is_null(6)) photo.taken_at = Timestamp{std::chrono::seconds{row.integer(6)}};
  if (!row.is_null(7) && !row.is_null(8)) photo.location = geo::LonLat{row.real(7), row.real(8)};
  photo.uploaded_by = row.text(9);
  photo.uploaded_at = Timestamp{std::chrono::seconds{row.integer(10)}};
  return photo;
}

Result<std::optional<Store::PhotoRecord>> select_photo(Connection& db, const std::string& name) {
  auto stmt = db.prepare("SELECT " + std::string(kPhotoColumns) + " FROM photos WHERE name = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, name);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<Store::PhotoRecord>();
  return std::optional<Store::PhotoRecord>(photo_from_row(*stmt));
}

}  // namespace

Result<Store::PhotoWrite> Store::put_photo(const PhotoRecord&) { return photos_unsupported(); }
Result<std::optional<Store::PhotoRecord>> Store::find_photo(const std::string&) {
  return photos_unsupported();
}
Result<std::vector<std::string>> Store::cases_naming_photo(const std::string&) {
  return photos_unsupported();
}

Result<Store::PhotoWrite> SqliteStore::put_photo(const PhotoRecord& draft) {
  std::lock_guard lock(write_mutex_);
  auto insert = writer_.prepare("INSERT INTO photos (" + std::string(kPhotoColumns) +
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                " ON CONFLICT (name) DO NOTHING");
  if (!insert) return insert.status();
  insert->bind(1, draft.name)
      .bind(2, draft.content_type)
      .bind(3, draft.bytes)
      .bind(4, int64_t{draft.width})
      .bind(5, int64_t{draft.height})
      .bind(6, draft.thumbnail)
      .bind(10, draft.uploaded_by)
      .bind(11, int64_t{draft.uploaded_at.time_since_epoch().count()});
  if (draft.taken_at) {
    insert->bind(7, int64_t{draft.taken_at->time_since_epoch().count()});
  } else {
    insert->bind_null(7);
  }
  if (draft.location) {
    insert->bind(8, draft.location->lon).bind(9, draft.location->lat);
  } else {
    insert->bind_null(8).bind_null(9);
  }
  CITYOPS_RETURN_IF_ERROR(insert->run());
  if (sqlite3_changes(writer_.raw()) == 1) return PhotoWrite{draft, false};

  auto kept = select_photo(writer_, draft.name);
  if (!kept) return kept.status();
  if (!*kept) return internal_error("photo " + draft.name + " neither inserted nor found");
  return PhotoWrite{std::move(**kept), true};
}

Result<std::optional<Store::PhotoRecord>> SqliteStore::find_photo(const std::string& name) {
  auto lease = lease_reader();
  return select_photo(*lease, name);
}

Result<std::vector<std::string>> SqliteStore::cases_naming_photo(const std::string& name) {
  auto lease = lease_reader();
  auto stmt =
      (*lease).prepare("SELECT case_number FROM photo_links WHERE photo = ? ORDER BY case_number");
  if (!stmt) return stmt.status();
  stmt->bind(1, name);
  std::vector<std::string> numbers;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    numbers.push_back(stmt->text(0));
  }
  return numbers;
}

}  // namespace cityops::store
