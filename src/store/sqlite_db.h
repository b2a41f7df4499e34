// A thin RAII layer over the SQLite C API: connections, prepared statements, transactions.
//
// Nothing here knows about cases. Every failure comes back as a Status whose message carries
// SQLite's own text; callers decide what it means.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace cityops::store {

class Statement;

class Connection {
 public:
  // Opens (creating if asked) the database at `path` with WAL, full synchronous mode and
  // foreign keys on. A read-only connection never takes the write lock.
  static Result<Connection> open(const std::filesystem::path& path, bool read_only);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  Status exec(std::string_view sql);
  // A statement for `sql`, compiled once per connection and kept: parsing and planning cost
  // more than running the small statements of the hot paths. The statement is reset and
  // handed back to the cache when the returned object goes; a statement already in use (the
  // same SQL nested) gets a private copy.
  Result<Statement> prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  sqlite3* raw() const { return db_; }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // Past this many distinct texts (list filters combine freely) statements are not kept.
  static constexpr size_t kCacheLimit = 512;

  explicit Connection(sqlite3* db);
  void close();

  sqlite3* db_ = nullptr;
  // Behind a pointer so that a Statement's flag stays put when the connection moves.
  std::unique_ptr<std::unordered_map<std::string, Cached>> cache_;
};

// A prepared statement. Bind indexes start at 1, as in SQLite.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& text);

  // Advances; true when a row is ready, false when done. Errors become a Status.
  Result<bool> step();
  // Runs a statement that returns no rows.
  Status run();
  void reset();

  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;

 private:
  friend class Connection;
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use = nullptr)
      : db_(db), stmt_(stmt), in_use_(in_use) {}
  void release();

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  // set when the connection's cache owns the statement
};

// Commits on commit(); rolls back when destroyed without it.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Connection* db) : db_(db) {}
  Connection* db_;
};

}  // namespace cityops::store
