// Listing cases: the filters of CaseQuery turned into one SQL statement over the plain
// columns, newest first or by due time, a page at a time.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "store/case_rows.h"

namespace cityops::store {

namespace {

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

}  // namespace

std::string scope_condition(const CaseQuery::Scope& scope, const std::string& table,
                            std::vector<std::string>& args) {
  // Within scope: led or co-handled by the department, in the street, or in the grids.
  std::vector<std::string> ors;
  if (scope.department) {
    ors.push_back(table + "department = ?");
    args.push_back(*scope.department);
    ors.push_back("EXISTS (SELECT 1 FROM json_each(json_extract(" + table +
                  "body, '$.co_departments')) WHERE value = ?)");
    args.push_back(*scope.department);
  }
  if (scope.street) {
    ors.push_back(table + "street = ?");
    args.push_back(*scope.street);
  }
  if (!scope.grids.empty()) {
    std::string in;
    for (size_t i = 0; i < scope.grids.size(); ++i) in += i ? ", ?" : "?";
    ors.push_back(table + "unit_grid IN (" + in + ")");
    args.insert(args.end(), scope.grids.begin(), scope.grids.end());
    ors.push_back(table + "governance_grid IN (" + in + ")");
    args.insert(args.end(), scope.grids.begin(), scope.grids.end());
  }
  if (ors.empty()) return " AND 0";
  std::string out = " AND (";
  for (size_t i = 0; i < ors.size(); ++i) out += (i ? " OR " : "") + ors[i];
  return out + ")";
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
  // Metres per degree at the centre's latitude (WGS84); over a city the flat-plane distance
  // is off by far less than a metre.
  double per_lat = 0, per_lon = 0;
  if (query.near) {
    const auto& n = *query.near;
    const double phi = n.lat * std::numbers::pi / 180;
    per_lat = 111132.92 - 559.82 * std::cos(2 * phi) + 1.175 * std::cos(4 * phi);
    per_lon = 111412.84 * std::cos(phi) - 93.5 * std::cos(3 * phi);
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
    std::vector<std::string> scope_args;
    where += scope_condition(*query.scope, "", scope_args);
    for (auto& arg : scope_args) where_args.push_back({true, std::move(arg), 0});
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
  if (query.near && query.nearest > 0) {
    // The nearest cases: one statement, every state at once, ordered by distance.
    sql = "SELECT body, reported_at, number FROM cases WHERE 1 = 1";
    if (!states.empty()) {
      sql += " AND state IN (";
      for (size_t i = 0; i < states.size(); ++i) {
        sql += i ? ", ?" : "?";
        args.push_back({true, states[i], 0});
      }
      sql += ")";
    }
    sql += where +
           " ORDER BY ((lon - ?) * ?) * ((lon - ?) * ?) + ((lat - ?) * ?) * ((lat - ?) * ?),"
           " number" +
           fmt::format(" LIMIT {}", query.nearest);
    args.insert(args.end(), where_args.begin(), where_args.end());
    for (int i = 0; i < 2; ++i)
      args.push_back({false, {}, query.near->lon}), args.push_back({false, {}, per_lon});
    for (int i = 0; i < 2; ++i)
      args.push_back({false, {}, query.near->lat}), args.push_back({false, {}, per_lat});
  } else if (states.size() <= 1) {
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
    if (static_cast<int>(page.items.size()) == query.limit && query.nearest == 0) {
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
