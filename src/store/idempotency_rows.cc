// The idempotency keys: which case a client's key first created.
#include "store/case_rows.h"

namespace cityops::store {

Result<std::optional<std::string>> find_idempotent(Connection& db, const std::string& key) {
  auto stmt = db.prepare("SELECT case_number FROM idempotency_keys WHERE key = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, key);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{stmt->text(0)};
}

Status remember_idempotent(Connection& db, const std::string& key, const std::string& number,
                           Timestamp at) {
  auto stmt =
      db.prepare("INSERT INTO idempotency_keys (key, case_number, created_at) VALUES (?, ?, ?)");
  if (!stmt) return stmt.status();
  return stmt->bind(1, key).bind(2, number).bind(3, at.time_since_epoch().count()).run();
}

}  // namespace cityops::store
