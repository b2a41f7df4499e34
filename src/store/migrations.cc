#include "store/migrations.h"

#include <array>
#include <string_view>

namespace cityops::store {

namespace {

constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE reference_sets (
  name TEXT PRIMARY KEY,
  content TEXT NOT NULL,
  imported_at INTEGER NOT NULL
);

CREATE TABLE regions (
  layer TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  parent TEXT NOT NULL,
  geometry TEXT NOT NULL,
  source_datum TEXT NOT NULL,
  PRIMARY KEY (layer, code)
);

-- The last sequence number handed out per district and local day.
CREATE TABLE case_sequences (
  prefix TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);

-- The projection of case_events; `body` is the full record, the other columns serve filters.
CREATE TABLE cases (
  number TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  category TEXT NOT NULL,
  channel TEXT NOT NULL,
  street TEXT NOT NULL,
  unit_grid TEXT NOT NULL,
  governance_grid TEXT NOT NULL,
  department TEXT NOT NULL,
  reported_at INTEGER NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  due_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX cases_by_time ON cases (reported_at DESC, number DESC);
CREATE INDEX cases_by_state ON cases (state, reported_at DESC);
CREATE INDEX cases_by_category ON cases (category, reported_at DESC);
CREATE INDEX cases_by_street ON cases (street, reported_at DESC);
CREATE INDEX cases_by_department ON cases (department, reported_at DESC);
CREATE INDEX cases_by_unit_grid ON cases (unit_grid);
CREATE INDEX cases_by_governance_grid ON cases (governance_grid);

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number TEXT NOT NULL REFERENCES cases (number),
  version INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  note TEXT NOT NULL,
  data TEXT NOT NULL,
  UNIQUE (case_number, version)
);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are immutable'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are immutable'); END;

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  case_number TEXT NOT NULL REFERENCES cases (number),
  created_at INTEGER NOT NULL
);
)sql";

// Accounts and their sessions. A session row holds only a hash of its bearer token, so a copy
// of the database does not let anyone sign in.
constexpr std::string_view kAccounts = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  department TEXT NOT NULL,
  grids TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);
)sql";

// The workflow's traffic lights: when the current step turns yellow, and whether the case is
// suspended, so lists can filter and sort by light and due time in SQL.
constexpr std::string_view kWorkflowColumns = R"sql(
ALTER TABLE cases ADD COLUMN warn_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN timer_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_by_due ON cases (due_at, number);
CREATE INDEX cases_by_timer ON cases (timer_at);

-- Every reading of a reporter's name and phone in clear, for the audit trail.
CREATE TABLE personal_data_access (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number TEXT NOT NULL REFERENCES cases (number),
  username TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX personal_data_access_by_case ON personal_data_access (case_number, id);
)sql";

// The open cases, which the duplicate index loads at every start. A partial index whose
// condition is the very term SqliteStore::open_cases filters on lets SQLite read those rows
// alone; without it the start-up scanned the whole table, every page of every finished case.
constexpr std::string_view kOpenCasesIndex = R"sql(
CREATE INDEX cases_open ON cases (state)
  WHERE state NOT IN ('rejected','merged','closed','cancelled');
)sql";

// Keys that partner systems present instead of signing in. As with sessions, only a hash of
// each key is kept; the name is how operators refer to a key when they revoke it.
constexpr std::string_view kApiKeys = R"sql(
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL UNIQUE,
  department TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
)sql";

// Partners follow every case's events by time.
constexpr std::string_view kEventsByTime = R"sql(
CREATE INDEX case_events_by_time ON case_events (at, id);
)sql";

// Uploaded photos, one row per distinct file (the first upload's), and which cases name them.
// A case names a photo by any string that ends with the photo's name (the name itself or a URL
// of it) in its photos, its handling photos or an event's attachments. Triggers keep
// photo_links current on every case write, bulk loads included, so no writer has to know; the
// cheap instr() test skips the JSON parse for the many cases without photos. Names are 64 hex
// digits and ".jpg"/".png" (68 characters) or ".webp" (69).
constexpr std::string_view kPhotos = R"sql(
CREATE TABLE photos (
  name TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  thumbnail TEXT NOT NULL,
  taken_at INTEGER,
  lon REAL,
  lat REAL,
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL
);

