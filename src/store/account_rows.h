// SQL for the users and sessions tables. Each function works on the connection it is given
// and assumes the caller holds whatever lock or transaction it needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace cityops::store {

// Inserts the user and returns its new id; kConflict "username_taken" when the name is used.
Result<int64_t> insert_user(Connection& db, const UserRecord& user);
Result<std::optional<UserRecord>> select_user_by_name(Connection& db, const std::string& username);
Result<std::optional<UserRecord>> select_user_by_id(Connection& db, int64_t id);
Result<std::vector<UserRecord>> select_users(Connection& db);

// Each answers kNotFound "unknown_user" when no row has the id.
Status write_password_hash(Connection& db, int64_t user_id, const std::string& hash, Timestamp at);
Status write_disabled(Connection& db, int64_t user_id, bool disabled, Timestamp at);

Status insert_session(Connection& db, const SessionRecord& session);
Result<std::optional<SessionRecord>> select_session(Connection& db, const std::string& token_hash);
// Sets revoked_at on one session (kNotFound "unknown_session" when absent); one already
// revoked keeps its first time.
Status revoke_one_session(Connection& db, const std::string& token_hash, Timestamp at);
// Sets revoked_at on every session of the user that is not revoked yet.
Status revoke_user_sessions(Connection& db, int64_t user_id, Timestamp at);

}  // namespace cityops::store
