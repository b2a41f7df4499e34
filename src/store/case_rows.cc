#include "store/case_rows.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

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

Result<CasePage> query_cases(Connection& db, const CaseQuery& query, DecodedCases* cache) {
  // The conditions other than the state, each " AND ...".
  std::string where;
  // Binds are collected in order as (kind, value) so the SQL and its arguments stay together.
  struct Arg {
    bool is_text;
    std::string text;
    double number;
  };
  std::vector<Arg> where_args;
  auto add_text = [&](const char* clause, const std::string& value) {
    where += clause;
    where_args.push_back({true, value, 0});
  };
  auto add_number = [&](const char* clause, double value) {
    where += clause;
    where_args.push_back({false, {}, value});
  };

  std::vector<std::string> states;
  for (const CaseState state : query.states) {
    const std::string name(to_string(state));
    if (std::find(states.begin(), states.end(), name) == states.end()) states.push_back(name);
  }
  if (query.category) add_text(" AND category = ?", *query.category);
  if (!query.categories.empty()) {
    where += " AND category IN (";
    for (size_t i = 0; i < query.categories.size(); ++i) {
      where += i ? ", ?" : "?";
      where_args.push_back({true, query.categories[i], 0});
    }
    where += ")";
  }
  if (query.updated_from) {
    add_number(" AND json_extract(body, '$.updated_at') >= ?",
               static_cast<double>(epoch(*query.updated_from)));
  }
  if (query.near) {
    // Metres per degree at the centre's latitude (WGS84); over a city the flat-plane distance
    // is off by far less than a metre.
    const auto& n = *query.near;
    const double phi = n.lat * std::numbers::pi / 180;
    const double per_lat = 111132.92 - 559.82 * std::cos(2 * phi) + 1.175 * std::cos(4 * phi);
    const double per_lon = 111412.84 * std::cos(phi) - 93.5 * std::cos(3 * phi);
    add_number(" AND lon >= ?", n.lon - n.radius_m / per_lon);
    add_number(" AND lon <= ?", n.lon + n.radius_m / per_lon);
    add_number(" AND lat >= ?", n.lat - n.radius_m / per_lat);
    add_number(" AND lat <= ?", n.lat + n.radius_m / per_lat);
    where += " AND ((lon - ?) * ?) * ((lon - ?) * ?) + ((lat - ?) * ?) * ((lat - ?) * ?) <= ?";
    for (int i = 0; i < 2; ++i)
      where_args.push_back({false, {}, n.lon}), where_args.push_back({false, {}, per_lon});
    for (int i = 0; i < 2; ++i)
      where_args.push_back({false, {}, n.lat}), where_args.push_back({false, {}, per_lat});
    where_args.push_back({false, {}, n.radius_m * n.radius_m});
  }
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
  if (query.light) {
    // A suspended case's clock is stopped: it shows no light until it resumes.
    where +=
        " AND json_extract(body, '$.steps[#-1].finished_at') IS NULL AND suspended = 0"
        " AND json_array_length(body, '$.steps') > 0";
    const auto now = static_cast<double>(epoch(query.now));
    if (*query.light == "red") {
      add_number(" AND due_at < ?", now);
    } else if (*query.light == "yellow") {
      add_number(" AND warn_at <= ?", now);
      add_number(" AND due_at >= ?", now);
    } else {
      add_number(" AND warn_at > ?", now);
    }
  }
  if (query.suspended_only) where += " AND suspended = 1";
  if (query.escalated_only) where += " AND json_extract(body, '$.escalated') = 1";
  if (query.scope) {
    // Within scope: led or co-handled by the department, in the street, or in the grids.
    std::vector<std::string> ors;
    if (query.scope->department) {
      ors.push_back("department = ?");
      where_args.push_back({true, *query.scope->department, 0});
      ors.push_back(
          "EXISTS (SELECT 1 FROM json_each(json_extract(body, '$.co_departments'))"
          " WHERE value = ?)");
      where_args.push_back({true, *query.scope->department, 0});
    }
    if (query.scope->street) {
      ors.push_back("street = ?");
      where_args.push_back({true, *query.scope->street, 0});
    }
    if (!query.scope->grids.empty()) {
      std::string in;
      for (size_t i = 0; i < query.scope->grids.size(); ++i) in += i ? ", ?" : "?";
      ors.push_back("unit_grid IN (" + in + ")");
      for (const auto& g : query.scope->grids) where_args.push_back({true, g, 0});
      ors.push_back("governance_grid IN (" + in + ")");
      for (const auto& g : query.scope->grids) where_args.push_back({true, g, 0});
    }
    if (ors.empty()) {
      where += " AND 0";
    } else {
      where += " AND (";
      for (size_t i = 0; i < ors.size(); ++i) where += (i ? " OR " : "") + ors[i];
      where += ")";
    }
  }
  if (query.after) {
    where += query.by_due ? " AND (due_at > ? OR (due_at = ? AND number > ?))"
                          : " AND (reported_at < ? OR (reported_at = ? AND number < ?))";
    const auto t = static_cast<double>(epoch(query.after->reported_at));
    where_args.push_back({false, {}, t});
    where_args.push_back({false, {}, t});
    where_args.push_back({true, query.after->number, 0});
  }
  // One extra row tells whether another page follows.
  const std::string order =
      query.by_due
          ? fmt::format(" ORDER BY due_at ASC, number ASC LIMIT {}", query.limit + 1)
          : fmt::format(" ORDER BY reported_at DESC, number DESC LIMIT {}", query.limit + 1);
  const std::string order_paged =
      query.offset > 0 ? order + fmt::format(" OFFSET {}", query.offset) : order;
  // A branch of the union must keep every row the offset skips.
  const std::string branch_order =
      query.offset > 0 ? order.substr(0, order.rfind(" LIMIT ")) +
                             fmt::format(" LIMIT {}", query.limit + query.offset + 1)
                       : order;
  std::string sql;
  std::vector<Arg> args;
  if (states.size() <= 1) {
    sql = "SELECT body, reported_at, number FROM cases WHERE 1 = 1";
    if (!states.empty()) {
      sql += " AND state = ?";
      args.push_back({true, states.front(), 0});
    }
    sql += where + order_paged;
    args.insert(args.end(), where_args.begin(), where_args.end());
  } else {
    // With several states SQLite would collect and sort every matching row before the first
    // page (all finished cases of the register, for closed,rejected,cancelled). One branch
    // per state reads its own index in order and stops after a page; SQLite merges them.
    sql = "SELECT body, reported_at, number FROM (";
    for (size_t i = 0; i < states.size(); ++i) {
      sql += i ? " UNION ALL " : "";
      sql += "SELECT * FROM (SELECT body, reported_at, number, due_at FROM cases WHERE state = ?" +
             where + branch_order + ")";
      args.push_back({true, states[i], 0});
      args.insert(args.end(), where_args.begin(), where_args.end());
    }
    sql += ")" + order_paged;
  }

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
      page.next = CaseQuery::Cursor{query.by_due ? last.due_at : last.reported_at, last.number};
      break;
    }
    const std::string body = stmt->text(0);
    auto c = cache ? cache->decode(body) : case_from_body(body);
    if (!c) return c.status();
    page.items.push_back(std::move(c).value());
  }
  return page;
}

}  // namespace cityops::store

namespace cityops::store {

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
