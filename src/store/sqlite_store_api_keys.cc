// SqliteStore's API keys: rare writes under the write mutex, outside group commit, and reads on
// the reader pool. Nothing is cached, so a key that another process (the command line) creates
// or revokes counts from the next lookup on.
#include <sqlite3.h>

#include "store/sqlite_store.h"

namespace cityops::store {

namespace {

constexpr std::string_view kColumns = "id, name, key_hash, department, created_at, revoked_at";

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp instant(int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

std::string select_where(std::string_view condition) {
  return "SELECT " + std::string(kColumns) + " FROM api_keys " + std::string(condition);
}

ApiKeyRecord read_key(const Statement& stmt) {
  ApiKeyRecord key;
  key.id = stmt.integer(0);
  key.name = stmt.text(1);
  key.key_hash = stmt.text(2);
  key.department = stmt.text(3);
  key.created_at = instant(stmt.integer(4));
  if (!stmt.is_null(5)) key.revoked_at = instant(stmt.integer(5));
  return key;
}

Result<std::optional<ApiKeyRecord>> select_one_key(Statement& stmt) {
  auto row = stmt.step();
  if (!row) return row.status();
  if (!*row) return std::optional<ApiKeyRecord>{};
  return std::optional<ApiKeyRecord>{read_key(stmt)};
}

Result<bool> name_taken(Connection& db, const std::string& name) {
  auto stmt = db.prepare("SELECT 1 FROM api_keys WHERE name = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, name);
  return stmt->step();
}

}  // namespace

Result<ApiKeyRecord> SqliteStore::create_api_key(const ApiKeyRecord& draft) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  // Checked first so that a taken name is a clear conflict rather than a constraint failure;
  // the transaction keeps another process from taking the name in between.
  auto taken = name_taken(writer_, draft.name);
  if (!taken) return taken.status();
  if (*taken) {
    return Status(ErrorKind::kConflict, "api_key_name_taken",
                  "an API key is already named " + draft.name, "name");
  }
  auto stmt = writer_.prepare(
      "INSERT INTO api_keys (name, key_hash, department, created_at, revoked_at)"
      " VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  stmt->bind(1, draft.name)
      .bind(2, draft.key_hash)
      .bind(3, draft.department)
      .bind(4, epoch(draft.created_at));
  if (draft.revoked_at) {
    stmt->bind(5, epoch(*draft.revoked_at));
  } else {
    stmt->bind_null(5);
  }
  CITYOPS_RETURN_IF_ERROR(stmt->run());
  ApiKeyRecord created = draft;
  created.id = writer_.last_insert_rowid();
  CITYOPS_RETURN_IF_ERROR(tx->commit());
  return created;
}

Result<std::optional<ApiKeyRecord>> SqliteStore::find_api_key(const std::string& key_hash) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(select_where("WHERE key_hash = ?"));
  if (!stmt) return stmt.status();
  stmt->bind(1, key_hash);
  return select_one_key(*stmt);
}

Result<std::vector<ApiKeyRecord>> SqliteStore::list_api_keys() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(select_where("ORDER BY name"));
  if (!stmt) return stmt.status();
  std::vector<ApiKeyRecord> keys;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    keys.push_back(read_key(*stmt));
  }
  return keys;
}

Status SqliteStore::revoke_api_key(const std::string& name, Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto stmt =
      writer_.prepare("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE name = ?");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, epoch(at)).bind(2, name).run());
  // An UPDATE that matched a row counts it even when COALESCE kept the old time.
  if (sqlite3_changes(writer_.raw()) == 0) {
    return not_found("unknown_api_key", "no API key is named " + name);
  }
  return Status::ok();
}

}  // namespace cityops::store
