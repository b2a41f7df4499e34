// SqliteStore's region versions: a boundary edit closes the current version and opens the next
// under the write mutex; reads answer the versions valid at an instant.
#include "store/sqlite_store.h"

namespace cityops::store {

namespace {

constexpr std::string_view kSelect =
    "SELECT code, layer, name, parent, geometry, source_datum, valid_from, valid_to"
    " FROM regions ";

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp instant(int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

Result<std::vector<Store::RegionVersion>> read_regions(Statement& stmt) {
  std::vector<Store::RegionVersion> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!*row) break;
    Store::RegionVersion v;
    v.region = {stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(4), stmt.text(5)};
    v.valid_from = instant(stmt.integer(6));
    if (!stmt.is_null(7)) v.valid_to = instant(stmt.integer(7));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Status SqliteStore::put_region_version(const RegionRecord& region, Timestamp valid_from) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  auto current =
      writer_.prepare(std::string(kSelect) + "WHERE layer = ? AND code = ? AND valid_to IS NULL");
  if (!current) return current.status();
  current->bind(1, region.layer).bind(2, region.code);
  auto found = read_regions(*current);
  if (!found) return found.status();
  if (found->empty()) {
    return not_found("unknown_region", "no current " + region.layer + " " + region.code);
  }
  const auto start = found->front().valid_from;
  if (valid_from < start) {
    return invalid("valid_from_too_early",
                   "valid_from lies before the current version's start, " + format_rfc3339(start),
                   "valid_from");
  }

  // The same start replaces the current version; a later one closes it and follows it.
  if (valid_from == start) {
    auto remove = writer_.prepare(
        "DELETE FROM regions WHERE layer = ? AND code = ? AND "
        "valid_from = ?");
    if (!remove) return remove.status();
    CITYOPS_RETURN_IF_ERROR(
        remove->bind(1, region.layer).bind(2, region.code).bind(3, epoch(start)).run());
  } else {
    auto close = writer_.prepare(
        "UPDATE regions SET valid_to = ? WHERE layer = ? AND code = ? AND valid_to IS NULL");
    if (!close) return close.status();
    CITYOPS_RETURN_IF_ERROR(
        close->bind(1, epoch(valid_from)).bind(2, region.layer).bind(3, region.code).run());
  }
  auto insert = writer_.prepare(
      "INSERT INTO regions (layer, code, name, parent, geometry, source_datum, valid_from)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  CITYOPS_RETURN_IF_ERROR(insert->bind(1, region.layer)
                              .bind(2, region.code)
                              .bind(3, region.name)
                              .bind(4, region.parent)
                              .bind(5, region.geometry)
                              .bind(6, region.source_datum)
                              .bind(7, epoch(valid_from))
                              .run());
  return tx->commit();
}

Result<std::vector<Store::RegionVersion>> SqliteStore::regions_at(const std::string& layer,
                                                                  Timestamp at) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(std::string(kSelect) +
                               "WHERE layer = ? AND valid_from <= ? AND"
                               " (valid_to IS NULL OR valid_to > ?) ORDER BY code");
  if (!stmt) return stmt.status();
  stmt->bind(1, layer).bind(2, epoch(at)).bind(3, epoch(at));
  return read_regions(*stmt);
}

Result<std::vector<Store::RegionVersion>> SqliteStore::region_history(const std::string& code) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(std::string(kSelect) + "WHERE code = ? ORDER BY valid_from, layer");
  if (!stmt) return stmt.status();
  stmt->bind(1, code);
  return read_regions(*stmt);
}

}  // namespace cityops::store
