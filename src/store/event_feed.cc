// Events across every case, in the order they were written, for partners that follow changes.
#include "store/case_rows.h"
#include "store/sqlite_store.h"

namespace cityops::store {

Result<std::vector<CaseEvent>> SqliteStore::events_between(Timestamp from, Timestamp to,
                                                           const std::vector<std::string>& skip,
                                                           int limit) {
  std::string sql = std::string(kEventColumns) + " FROM case_events WHERE at >= ? AND at < ?";
  if (!skip.empty()) {
    sql += " AND action NOT IN (";
    for (size_t i = 0; i < skip.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
  }
  // Time order, so that a partner asking again from the last time it saw misses nothing.
  sql += " ORDER BY at, id LIMIT ?";
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(sql);
  if (!stmt) return stmt.status();
  int index = 1;
  stmt->bind(index++, from.time_since_epoch().count());
  stmt->bind(index++, to.time_since_epoch().count());
  for (const auto& action : skip) stmt->bind(index++, action);
  stmt->bind(index, static_cast<int64_t>(limit));
  return collect_events(*stmt);
}

Result<std::vector<CaseEvent>> SqliteStore::events_after(int64_t after, int limit) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(std::string(kEventColumns) +
                               " FROM case_events WHERE id > ? ORDER BY id LIMIT ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, after);
  stmt->bind(2, static_cast<int64_t>(limit));
  return collect_events(*stmt);
}

Result<int64_t> SqliteStore::last_event_id() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("SELECT COALESCE(MAX(id), 0) FROM case_events");
  if (!stmt) return stmt.status();
  auto row = stmt->step();
  if (!row) return row.status();
  return stmt->integer(0);
}

void SqliteStore::on_case_commit(std::function<void()> listener) {
  committer_->set_listener(std::move(listener));
}

Result<std::optional<std::string>> SqliteStore::case_of_key(const std::string& key) {
  auto lease = lease_reader();
  return find_idempotent(*lease, key);
}

}  // namespace cityops::store
