#include "store/case_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "domain/case_record.h"

namespace cityops::store {

using nlohmann::json;

namespace {

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

// The event's own facts (attachments, the step's due time, on time or not) travel in the data
// column under "$meta", beside the changed case fields.
json event_data_with_meta(const CaseEvent& e) {
  json data = e.data;
  json meta = {{"attachments", e.attachments}};
  if (e.step_due_at) meta["step_due_at"] = epoch(*e.step_due_at);
  if (e.on_time) meta["on_time"] = *e.on_time;
  data["$meta"] = std::move(meta);
  return data;
}

void take_event_meta(CaseEvent& e) {
  if (!e.data.contains("$meta")) return;
  const json meta = e.data["$meta"];
  e.data.erase("$meta");
  e.attachments = meta.value("attachments", std::vector<std::string>{});
  if (meta.contains("step_due_at")) {
    e.step_due_at = Timestamp{std::chrono::seconds{meta["step_due_at"].get<int64_t>()}};
  }
  if (meta.contains("on_time")) e.on_time = meta["on_time"].get<bool>();
}

}  // namespace

Result<int64_t> next_sequence(Connection& db, const std::string& prefix) {
  auto stmt = db.prepare(
      "INSERT INTO case_sequences (prefix, last) VALUES (?, 1)"
      " ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last");
  if (!stmt) return stmt.status();
  stmt->bind(1, prefix);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return internal_error("sequence did not return a value");
  const int64_t value = stmt->integer(0);
  stmt->reset();
  return value;
}

Result<int64_t> last_sequence(Connection& db, const std::string& prefix) {
  auto stmt = db.prepare("SELECT last FROM case_sequences WHERE prefix = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, prefix);
  auto row = stmt->step();
  if (!row) return row.status();
  return *row ? stmt->integer(0) : int64_t{0};
}

Status advance_sequence(Connection& db, const std::string& prefix, int64_t last) {
  auto stmt = db.prepare(
      "INSERT INTO case_sequences (prefix, last) VALUES (?, ?)"
      " ON CONFLICT (prefix) DO UPDATE SET last = max(last, excluded.last)");
  if (!stmt) return stmt.status();
  return stmt->bind(1, prefix).bind(2, last).run();
}

std::string encode_case_body(const Case& c) { return case_to_record(c).dump(); }

std::string encode_event_data(const CaseEvent& event) { return event_data_with_meta(event).dump(); }

namespace {

Timestamp warn_at_of(const Case& c) { return c.steps.empty() ? c.due_at : c.steps.back().warn_at; }

// The next instant at which the deadline timer must look at the case: its warning time, then
// its due time, then never (a finished step, or a case no step is running for).
int64_t timer_at_of(const Case& c) {
  constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  if (c.steps.empty() || c.steps.back().finished_at) return kNever;
  const auto& step = c.steps.back();
  if (!step.warned) return epoch(step.warn_at);
  if (!step.overdue) return epoch(step.due_at);
  return kNever;
}

}  // namespace

Status upsert_case_row(Connection& db, const Case& c) {
  return upsert_case_row(db, c, encode_case_body(c));
}

Status upsert_case_row(Connection& db, const Case& c, const std::string& body) {
  auto stmt = db.prepare(
      "INSERT INTO cases (number, state, category, channel, street, unit_grid, governance_grid,"
      " department, reported_at, lon, lat, due_at, version, body, warn_at, suspended, timer_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  return stmt->bind(1, c.number)
      .bind(2, to_string(c.state))
      .bind(3, c.category)
      .bind(4, to_string(c.channel))
      .bind(5, c.street)
      .bind(6, c.unit_grid)
      .bind(7, c.governance_grid)
      .bind(8, c.department)
      .bind(9, epoch(c.reported_at))
      .bind(10, c.location.lon)
      .bind(11, c.location.lat)
      .bind(12, epoch(c.due_at))
      .bind(13, c.version)
      .bind(14, body)
      .bind(15, epoch(warn_at_of(c)))
      .bind(16, int64_t{c.suspended ? 1 : 0})
      .bind(17, timer_at_of(c))
      .run();
}

Status update_case_row(Connection& db, const Case& c) {
  return update_case_row(db, c, encode_case_body(c));
}

Status update_case_row(Connection& db, const Case& c, const std::string& body) {
  auto stmt = db.prepare(
      "UPDATE cases SET state = ?, department = ?, due_at = ?, version = ?, body = ?,"
      " warn_at = ?, suspended = ?, timer_at = ? WHERE number = ? AND version = ?");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, to_string(c.state))
                              .bind(2, c.department)
                              .bind(3, epoch(c.due_at))
                              .bind(4, c.version)
                              .bind(5, body)
                              .bind(6, epoch(warn_at_of(c)))
                              .bind(7, int64_t{c.suspended ? 1 : 0})
                              .bind(8, timer_at_of(c))
                              .bind(9, c.number)
                              .bind(10, c.version - 1)
                              .run());
  if (sqlite3_changes(db.raw()) != 1) {
    return {ErrorKind::kConflict, "stale_version",
            "case " + c.number + " changed meanwhile; reload it", "version"};
  }
  return Status::ok();
}

Status insert_event(Connection& db, const CaseEvent& event) {
  return insert_event(db, event, encode_event_data(event));
}

Status insert_event(Connection& db, const CaseEvent& event, const std::string& data) {
  auto stmt = db.prepare(
      "INSERT INTO case_events (case_number, version, action, actor, at, from_state, to_state,"
      " note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  std::optional<std::string> from;
  if (event.from_state) from = std::string(to_string(*event.from_state));
  return stmt->bind(1, event.case_number)
      .bind(2, event.version)
      .bind(3, event.action)
      .bind(4, event.actor)
      .bind(5, epoch(event.at))
      .bind(6, from)
      .bind(7, to_string(event.to_state))
      .bind(8, event.note)
      .bind(9, data)
      .run();
}

Result<CaseEvent> event_from_row(Statement& stmt) {
  CaseEvent e;
  e.id = stmt.integer(0);
  e.case_number = stmt.text(1);
  e.version = stmt.integer(2);
  e.action = stmt.text(3);
  e.actor = stmt.text(4);
  e.at = Timestamp{std::chrono::seconds{stmt.integer(5)}};
  if (auto from = stmt.optional_text(6)) e.from_state = parse_case_state(*from);
  e.to_state = parse_case_state(stmt.text(7)).value_or(CaseState::kReported);
  e.note = stmt.text(8);
  e.data = json::parse(stmt.text(9), nullptr, false);
  if (e.data.is_discarded()) return internal_error("event data unreadable for " + e.case_number);
  take_event_meta(e);
  return e;
}

Result<std::vector<CaseEvent>> collect_events(Statement& stmt) {
  std::vector<CaseEvent> events;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!*row) break;
    auto e = event_from_row(stmt);
    if (!e) return e.status();
    events.push_back(std::move(e).value());
  }
  return events;
}

