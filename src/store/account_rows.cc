#include "store/account_rows.h"

#include <sqlite3.h>
#include <nlohmann/json.hpp>

namespace cityops::store {

namespace {

constexpr std::string_view kUserColumns =
    "id, username, display_name, role, department, grids, password_hash, disabled, created_at,"
    " updated_at";

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp instant(int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

Result<UserRecord> read_user(const Statement& stmt) {
  UserRecord user;
  user.id = stmt.integer(0);
  user.username = stmt.text(1);
  user.display_name = stmt.text(2);
  const auto role = parse_role(stmt.text(3));
  if (!role) return internal_error("user " + user.username + " has unknown role " + stmt.text(3));
  user.role = *role;
  user.department = stmt.text(4);
  const auto grids = nlohmann::json::parse(stmt.text(5), nullptr, false);
  if (!grids.is_array()) return internal_error("user " + user.username + " has unreadable grids");
  for (const auto& grid : grids) {
    if (!grid.is_string()) return internal_error("user " + user.username + " has a bad grid");
    user.grids.push_back(grid.get<std::string>());
  }
  user.password_hash = stmt.text(6);
  user.disabled = stmt.integer(7) != 0;
  user.created_at = instant(stmt.integer(8));
  user.updated_at = instant(stmt.integer(9));
  return user;
}

Result<std::optional<UserRecord>> select_one_user(Statement& stmt) {
  auto row = stmt.step();
  if (!row) return row.status();
  if (!*row) return std::optional<UserRecord>{};
  auto user = read_user(stmt);
  if (!user) return user.status();
  return std::optional<UserRecord>{std::move(user).value()};
}

// Runs an UPDATE of one user and tells a missing user apart from a database failure.
Status expect_one_user_changed(Connection& db, Status ran) {
  if (!ran.is_ok()) return ran;
  if (sqlite3_changes(db.raw()) == 0) return not_found("unknown_user", "no such user");
  return Status::ok();
}

}  // namespace

Result<int64_t> insert_user(Connection& db, const UserRecord& user) {
  // Checked first so that a taken name is a clear conflict, not a constraint failure; the
  // caller holds the write lock, so nobody can take the name in between.
  auto taken = select_user_by_name(db, user.username);
  if (!taken) return taken.status();
  if (*taken) {
    return Status(ErrorKind::kConflict, "username_taken",
                  "the username " + user.username + " is taken", "username");
  }
  auto stmt = db.prepare(
      "INSERT INTO users (username, display_name, role, department, grids, password_hash,"
      " disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, user.username)
                              .bind(2, user.display_name)
                              .bind(3, to_string(user.role))
                              .bind(4, user.department)
                              .bind(5, nlohmann::json(user.grids).dump())
                              .bind(6, user.password_hash)
                              .bind(7, int64_t{user.disabled ? 1 : 0})
                              .bind(8, epoch(user.created_at))
                              .bind(9, epoch(user.updated_at))
                              .run());
  return db.last_insert_rowid();
}

Result<std::optional<UserRecord>> select_user_by_name(Connection& db, const std::string& username) {
  auto stmt = db.prepare(std::string("SELECT ") + std::string(kUserColumns) +
                         " FROM users WHERE username = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, username);
  return select_one_user(*stmt);
}

Result<std::optional<UserRecord>> select_user_by_id(Connection& db, int64_t id) {
  auto stmt =
      db.prepare(std::string("SELECT ") + std::string(kUserColumns) + " FROM users WHERE id = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, id);
  return select_one_user(*stmt);
}

Result<std::vector<UserRecord>> select_users(Connection& db) {
  auto stmt = db.prepare(std::string("SELECT ") + std::string(kUserColumns) +
                         " FROM users ORDER BY username");
  if (!stmt) return stmt.status();
  std::vector<UserRecord> users;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    auto user = read_user(*stmt);
    if (!user) return user.status();
    users.push_back(std::move(user).value());
  }
  return users;
}

Status write_password_hash(Connection& db, int64_t user_id, const std::string& hash, Timestamp at) {
  auto stmt = db.prepare("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.status();
  return expect_one_user_changed(db, stmt->bind(1, hash).bind(2, epoch(at)).bind(3, user_id).run());
}

Status write_disabled(Connection& db, int64_t user_id, bool disabled, Timestamp at) {
  auto stmt = db.prepare("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.status();
  return expect_one_user_changed(
      db, stmt->bind(1, int64_t{disabled ? 1 : 0}).bind(2, epoch(at)).bind(3, user_id).run());
}

Status insert_session(Connection& db, const SessionRecord& session) {
  auto stmt = db.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, revoked_at)"
      " VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  stmt->bind(1, session.token_hash)
      .bind(2, session.user_id)
      .bind(3, epoch(session.created_at))
      .bind(4, epoch(session.expires_at));
  if (session.revoked_at) {
    stmt->bind(5, epoch(*session.revoked_at));
  } else {
    stmt->bind_null(5);
  }
  return stmt->run();
}

Result<std::optional<SessionRecord>> select_session(Connection& db, const std::string& token_hash) {
  auto stmt = db.prepare(
      "SELECT token_hash, user_id, created_at, expires_at, revoked_at FROM sessions"
      " WHERE token_hash = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, token_hash);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<SessionRecord>{};
  SessionRecord session;
  session.token_hash = stmt->text(0);
  session.user_id = stmt->integer(1);
  session.created_at = instant(stmt->integer(2));
  session.expires_at = instant(stmt->integer(3));
  if (!stmt->is_null(4)) session.revoked_at = instant(stmt->integer(4));
  return std::optional<SessionRecord>{std::move(session)};
}

Status revoke_one_session(Connection& db, const std::string& token_hash, Timestamp at) {
  auto stmt =
      db.prepare("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE token_hash = ?");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, epoch(at)).bind(2, token_hash).run());
  if (sqlite3_changes(db.raw()) == 0) return not_found("unknown_session", "no such session");
  return Status::ok();
}

Status revoke_user_sessions(Connection& db, int64_t user_id, Timestamp at) {
  auto stmt =
      db.prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
  if (!stmt) return stmt.status();
  return stmt->bind(1, epoch(at)).bind(2, user_id).run();
}

}  // namespace cityops::store
