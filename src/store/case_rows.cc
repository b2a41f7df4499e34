#include "store/case_rows.h"

#include <fmt/format.h>

#include "domain/case_record.h"

namespace cityops::store {

using nlohmann::json;

namespace {

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

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

Status upsert_case_row(Connection& db, const Case& c) {
  auto stmt = db.prepare(
      "INSERT INTO cases (number, state, category, channel, street, unit_grid, governance_grid,"
      " department, reported_at, lon, lat, due_at, version, body)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (number) DO UPDATE SET state = excluded.state,"
      " department = excluded.department, due_at = excluded.due_at,"
      " version = excluded.version, body = excluded.body");
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
      .bind(14, case_to_record(c).dump())
      .run();
}

Status insert_event(Connection& db, const CaseEvent& event) {
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
      .bind(9, event.data.dump())
      .run();
}

Result<std::vector<CaseEvent>> read_events(Connection& db, const std::string& number) {
  auto stmt = db.prepare(
      "SELECT id, case_number, version, action, actor, at, from_state, to_state, note, data"
      " FROM case_events WHERE case_number = ? ORDER BY version");
  if (!stmt) return stmt.status();
  stmt->bind(1, number);
  std::vector<CaseEvent> events;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    CaseEvent e;
    e.id = stmt->integer(0);
    e.case_number = stmt->text(1);
    e.version = stmt->integer(2);
    e.action = stmt->text(3);
    e.actor = stmt->text(4);
    e.at = Timestamp{std::chrono::seconds{stmt->integer(5)}};
    if (auto from = stmt->optional_text(6)) e.from_state = parse_case_state(*from);
    e.to_state = parse_case_state(stmt->text(7)).value_or(CaseState::kReported);
    e.note = stmt->text(8);
    e.data = json::parse(stmt->text(9), nullptr, false);
    if (e.data.is_discarded()) return internal_error("event data unreadable for " + number);
    events.push_back(std::move(e));
  }
  return events;
}

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
  return stmt->bind(1, key).bind(2, number).bind(3, epoch(at)).run();
}

Result<Case> case_from_body(const std::string& body) {
  const auto record = json::parse(body, nullptr, false);
  if (record.is_discarded()) return internal_error("case body is not JSON");
  return case_from_record(record);
}

Result<CasePage> query_cases(Connection& db, const CaseQuery& query) {
  std::string sql = "SELECT body, reported_at, number FROM cases WHERE 1 = 1";
  // Binds are collected in order as (kind, value) so the SQL and its arguments stay together.
  struct Arg {
    bool is_text;
    std::string text;
    double number;
  };
  std::vector<Arg> args;
  auto add_text = [&](const char* clause, const std::string& value) {
    sql += clause;
    args.push_back({true, value, 0});
  };
  auto add_number = [&](const char* clause, double value) {
    sql += clause;
    args.push_back({false, {}, value});
  };

  if (!query.states.empty()) {
    sql += " AND state IN (";
    for (size_t i = 0; i < query.states.size(); ++i) {
      sql += i ? ", ?" : "?";
      args.push_back({true, std::string(to_string(query.states[i])), 0});
    }
    sql += ")";
  }
  if (query.category) add_text(" AND category = ?", *query.category);
  if (query.channel) add_text(" AND channel = ?", std::string(to_string(*query.channel)));
  if (query.street) add_text(" AND street = ?", *query.street);
  if (query.unit_grid) add_text(" AND unit_grid = ?", *query.unit_grid);
  if (query.governance_grid) add_text(" AND governance_grid = ?", *query.governance_grid);
  if (query.department) add_text(" AND department = ?", *query.department);
  if (query.reported_from) {
    add_number(" AND reported_at >= ?", static_cast<double>(epoch(*query.reported_from)));
  }
  if (query.reported_to) {
    add_number(" AND reported_at < ?", static_cast<double>(epoch(*query.reported_to)));
  }
  if (query.bbox) {
    add_number(" AND lon >= ?", query.bbox->min_lon);
    add_number(" AND lon <= ?", query.bbox->max_lon);
    add_number(" AND lat >= ?", query.bbox->min_lat);
    add_number(" AND lat <= ?", query.bbox->max_lat);
  }
  if (query.after) {
    sql += " AND (reported_at < ? OR (reported_at = ? AND number < ?))";
    const auto t = static_cast<double>(epoch(query.after->reported_at));
    args.push_back({false, {}, t});
    args.push_back({false, {}, t});
    args.push_back({true, query.after->number, 0});
  }
  // One extra row tells whether another page follows.
  sql += fmt::format(" ORDER BY reported_at DESC, number DESC LIMIT {}", query.limit + 1);

  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.status();
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (args[i].is_text) {
      stmt->bind(index, std::string_view(args[i].text));
    } else {
      stmt->bind(index, args[i].number);
    }
  }

  CasePage page;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == query.limit) {
      const auto& last = page.items.back();
      page.next = CaseQuery::Cursor{last.reported_at, last.number};
      break;
    }
    auto c = case_from_body(stmt->text(0));
    if (!c) return c.status();
    page.items.push_back(std::move(c).value());
  }
  return page;
}

}  // namespace cityops::store
