// SqliteStore's dashboard counts: three grouped statements over the plain columns, each
// served by an index (the day's cases by report time, the open cases by the partial index,
// recent events by time), so no case record is decoded.
#include <algorithm>

#include "store/case_rows.h"
#include "store/sqlite_store.h"

namespace cityops::store {

namespace {

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

// The running step's light at `?` (now, bound twice), as CaseQuery::light filters it; NULL for
// a case whose clock is stopped or that no step is running for.
constexpr std::string_view kLight =
    "CASE WHEN json_extract(body, '$.steps[#-1].finished_at') IS NULL AND suspended = 0"
    " AND json_array_length(body, '$.steps') > 0 THEN"
    " CASE WHEN due_at < ?1 THEN 'red' WHEN warn_at <= ?1 THEN 'yellow' ELSE 'green' END END";

// Binds `args` from index `first` on; answers the next free index.
int bind_all(Statement& stmt, int first, const std::vector<std::string>& args) {
  for (const auto& arg : args) stmt.bind(first++, arg);
  return first;
}

Status count_intake(Connection& db, const DashboardQuery& q, DashboardCounts& out) {
  std::vector<std::string> args;
  const std::string scope = q.scope ? scope_condition(*q.scope, "", args) : "";
  auto stmt = db.prepare(
      "SELECT (reported_at - ?1) / 3600, category, COUNT(*) FROM cases"
      " WHERE reported_at >= ?1 AND reported_at < ?2" +
      scope + " GROUP BY 1, 2");
  if (!stmt) return stmt.status();
  stmt->bind(1, epoch(q.day_from)).bind(2, epoch(q.day_to));
  bind_all(*stmt, 3, args);
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    const int64_t hour = std::clamp<int64_t>(stmt->integer(0), 0, 23);
    const int64_t count = stmt->integer(2);
    out.intake_by_hour[hour] += count;
    const std::string category = stmt->text(1);
    auto it = std::find_if(out.intake_by_category.begin(), out.intake_by_category.end(),
                           [&](const KeyCount& k) { return k.key == category; });
    if (it == out.intake_by_category.end()) {
      out.intake_by_category.push_back({category, count});
    } else {
      it->count += count;
    }
  }
  return Status::ok();
}

Status count_open(Connection& db, const DashboardQuery& q, DashboardCounts& out) {
  std::vector<std::string> args;
  const std::string scope = q.scope ? scope_condition(*q.scope, "", args) : "";
  // The state term is the partial index's own condition, so only open rows are read.
  auto stmt = db.prepare("SELECT department, " + std::string(kLight) +
                         ", COUNT(*) FROM cases"
                         " WHERE state NOT IN ('rejected','merged','closed','cancelled')" +
                         scope + " GROUP BY 1, 2");
  if (!stmt) return stmt.status();
  stmt->bind(1, epoch(q.now));
  bind_all(*stmt, 2, args);
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    const int64_t count = stmt->integer(2);
    out.open += count;
    const auto light = stmt->optional_text(1);
    if (light == "green") out.green += count;
    if (light == "yellow") out.yellow += count;
    if (light == "red") {
      out.red += count;
      out.red_by_department.push_back({stmt->text(0), count});
    }
  }
  std::sort(out.red_by_department.begin(), out.red_by_department.end(),
            [](const KeyCount& a, const KeyCount& b) {
              return a.count != b.count ? a.count > b.count : a.key < b.key;
            });
  return Status::ok();
}

Status count_steps(Connection& db, const DashboardQuery& q, DashboardCounts& out) {
  std::vector<std::string> args;
  const std::string scope = q.scope ? scope_condition(*q.scope, "c.", args) : "";
  // Events that finish a step record in their meta whether it finished by its due time.
  auto stmt = db.prepare(
      "SELECT COUNT(t), COALESCE(SUM(t), 0) FROM (SELECT json_extract(e.data,"
      " '$.\"$meta\".on_time') AS t FROM case_events e"
      " WHERE e.at >= ?1 AND e.at <= ?2" +
      std::string(q.scope ? " AND EXISTS (SELECT 1 FROM cases c WHERE c.number = e.case_number" +
                                scope + ")"
                          : "") +
      ")");
  if (!stmt) return stmt.status();
  stmt->bind(1, epoch(q.steps_from)).bind(2, epoch(q.now));
  bind_all(*stmt, 3, args);
  auto row = stmt->step();
  if (!row) return row.status();
  if (*row) {
    out.steps_finished = stmt->integer(0);
    out.steps_on_time = stmt->integer(1);
  }
  return Status::ok();
}

}  // namespace

Result<DashboardCounts> SqliteStore::dashboard_counts(const DashboardQuery& query) {
  auto lease = lease_reader();
  DashboardCounts out;
  CITYOPS_RETURN_IF_ERROR(count_intake(*lease, query, out));
  CITYOPS_RETURN_IF_ERROR(count_open(*lease, query, out));
  CITYOPS_RETURN_IF_ERROR(count_steps(*lease, query, out));
  return out;
}

}  // namespace cityops::store
