// SqliteStore's accounts and sessions: rare writes, under the write mutex, outside group commit.
#include "store/account_rows.h"
#include "store/sqlite_store.h"

namespace cityops::store {

Result<UserRecord> SqliteStore::create_user(const UserRecord& draft) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  auto id = insert_user(writer_, draft);
  if (!id) return id.status();
  CITYOPS_RETURN_IF_ERROR(tx->commit());
  UserRecord created = draft;
  created.id = *id;
  return created;
}

Result<std::optional<UserRecord>> SqliteStore::find_user_by_name(const std::string& username) {
  auto lease = lease_reader();
  return select_user_by_name(*lease, username);
}

Result<std::optional<UserRecord>> SqliteStore::find_user_by_id(int64_t id) {
  auto lease = lease_reader();
  return select_user_by_id(*lease, id);
}

Result<std::vector<UserRecord>> SqliteStore::list_users() {
  auto lease = lease_reader();
  return select_users(*lease);
}

Status SqliteStore::update_password(int64_t user_id, const std::string& password_hash,
                                    Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  CITYOPS_RETURN_IF_ERROR(write_password_hash(writer_, user_id, password_hash, at));
  CITYOPS_RETURN_IF_ERROR(revoke_user_sessions(writer_, user_id, at));
  return tx->commit();
}

Status SqliteStore::set_disabled(int64_t user_id, bool disabled, Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  CITYOPS_RETURN_IF_ERROR(write_disabled(writer_, user_id, disabled, at));
  if (disabled) CITYOPS_RETURN_IF_ERROR(revoke_user_sessions(writer_, user_id, at));
  return tx->commit();
}

Status SqliteStore::create_session(const SessionRecord& session) {
  std::lock_guard lock(write_mutex_);
  return insert_session(writer_, session);
}

Result<std::optional<SessionRecord>> SqliteStore::find_session(const std::string& token_hash) {
  auto lease = lease_reader();
  return select_session(*lease, token_hash);
}

Status SqliteStore::revoke_session(const std::string& token_hash, Timestamp at) {
  std::lock_guard lock(write_mutex_);
  return revoke_one_session(writer_, token_hash, at);
}

}  // namespace cityops::store
