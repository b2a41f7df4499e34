#include "store/sqlite_db.h"

#include <fmt/format.h>

#include <utility>

namespace cityops::store {

namespace {

Status sqlite_error(sqlite3* db, std::string_view what) {
  return internal_error(fmt::format("sqlite {}: {}", what, db ? sqlite3_errmsg(db) : "no db"));
}

}  // namespace

Result<Connection> Connection::open(const std::filesystem::path& path, bool read_only) {
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Status status = sqlite_error(db, "open " + path.string());
    sqlite3_close(db);
    return status;
  }
  Connection connection(db);
  // Wait for a busy writer rather than fail at once; the writer holds the lock briefly.
  sqlite3_busy_timeout(db, 10000);
  // Savepoint journals and sorts stay in memory: a temporary file per batch costs an open,
  // an unlink and a close. The page cache (in KiB when negative) holds the hot index pages.
  const char* pragmas = read_only ? "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                    "PRAGMA cache_size=-16384;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                    "PRAGMA cache_size=-65536;";
  CITYOPS_RETURN_IF_ERROR(connection.exec(pragmas));
  return connection;
}

Connection::Connection(sqlite3* db)
    : db_(db), cache_(std::make_unique<std::unordered_map<std::string, Cached>>()) {}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Connection::~Connection() { close(); }

void Connection::close() {
  if (cache_) {
    for (auto& [sql, cached] : *cache_) sqlite3_finalize(cached.stmt);
    cache_->clear();
  }
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status Connection::exec(std::string_view sql) {
  char* error = nullptr;
  const std::string owned(sql);
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return internal_error("sqlite exec: " + message);
  }
  return Status::ok();
}

Result<Statement> Connection::prepare(std::string_view sql) {
  const std::string key(sql);
  auto found = cache_->find(key);
  if (found != cache_->end() && !found->second.in_use) {
    found->second.in_use = true;
    return Statement(db_, found->second.stmt, &found->second.in_use);
  }
  const bool keep = found == cache_->end() && cache_->size() < kCacheLimit;
  sqlite3_stmt* stmt = nullptr;
  const unsigned flags = keep ? SQLITE_PREPARE_PERSISTENT : 0;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr) !=
      SQLITE_OK) {
    return sqlite_error(db_, fmt::format("prepare '{}'", sql.substr(0, 60)));
  }
  if (!keep || !stmt) return Statement(db_, stmt);
  auto& cached = (*cache_)[key];
  cached = {stmt, true};
  return Statement(db_, stmt, &cached.in_use);
}

int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    in_use_ = std::exchange(other.in_use_, nullptr);
  }
  return *this;
}

Statement::~Statement() { release(); }

void Statement::release() {
  if (!stmt_) return;
  if (in_use_) {
    // Back to the connection's cache, clean for the next user.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  in_use_ = nullptr;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, "step");
}

Status Statement::run() {
  auto stepped = step();
  reset();
  if (!stepped) return stepped.status();
  return Status::ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  if (!data) return {};
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<Transaction> Transaction::begin(Connection& db) {
  CITYOPS_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  Connection* db = std::exchange(db_, nullptr);
  return db->exec("COMMIT");
}

}  // namespace cityops::store
