// Loading a large register into a fresh database: whole case histories written straight into
// the case tables, many thousand to a transaction, without the fsync of every commit.
//
// A case's final row and every one of its events are written as the store's own write path
// would have left them (case_rows.h); the rows are prepared as plain values first, so callers
// can build them on other threads while one connection writes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case.h"
#include "store/sqlite_db.h"

namespace cityops::store {

// The columns of one `cases` row.
struct CaseRow {
  std::string number;
  std::string state;
  std::string category;
  std::string channel;
  std::string street;
  std::string unit_grid;
  std::string governance_grid;
  std::string department;
  int64_t reported_at = 0;
  double lon = 0;
  double lat = 0;
  int64_t due_at = 0;
  int64_t version = 0;
  std::string body;  // the full record as JSON
  int64_t warn_at = 0;
  int64_t suspended = 0;
  int64_t timer_at = 0;
};

// The columns of one `case_events` row; the id is left to the database.
struct EventRow {
  std::string case_number;
  int64_t version = 0;
  std::string action;
  std::string actor;
  int64_t at = 0;
  std::optional<std::string> from_state;
  std::string to_state;
  std::string note;
  std::string data;  // the changed fields and the event's own facts, as JSON
};

// The row the store keeps for `c`, with the same derived columns as upsert_case_row.
CaseRow case_row(const Case& c);
// The row the store keeps for `event`, as insert_event writes it.
EventRow event_row(const CaseEvent& event);

// One case as the loader writes it: its final row and its history, oldest event first.
struct CaseHistoryRows {
  CaseRow row;
  std::vector<EventRow> events;
};

class BulkCaseWriter {
 public:
  // Opens a write connection of its own on the database at `path` (already migrated), with
  // synchronous=OFF and a large page cache, and begins the first transaction. Nothing else
  // may write to the database until finish() returns.
  static Result<BulkCaseWriter> open(const std::filesystem::path& path);

  BulkCaseWriter(BulkCaseWriter&&) noexcept = default;
  BulkCaseWriter& operator=(BulkCaseWriter&&) noexcept = default;
  BulkCaseWriter(const BulkCaseWriter&) = delete;
  BulkCaseWriter& operator=(const BulkCaseWriter&) = delete;
  ~BulkCaseWriter();

  // Adds a case and its events to the running transaction. A number already stored fails.
  Status add(const CaseHistoryRows& rows);
  // Makes sure the next number the store hands out for `prefix` ("130304-20261204") is above
  // `last`; a higher value already stored is kept.
  Status reserve_sequence(const std::string& prefix, int64_t last);
  // Commits what was added so far and begins the next transaction.
  Status commit_batch();
  // Commits, restores synchronous=FULL, and copies the write-ahead log into the database file
  // with a sync, so the load is durable and the log is empty when this returns.
  Status finish();

  int64_t cases_written() const { return cases_written_; }
  int64_t events_written() const { return events_written_; }

 private:
  BulkCaseWriter(Connection db, Statement insert_case, Statement insert_event, Statement reserve)
      : db_(std::move(db)),
        insert_case_(std::move(insert_case)),
        insert_event_(std::move(insert_event)),
        reserve_(std::move(reserve)) {}

  Connection db_;
  Statement insert_case_;
  Statement insert_event_;
  Statement reserve_;
  bool in_transaction_ = false;
  int64_t cases_written_ = 0;
  int64_t events_written_ = 0;
};

}  // namespace cityops::store