Result<std::vector<CaseEvent>> read_events(Connection& db, const std::string& number) {
  auto stmt = db.prepare(std::string(kEventColumns) +
                         " FROM case_events WHERE case_number = ? ORDER BY version");
  if (!stmt) return stmt.status();
  stmt->bind(1, number);
  return collect_events(*stmt);
}

Result<Case> case_from_body(const std::string& body) {
  const auto record = json::parse(body, nullptr, false);
  if (record.is_discarded()) return internal_error("case body is not JSON");
  return case_from_record(record);
}

Result<std::vector<Case>> cases_due_for_timer(Connection& db, Timestamp now, int limit) {
  auto stmt = db.prepare(
      "SELECT body FROM cases WHERE timer_at <= ? AND suspended = 0 ORDER BY timer_at LIMIT ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, epoch(now)).bind(2, static_cast<int64_t>(limit));
  return collect_cases(*stmt);
}

Result<std::vector<Case>> collect_cases(Statement& stmt, DecodedCases* cache) {
  std::vector<Case> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!*row) break;
    const std::string body = stmt.text(0);
    auto c = cache ? cache->decode(body) : case_from_body(body);
    if (!c) return c.status();
    out.push_back(std::move(c).value());
  }
  return out;
}

}  // namespace cityops::store

namespace cityops::store {

int64_t case_warn_at_column(const Case& c) { return epoch(warn_at_of(c)); }

int64_t case_timer_at_column(const Case& c) { return timer_at_of(c); }

}  // namespace cityops::store
