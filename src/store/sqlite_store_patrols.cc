// SqliteStore's patrols and track points: rare writes under the write mutex, outside group
// commit (a track upload is a batch of its own), and reads on the reader pool.
#include <sqlite3.h>

#include "store/sqlite_store.h"

namespace cityops::store {

namespace {

constexpr std::string_view kPatrolColumns = "id, worker, started_at, ended_at";
constexpr std::string_view kPointColumns =
    "patrol_id, worker, at, lon, lat, reported_datum, accuracy, unit_grid, governance_grid,"
    " received_at";

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp instant(int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

PatrolRecord read_patrol(const Statement& stmt) {
  PatrolRecord patrol;
  patrol.id = stmt.integer(0);
  patrol.worker = stmt.text(1);
  patrol.started_at = instant(stmt.integer(2));
  if (!stmt.is_null(3)) patrol.ended_at = instant(stmt.integer(3));
  return patrol;
}

TrackPoint read_point(const Statement& stmt) {
  TrackPoint point;
  point.patrol_id = stmt.integer(0);
  point.worker = stmt.text(1);
  point.at = instant(stmt.integer(2));
  point.location = {stmt.real(3), stmt.real(4)};
  point.reported_datum = stmt.text(5);
  if (!stmt.is_null(6)) point.accuracy_m = stmt.real(6);
  point.unit_grid = stmt.text(7);
  point.governance_grid = stmt.text(8);
  point.received_at = instant(stmt.integer(9));
  return point;
}

template <typename T, typename Read>
Result<std::vector<T>> read_all(Statement& stmt, Read read) {
  std::vector<T> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!*row) break;
    out.push_back(read(stmt));
  }
  return out;
}

Result<std::optional<PatrolRecord>> open_patrol_of(Connection& db, const std::string& worker) {
  auto stmt = db.prepare("SELECT " + std::string(kPatrolColumns) +
                         " FROM patrols WHERE worker = ? AND ended_at IS NULL");
  if (!stmt) return stmt.status();
  stmt->bind(1, worker);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<PatrolRecord>{};
  return std::optional<PatrolRecord>{read_patrol(*stmt)};
}

}  // namespace

Result<PatrolRecord> SqliteStore::start_patrol(const std::string& worker, Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  // Checked first so that a second start is a clear conflict naming the open patrol.
  auto open = open_patrol_of(writer_, worker);
  if (!open) return open.status();
  if (*open) {
    return Status(ErrorKind::kConflict, "patrol_open",
                  "patrol " + std::to_string((*open)->id) + " is still open; end it first");
  }
  auto stmt = writer_.prepare("INSERT INTO patrols (worker, started_at) VALUES (?, ?)");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, worker).bind(2, epoch(at)).run());
  PatrolRecord created{writer_.last_insert_rowid(), worker, at, std::nullopt};
  CITYOPS_RETURN_IF_ERROR(tx->commit());
  return created;
}

Status SqliteStore::end_patrol(int64_t id, Timestamp at) {
  std::lock_guard lock(write_mutex_);
  auto stmt = writer_.prepare("UPDATE patrols SET ended_at = ? WHERE id = ? AND ended_at IS NULL");
  if (!stmt) return stmt.status();
  CITYOPS_RETURN_IF_ERROR(stmt->bind(1, epoch(at)).bind(2, id).run());
  if (sqlite3_changes(writer_.raw()) > 0) return Status::ok();
  auto found = find_patrol(id);
  if (!found) return found.status();
  if (!*found) return not_found("patrol_not_found", "no patrol " + std::to_string(id));
  return Status(ErrorKind::kConflict, "patrol_ended",
                "patrol " + std::to_string(id) + " has ended already");
}

Result<std::optional<PatrolRecord>> SqliteStore::find_patrol(int64_t id) {
  auto lease = lease_reader();
  auto stmt =
      (*lease).prepare("SELECT " + std::string(kPatrolColumns) + " FROM patrols WHERE id = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<PatrolRecord>{};
  return std::optional<PatrolRecord>{read_patrol(*stmt)};
}

Result<std::vector<PatrolRecord>> SqliteStore::patrols_between(const std::string& worker,
                                                               Timestamp from, Timestamp to) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("SELECT " + std::string(kPatrolColumns) +
                               " FROM patrols WHERE (? = '' OR worker = ?) AND started_at < ?"
                               " AND (ended_at IS NULL OR ended_at >= ?)"
                               " ORDER BY started_at, id");
  if (!stmt) return stmt.status();
  stmt->bind(1, worker).bind(2, worker).bind(3, epoch(to)).bind(4, epoch(from));
  return read_all<PatrolRecord>(*stmt, read_patrol);
}

Result<int64_t> SqliteStore::add_track_points(const std::vector<TrackPoint>& points) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  int64_t written = 0;
  for (const auto& p : points) {
    auto stmt =
        writer_.prepare("INSERT OR IGNORE INTO track_points (" + std::string(kPointColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.status();
    stmt->bind(1, p.patrol_id)
        .bind(2, p.worker)
        .bind(3, epoch(p.at))
        .bind(4, p.location.lon)
        .bind(5, p.location.lat)
        .bind(6, p.reported_datum);
    if (p.accuracy_m) {
      stmt->bind(7, *p.accuracy_m);
    } else {
      stmt->bind_null(7);
    }
    stmt->bind(8, p.unit_grid).bind(9, p.governance_grid).bind(10, epoch(p.received_at));
    CITYOPS_RETURN_IF_ERROR(stmt->run());
    written += sqlite3_changes(writer_.raw());
  }
  CITYOPS_RETURN_IF_ERROR(tx->commit());
  return written;
}

Result<std::vector<TrackPoint>> SqliteStore::track_points(int64_t patrol_id) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("SELECT " + std::string(kPointColumns) +
                               " FROM track_points WHERE patrol_id = ? ORDER BY at");
  if (!stmt) return stmt.status();
  stmt->bind(1, patrol_id);
  return read_all<TrackPoint>(*stmt, read_point);
}

Result<std::vector<GridVisit>> SqliteStore::grid_visits(const std::string& layer,
                                                        const std::optional<std::string>& grid) {
  if (layer != "unit_grid" && layer != "governance_grid") {
    return invalid("unknown_layer", "layer is unit_grid or governance_grid", "layer");
  }
  // SQLite takes the bare `worker` column from the row holding MAX(at): the last visitor.
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("SELECT " + layer + ", MAX(at), worker FROM track_points WHERE " +
                               layer + " != '' AND (? IS NULL OR " + layer + " = ?) GROUP BY " +
                               layer + " ORDER BY " + layer);
  if (!stmt) return stmt.status();
  stmt->bind(1, grid).bind(2, grid);
  return read_all<GridVisit>(*stmt, [](const Statement& s) {
    return GridVisit{s.text(0), instant(s.integer(1)), s.text(2)};
  });
}

}  // namespace cityops::store