CREATE TABLE photo_links (
  photo TEXT NOT NULL,
  case_number TEXT NOT NULL,
  PRIMARY KEY (photo, case_number)
) WITHOUT ROWID;

CREATE VIEW case_photo_refs AS
  SELECT c.number AS case_number, j.value AS ref
    FROM cases c, json_each(c.body, '$.photos') j
   WHERE instr(c.body, 'photos":["') > 0 AND j.type = 'text'
  UNION ALL
  SELECT c.number, j.value FROM cases c, json_each(c.body, '$.handling_photos') j
   WHERE instr(c.body, 'photos":["') > 0 AND j.type = 'text'
  UNION ALL
  SELECT e.case_number, j.value FROM case_events e, json_each(e.data, '$."$meta".attachments') j
   WHERE instr(e.data, '"attachments":["') > 0 AND j.type = 'text';

INSERT OR IGNORE INTO photo_links (photo, case_number)
  SELECT substr(ref, CASE WHEN ref LIKE '%.webp' THEN -69 ELSE -68 END), case_number
    FROM case_photo_refs;
DROP VIEW case_photo_refs;

CREATE TRIGGER photo_links_case_insert AFTER INSERT ON cases
  WHEN instr(NEW.body, 'photos":["') > 0
BEGIN
  INSERT OR IGNORE INTO photo_links (photo, case_number)
    SELECT substr(value, CASE WHEN value LIKE '%.webp' THEN -69 ELSE -68 END), NEW.number
      FROM (SELECT value, type FROM json_each(NEW.body, '$.photos')
            UNION ALL SELECT value, type FROM json_each(NEW.body, '$.handling_photos'))
     WHERE type = 'text';
END;

CREATE TRIGGER photo_links_case_update AFTER UPDATE OF body ON cases
  WHEN instr(NEW.body, 'photos":["') > 0
BEGIN
  INSERT OR IGNORE INTO photo_links (photo, case_number)
    SELECT substr(value, CASE WHEN value LIKE '%.webp' THEN -69 ELSE -68 END), NEW.number
      FROM (SELECT value, type FROM json_each(NEW.body, '$.photos')
            UNION ALL SELECT value, type FROM json_each(NEW.body, '$.handling_photos'))
     WHERE type = 'text';
END;

CREATE TRIGGER photo_links_event_insert AFTER INSERT ON case_events
  WHEN instr(NEW.data, '"attachments":["') > 0
BEGIN
  INSERT OR IGNORE INTO photo_links (photo, case_number)
    SELECT substr(value, CASE WHEN value LIKE '%.webp' THEN -69 ELSE -68 END), NEW.case_number
      FROM json_each(NEW.data, '$."$meta".attachments')
     WHERE type = 'text';
END;
)sql";

// Grid workers' patrols and the GPS points recorded on them, stored in WGS84 with the grids
// they fell in when uploaded. One point per worker and second: a repeated upload is ignored.
constexpr std::string_view kPatrols = R"sql(
CREATE TABLE patrols (
  id INTEGER PRIMARY KEY,
  worker TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX patrols_by_worker ON patrols (worker, started_at);
CREATE UNIQUE INDEX patrols_open_per_worker ON patrols (worker) WHERE ended_at IS NULL;

CREATE TABLE track_points (
  patrol_id INTEGER NOT NULL REFERENCES patrols (id),
  worker TEXT NOT NULL,
  at INTEGER NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  reported_datum TEXT NOT NULL,
  accuracy REAL,
  unit_grid TEXT NOT NULL,
  governance_grid TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (worker, at)
);
CREATE INDEX track_points_by_patrol ON track_points (patrol_id, at);
CREATE INDEX track_points_by_unit_grid ON track_points (unit_grid, at);
CREATE INDEX track_points_by_governance_grid ON track_points (governance_grid, at);
)sql";

