#include "store/bulk_load.h"

#include <spdlog/spdlog.h>

#include "domain/case_record.h"
#include "store/case_rows.h"

namespace cityops::store {

namespace {

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

}  // namespace

CaseRow case_row(const Case& c) {
  CaseRow row;
  row.number = c.number;
  row.state = to_string(c.state);
  row.category = c.category;
  row.channel = to_string(c.channel);
  row.street = c.street;
  row.unit_grid = c.unit_grid;
  row.governance_grid = c.governance_grid;
  row.department = c.department;
  row.reported_at = epoch(c.reported_at);
  row.lon = c.location.lon;
  row.lat = c.location.lat;
  row.due_at = epoch(c.due_at);
  row.version = c.version;
  row.body = case_to_record(c).dump();
  row.warn_at = case_warn_at_column(c);
  row.suspended = c.suspended ? 1 : 0;
  row.timer_at = case_timer_at_column(c);
  return row;
}

EventRow event_row(const CaseEvent& event) {
  EventRow row;
  row.case_number = event.case_number;
  row.version = event.version;
  row.action = event.action;
  row.actor = event.actor;
  row.at = epoch(event.at);
  if (event.from_state) row.from_state = std::string(to_string(*event.from_state));
  row.to_state = to_string(event.to_state);
  row.note = event.note;
  row.data = encode_event_data(event);
  return row;
}

Result<BulkCaseWriter> BulkCaseWriter::open(const std::filesystem::path& path) {
  auto db = Connection::open(path, false);
  if (!db) return db.status();
  // A crash during the load loses the load, which is simply run again on an empty directory;
  // skipping the fsync of every commit is what makes a million cases take minutes, not hours.
  // The cache keeps the indexes in memory while rows arrive in number order.
  CITYOPS_RETURN_IF_ERROR(db->exec("PRAGMA synchronous=OFF; PRAGMA cache_size=-262144"));
  auto insert_case = db->prepare(
      "INSERT INTO cases (number, state, category, channel, street, unit_grid, governance_grid,"
      " department, reported_at, lon, lat, due_at, version, body, warn_at, suspended, timer_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert_case) return insert_case.status();
  auto insert_event = db->prepare(
      "INSERT INTO case_events (case_number, version, action, actor, at, from_state, to_state,"
      " note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert_event) return insert_event.status();
  auto reserve = db->prepare(
      "INSERT INTO case_sequences (prefix, last) VALUES (?, ?)"
      " ON CONFLICT (prefix) DO UPDATE SET last = max(last, excluded.last)");
  if (!reserve) return reserve.status();

  BulkCaseWriter writer(std::move(db).value(), std::move(insert_case).value(),
                        std::move(insert_event).value(), std::move(reserve).value());
  CITYOPS_RETURN_IF_ERROR(writer.db_.exec("BEGIN IMMEDIATE"));
  writer.in_transaction_ = true;
  return writer;
}

BulkCaseWriter::~BulkCaseWriter() {
  if (in_transaction_ && db_.raw()) (void)db_.exec("ROLLBACK");
}

Status BulkCaseWriter::add(const CaseHistoryRows& rows) {
  const CaseRow& r = rows.row;
  CITYOPS_RETURN_IF_ERROR(insert_case_.bind(1, r.number)
                              .bind(2, r.state)
                              .bind(3, r.category)
                              .bind(4, r.channel)
                              .bind(5, r.street)
                              .bind(6, r.unit_grid)
                              .bind(7, r.governance_grid)
                              .bind(8, r.department)
                              .bind(9, r.reported_at)
                              .bind(10, r.lon)
                              .bind(11, r.lat)
                              .bind(12, r.due_at)
                              .bind(13, r.version)
                              .bind(14, r.body)
                              .bind(15, r.warn_at)
                              .bind(16, r.suspended)
                              .bind(17, r.timer_at)
                              .run());
  for (const auto& e : rows.events) {
    CITYOPS_RETURN_IF_ERROR(insert_event_.bind(1, e.case_number)
                                .bind(2, e.version)
                                .bind(3, e.action)
                                .bind(4, e.actor)
                                .bind(5, e.at)
                                .bind(6, e.from_state)
                                .bind(7, e.to_state)
                                .bind(8, e.note)
                                .bind(9, e.data)
                                .run());
  }
  ++cases_written_;
  events_written_ += static_cast<int64_t>(rows.events.size());
  return Status::ok();
}

Status BulkCaseWriter::reserve_sequence(const std::string& prefix, int64_t last) {
  return reserve_.bind(1, prefix).bind(2, last).run();
}

Status BulkCaseWriter::commit_batch() {
  in_transaction_ = false;
  CITYOPS_RETURN_IF_ERROR(db_.exec("COMMIT"));
  CITYOPS_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
  in_transaction_ = true;
  return Status::ok();
}

Status BulkCaseWriter::finish() {
  in_transaction_ = false;
  CITYOPS_RETURN_IF_ERROR(db_.exec("COMMIT"));
  CITYOPS_RETURN_IF_ERROR(db_.exec("PRAGMA synchronous=FULL"));
  // TRUNCATE waits for no reader (there is none) and leaves an empty log behind, so the first
  // start of the server does not replay gigabytes of it.
  CITYOPS_RETURN_IF_ERROR(db_.exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  spdlog::info("bulk load: {} cases and {} events written", cases_written_, events_written_);
  return Status::ok();
}

}  // namespace cityops::store
