// Events across every case, in the order they were written, for partners that follow changes.
#include "store/case_rows.h"
#include "store/sqlite_store.h"

namespace cityops::store {

Result<std::vector<CaseEvent>> SqliteStore::events_between(Timestamp from, Timestamp to,
                                                           int limit) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(std::string(kEventColumns) +
                               " FROM case_events WHERE at >= ? AND at < ? ORDER BY id LIMIT ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, from.time_since_epoch().count())
      .bind(2, to.time_since_epoch().count())
      .bind(3, static_cast<int64_t>(limit));
  return collect_events(*stmt);
}

Result<std::optional<std::string>> SqliteStore::case_of_key(const std::string& key) {
  auto lease = lease_reader();
  return find_idempotent(*lease, key);
}

}  // namespace cityops::store