// Regions keep their versions: a boundary edit closes the current version (valid_to) and adds
// the next, so the layer as it stood on any date can be answered. Existing rows become versions
// valid since the epoch.
constexpr std::string_view kRegionVersions = R"sql(
CREATE TABLE region_versions (
  layer TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  parent TEXT NOT NULL,
  geometry TEXT NOT NULL,
  source_datum TEXT NOT NULL,
  valid_from INTEGER NOT NULL DEFAULT 0,
  valid_to INTEGER,
  PRIMARY KEY (layer, code, valid_from)
);
INSERT INTO region_versions (layer, code, name, parent, geometry, source_datum)
  SELECT layer, code, name, parent, geometry, source_datum FROM regions;
DROP TABLE regions;
ALTER TABLE region_versions RENAME TO regions;
CREATE INDEX regions_by_code ON regions (code, valid_from);
)sql";

// Grid staff and the governance grids each is assigned to. `username` links a staff record to
// a login account ('' for none).
constexpr std::string_view kGridStaff = R"sql(
CREATE TABLE staff (
  staff_no TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  phone TEXT NOT NULL,
  team TEXT NOT NULL,
  username TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);
CREATE INDEX staff_by_team ON staff (team, staff_no);
CREATE INDEX staff_by_username ON staff (username) WHERE username <> '';

CREATE TABLE staff_grids (
  staff_no TEXT NOT NULL REFERENCES staff (staff_no),
  grid TEXT NOT NULL,
  PRIMARY KEY (staff_no, grid)
);
CREATE INDEX staff_grids_by_grid ON staff_grids (grid, staff_no);
)sql";

// The components inventory (部件), found by box, circle and category; and the community of a
// case as a plain column read from its record, so that case counts group by it in SQL.
constexpr std::string_view kComponents = R"sql(
CREATE TABLE components (
  id TEXT PRIMARY KEY CHECK (length(id) = 17),
  category TEXT NOT NULL,
  name TEXT NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  reported_datum TEXT NOT NULL,
  reported_lon REAL NOT NULL,
  reported_lat REAL NOT NULL,
  unit_grid TEXT NOT NULL,
  governance_grid TEXT NOT NULL,
  address TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('intact', 'damaged', 'lost', 'removed')),
  owner_department TEXT NOT NULL,
  maintainer_department TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX components_by_lon_lat ON components (lon, lat);
CREATE INDEX components_by_category ON components (category, lon, lat);

ALTER TABLE cases ADD COLUMN community TEXT
  GENERATED ALWAYS AS (json_extract(body, '$.community')) VIRTUAL;
CREATE INDEX cases_by_community ON cases (community);
)sql";

constexpr std::array<std::string_view, 11> kMigrations{
    kInitialSchema, kAccounts, kWorkflowColumns, kOpenCasesIndex, kEventsByTime, kApiKeys,
    kPhotos,        kPatrols,  kRegionVersions,  kGridStaff,      kComponents};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

Result<int> migrate(Connection& db) {
  CITYOPS_RETURN_IF_ERROR(
      db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  auto current_stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current_stmt) return current_stmt.status();
  auto has_row = current_stmt->step();
  if (!has_row) return has_row.status();
  int current = static_cast<int>(current_stmt->integer(0));
  current_stmt->reset();

  for (int version = current + 1; version <= static_cast<int>(kMigrations.size()); ++version) {
    auto tx = Transaction::begin(db);
    if (!tx) return tx.status();
    CITYOPS_RETURN_IF_ERROR(db.exec(kMigrations[static_cast<size_t>(version - 1)]));
    auto record = db.prepare(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%s','now'))");
    if (!record) return record.status();
    CITYOPS_RETURN_IF_ERROR(record->bind(1, static_cast<int64_t>(version)).run());
    CITYOPS_RETURN_IF_ERROR(tx->commit());
    current = version;
  }
  return current;
}

}  // namespace cityops::store
