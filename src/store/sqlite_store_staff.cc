// SqliteStore's grid staff: imports write under the write mutex in one transaction; reads use
// the reader pool. A member's grids live in staff_grids, one row per assignment.
#include <algorithm>

#include "common/csv.h"
#include "store/sqlite_store.h"

namespace cityops::store {

namespace {

constexpr std::string_view kSelect =
    "SELECT s.staff_no, s.name, s.role, s.phone, s.team, s.username, s.active,"
    " (SELECT group_concat(g.grid, ';') FROM staff_grids g WHERE g.staff_no = s.staff_no)"
    " FROM staff s ";

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }

StaffMember read_member(const Statement& stmt) {
  StaffMember m;
  m.staff_no = stmt.text(0);
  m.name = stmt.text(1);
  m.role = parse_staff_role(stmt.text(2)).value_or(StaffRole::kGridWorker);
  m.phone = stmt.text(3);
  m.team = stmt.text(4);
  m.username = stmt.text(5);
  m.active = stmt.integer(6) != 0;
  m.grids = split_list(stmt.is_null(7) ? std::string() : stmt.text(7));
  std::sort(m.grids.begin(), m.grids.end());
  return m;
}

Result<std::vector<StaffMember>> read_members(Statement& stmt) {
  std::vector<StaffMember> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!*row) break;
    out.push_back(read_member(stmt));
  }
  return out;
}

// The WHERE clause of a query and its bound values, in order.
std::pair<std::string, std::vector<std::string>> staff_filter(const Store::StaffQuery& q) {
  std::string where = "WHERE 1";
  std::vector<std::string> values;
  if (q.grid) {
    where += " AND s.staff_no IN (SELECT staff_no FROM staff_grids WHERE grid = ?)";
    values.push_back(*q.grid);
  }
  if (q.team) {
    where += " AND s.team = ?";
    values.push_back(*q.team);
  }
  if (q.role) {
    where += " AND s.role = ?";
    values.emplace_back(to_string(*q.role));
  }
  if (q.q) {
    where += " AND (instr(s.name, ?) > 0 OR instr(s.staff_no, ?) > 0)";
    values.push_back(*q.q);
    values.push_back(*q.q);
  }
  return {where, values};
}

}  // namespace

Result<Store::StaffUpsert> SqliteStore::upsert_staff(const std::vector<StaffMember>& members,
                                                     Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  auto exists = writer_.prepare("SELECT 1 FROM staff WHERE staff_no = ?");
  auto write = writer_.prepare(
      "INSERT INTO staff (staff_no, name, role, phone, team, username, active, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (staff_no) DO UPDATE SET"
      " name = excluded.name, role = excluded.role, phone = excluded.phone,"
      " team = excluded.team, username = excluded.username, active = excluded.active,"
      " updated_at = excluded.updated_at");
  auto clear = writer_.prepare("DELETE FROM staff_grids WHERE staff_no = ?");
  auto assign = writer_.prepare("INSERT OR IGNORE INTO staff_grids (staff_no, grid) VALUES (?, ?)");
  for (auto* stmt : {&exists, &write, &clear, &assign}) {
    if (!*stmt) return stmt->status();
  }

  StaffUpsert counts;
  for (const auto& m : members) {
    exists->bind(1, m.staff_no);
    auto known = exists->step();
    if (!known) return known.status();
    exists->reset();
    ++(*known ? counts.updated : counts.inserted);
    CITYOPS_RETURN_IF_ERROR(write->bind(1, m.staff_no)
                                .bind(2, m.name)
                                .bind(3, to_string(m.role))
                                .bind(4, m.phone)
                                .bind(5, m.team)
                                .bind(6, m.username)
                                .bind(7, int64_t{m.active ? 1 : 0})
                                .bind(8, epoch(at))
                                .run());
    CITYOPS_RETURN_IF_ERROR(clear->bind(1, m.staff_no).run());
    for (const auto& grid : m.grids) {
      CITYOPS_RETURN_IF_ERROR(assign->bind(1, m.staff_no).bind(2, grid).run());
    }
  }
  CITYOPS_RETURN_IF_ERROR(tx->commit());
  return counts;
}

Result<std::optional<StaffMember>> SqliteStore::find_staff(const std::string& staff_no) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(std::string(kSelect) + "WHERE s.staff_no = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, staff_no);
  auto found = read_members(*stmt);
  if (!found) return found.status();
  if (found->empty()) return std::optional<StaffMember>{};
  return std::optional<StaffMember>{std::move(found->front())};
}

Result<std::optional<StaffMember>> SqliteStore::find_staff_by_username(
    const std::string& username) {
  if (username.empty()) return std::optional<StaffMember>{};
  auto lease = lease_reader();
  auto stmt =
      (*lease).prepare(std::string(kSelect) + "WHERE s.username = ? ORDER BY s.staff_no LIMIT 1");
  if (!stmt) return stmt.status();
  stmt->bind(1, username);
  auto found = read_members(*stmt);
  if (!found) return found.status();
  if (found->empty()) return std::optional<StaffMember>{};
  return std::optional<StaffMember>{std::move(found->front())};
}

Result<Store::StaffPage> SqliteStore::list_staff(const StaffQuery& query) {
  const auto [where, values] = staff_filter(query);
  auto lease = lease_reader();
  auto count = (*lease).prepare("SELECT COUNT(*) FROM staff s " + where);
  if (!count) return count.status();
  for (size_t i = 0; i < values.size(); ++i) count->bind(static_cast<int>(i + 1), values[i]);
  auto counted = count->step();
  if (!counted) return counted.status();
  StaffPage page;
  page.total = count->integer(0);
  count->reset();

  auto stmt =
      (*lease).prepare(std::string(kSelect) + where + " ORDER BY s.staff_no LIMIT ? OFFSET ?");
  if (!stmt) return stmt.status();
  const int n = static_cast<int>(values.size());
  for (int i = 0; i < n; ++i) stmt->bind(i + 1, values[static_cast<size_t>(i)]);
  stmt->bind(n + 1, int64_t{query.limit}).bind(n + 2, int64_t{query.offset});
  auto items = read_members(*stmt);
  if (!items) return items.status();
  page.items = std::move(items).value();
  return page;
}

}  // namespace cityops::store
