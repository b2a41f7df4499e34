// The storage interface. SQLite implements it for one node; a PostgreSQL backend can implement
// the same calls for several. Every method is safe to call from many threads.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/case.h"
#include "domain/role.h"
#include "domain/staff.h"
#include "store/case_query.h"
#include "store/component_query.h"

namespace cityops::store {

// One region of any layer, its geometry as GeoJSON text in WGS84.
struct RegionRecord {
  std::string code;
  std::string layer;  // district, street, community, unit_grid, governance_grid
  std::string name;
  std::string parent;
  std::string geometry;  // GeoJSON geometry object, WGS84
  std::string source_datum;
};

// One case moving one version forward, with the event that records why.
struct CaseChange {
  Case after;
  CaseEvent event;
};

struct CreateOutcome {
  Case created;
  bool replayed = false;  // true when the idempotency key had been seen: nothing was written
};

// An account as stored. `password_hash` is a libsodium password-hash string; nothing else
// about the password is kept.
struct UserRecord {
  int64_t id = 0;  // assigned by the store
  std::string username;
  std::string display_name;
  Role role = Role::kViewer;
  std::string department;
  std::vector<std::string> grids;
  std::string password_hash;
  bool disabled = false;
  Timestamp created_at{};
  Timestamp updated_at{};
};

// A signed-in session, found by the hash of its bearer token (the token itself is not kept).
struct SessionRecord {
  std::string token_hash;
  int64_t user_id = 0;
  Timestamp created_at{};
  Timestamp expires_at{};
  std::optional<Timestamp> revoked_at;
};

// A key a partner system presents instead of signing in. Only a hash of the key is kept, so a
// copy of the database lets nobody call as the partner.
struct ApiKeyRecord {
  int64_t id = 0;  // assigned by the store
  std::string name;
  std::string key_hash;
  std::string department;  // the back office the key belongs to; empty for none
  Timestamp created_at{};
  std::optional<Timestamp> revoked_at;
};

// How the writer has batched case writes so far: writes / batches is the mean batch size.
struct WriteStats {
  uint64_t batches = 0;
  uint64_t writes = 0;
};

// A grid worker's patrol: open while ended_at is unset. One open patrol per worker.
struct PatrolRecord {
  int64_t id = 0;  // assigned by the store
  std::string worker;
  Timestamp started_at{};
  std::optional<Timestamp> ended_at;
};

// One GPS fix recorded on a patrol, in WGS84, with the grids it fell in when it was uploaded.
struct TrackPoint {
  int64_t patrol_id = 0;
  std::string worker;
  Timestamp at{};
  geo::LonLat location{};  // WGS84
  std::string reported_datum;
  std::optional<double> accuracy_m;
  std::string unit_grid;
  std::string governance_grid;
  Timestamp received_at{};
};

// When a grid was last visited on patrol, and by whom.
struct GridVisit {
  std::string grid;
  Timestamp last_at{};
  std::string worker;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual WriteStats write_stats() const { return {}; }

  // Reference data sets ("taxonomy", "departments", "routing", "calendar-2025", ...) are kept
  // as the text of the project's own formats, replaced whole and validated before they come.
  virtual Status put_reference(const std::string& name, const std::string& content) = 0;
  virtual Result<std::map<std::string, std::string>> reference_sets() = 0;

  // Replaces every region of the given layers with `regions`, in one transaction.
  virtual Status replace_regions(const std::vector<std::string>& layers,
                                 const std::vector<RegionRecord>& regions) = 0;
  virtual Result<std::vector<RegionRecord>> regions(const std::string& layer) = 0;

  // Numbers the case (district code, local date of reported_at, daily sequence), writes it
  // and its "report" event durably, and returns it. With an idempotency key seen before,
  // returns the case created then and writes nothing.
  virtual Result<CreateOutcome> create_case(Case draft, const std::string& district_code,
                                            const std::string& actor) = 0;
  // As create_case, without blocking the caller: `done` runs once, when the case is durable
  // or refused, on a thread of the store's; it must return quickly.
  using CreateDone = std::function<void(Result<CreateOutcome>)>;
  virtual void create_case_async(Case draft, const std::string& district_code,
                                 const std::string& actor, CreateDone done) = 0;

  // Writes each change in one transaction: a case row moves from version after.version - 1 to
  // after.version and its event is appended. If any row is at another version, nothing is
  // written and the answer is kConflict "stale_version".
  virtual Status apply_changes(const std::vector<CaseChange>& changes) = 0;

  virtual Result<std::optional<Case>> find_case(const std::string& number) = 0;
  virtual Result<CasePage> list_cases(const CaseQuery& query) = 0;
  virtual Result<std::vector<CaseEvent>> case_events(const std::string& number) = 0;
  // Events of every case with `from` <= at < `to`, but none whose action is in `skip`, in time
  // order (then as written), at most `limit`; for partners that follow changes.
  virtual Result<std::vector<CaseEvent>> events_between(Timestamp from, Timestamp to,
                                                        const std::vector<std::string>& skip,
                                                        int limit) = 0;
  // Events of every case with an id above `after`, by id, at most `limit`; and the highest id
  // written (0 for none). Live feeds tail the log with these.
  virtual Result<std::vector<CaseEvent>> events_after(int64_t /*after*/, int /*limit*/) {
    return unsupported();
  }
  virtual Result<int64_t> last_event_id() { return unsupported(); }
  // Runs `listener` (quick, not blocking) after every durable batch of case writes, on the
  // writer's thread; one listener, replaced by the next call. Backends without it never call.
  virtual void on_case_commit(std::function<void()> /*listener*/) {}
  // The case an idempotency key created, if any.
  virtual Result<std::optional<std::string>> case_of_key(const std::string& key) = 0;
  // Records that `username` read the reporter's personal data of a case in clear.
  virtual Status log_personal_data_access(const std::string& number, const std::string& username,
                                          Timestamp at) = 0;
  // Those records for one case, oldest first, as (username, at).
  virtual Result<std::vector<std::pair<std::string, Timestamp>>> personal_data_accesses(
      const std::string& number) = 0;

  // Cases whose current step reached its warning or due time by `now` and is not yet marked,
  // soonest first, at most `limit`.
  virtual Result<std::vector<Case>> cases_due_for_timer(Timestamp now, int limit) = 0;
  // Open cases, for in-memory indexes built at start-up.
  virtual Result<std::vector<Case>> open_cases() = 0;
  // The few facts of every open case that the duplicate search needs, read from plain columns
  // without decoding any record: start-up reads them for every open case.
  struct CasePoint {
    std::string number;
    std::string category;
    geo::LonLat location{};
    Timestamp reported_at{};
  };
  virtual Result<std::vector<CasePoint>> open_case_points() = 0;
  virtual Result<int64_t> count_cases() = 0;

  // Accounts. create_user writes `draft` (its id is ignored) and returns it with its id; a
  // username already taken is a kConflict "username_taken" and writes nothing.
  virtual Result<UserRecord> create_user(const UserRecord& draft) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_name(const std::string& username) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_id(int64_t id) = 0;
  // Every account, by username.
  virtual Result<std::vector<UserRecord>> list_users() = 0;
  // Replaces the password hash and revokes the user's open sessions, in one transaction, so
  // a changed password also signs out whoever held the old one. kNotFound "unknown_user".
  virtual Status update_password(int64_t user_id, const std::string& password_hash,
                                 Timestamp at) = 0;
  // Disables or re-enables an account; disabling also revokes its open sessions, in the same
  // transaction. kNotFound "unknown_user".
  virtual Status set_disabled(int64_t user_id, bool disabled, Timestamp at) = 0;

  // Sessions. A token hash is unique; writing one twice is an error.
  virtual Status create_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find_session(const std::string& token_hash) = 0;
  // Marks the session revoked at `at`; a session already revoked keeps its first time.
  // kNotFound "unknown_session" when there is no such session.
  virtual Status revoke_session(const std::string& token_hash, Timestamp at) = 0;

  // API keys. create_api_key writes `draft` (its id is ignored) and returns it with its id; a
  // name already taken is a kConflict "api_key_name_taken" and writes nothing.
  virtual Result<ApiKeyRecord> create_api_key(const ApiKeyRecord& draft) = 0;
  virtual Result<std::optional<ApiKeyRecord>> find_api_key(const std::string& key_hash) = 0;
  // Every key, revoked ones too, by name.
  virtual Result<std::vector<ApiKeyRecord>> list_api_keys() = 0;
  // Marks the key revoked at `at`; a key already revoked keeps its first time.
  // kNotFound "unknown_api_key" when no key has the name.
  virtual Status revoke_api_key(const std::string& name, Timestamp at) = 0;

  // Photos (services::PhotoService keeps the files). Not pure: a backend without photos
  // answers kInternal "photos_unsupported".
  struct PhotoRecord {
    std::string name;  // the original's file, "<sha256 hex>.<jpg|png|webp>"
    std::string content_type;
    int64_t bytes = 0;
    int width = 0;  // as shown, with the EXIF orientation applied
    int height = 0;
    std::string thumbnail;  // the thumbnail's file, "<sha256 hex>.jpg"
    std::optional<Timestamp> taken_at;
    std::optional<geo::LonLat> location;  // WGS84, from EXIF GPS
    std::string uploaded_by;
    Timestamp uploaded_at{};
  };
  struct PhotoWrite {
    PhotoRecord photo;     // the row as stored
    bool existed = false;  // a row of that name was there: it is kept, `draft` is not written
  };
  // Writes `draft` unless a photo of its name exists, in which case the first record stays.
  virtual Result<PhotoWrite> put_photo(const PhotoRecord& draft);
  virtual Result<std::optional<PhotoRecord>> find_photo(const std::string& name);
  // The numbers of the cases that name the photo (migration kPhotos says how), in order.
  virtual Result<std::vector<std::string>> cases_naming_photo(const std::string& name);
  // Patrols and their tracks. start_patrol writes an open patrol; when the worker has one open
  // already it is kConflict "patrol_open" naming its id, and nothing is written.
  virtual Result<PatrolRecord> start_patrol(const std::string& worker, Timestamp at) = 0;
  // Sets the end of an open patrol. kNotFound "patrol_not_found"; kConflict "patrol_ended".
  virtual Status end_patrol(int64_t id, Timestamp at) = 0;
  virtual Result<std::optional<PatrolRecord>> find_patrol(int64_t id) = 0;
  // The worker's patrols (every worker's when empty) that overlap [from, to), by start time.
  virtual Result<std::vector<PatrolRecord>> patrols_between(const std::string& worker,
                                                            Timestamp from, Timestamp to) = 0;
  // Writes the points in one transaction; a point whose worker and second are already stored
  // is skipped. Answers how many were written.
  virtual Result<int64_t> add_track_points(const std::vector<TrackPoint>& points) = 0;
  // A patrol's points in time order.
  virtual Result<std::vector<TrackPoint>> track_points(int64_t patrol_id) = 0;
  // The last visit of each grid of `layer` ("unit_grid" or "governance_grid"), by code; only
  // `grid` when it is given.
  virtual Result<std::vector<GridVisit>> grid_visits(const std::string& layer,
                                                     const std::optional<std::string>& grid) = 0;
  // Region versions and grid staff.
  // One version of a region: valid from `valid_from` (inclusive) to `valid_to` (exclusive;
  // none for the current version). Layers written by replace_regions start at the epoch.
  struct RegionVersion {
    RegionRecord region;
    Timestamp valid_from{};
    std::optional<Timestamp> valid_to;
  };
  // Closes the current version of (region.layer, region.code) at `valid_from` and adds
  // `region` as the new current version, in one transaction. kNotFound "unknown_region" when
  // the region has no current version; "valid_from_too_early" when `valid_from` lies before
  // the current version's start (the same start replaces that version in place).
  virtual Status put_region_version(const RegionRecord& region, Timestamp valid_from) = 0;
  // The versions of a layer valid at `at`, by code.
  virtual Result<std::vector<RegionVersion>> regions_at(const std::string& layer, Timestamp at) = 0;
  // Every version of a region code (any layer), oldest first.
  virtual Result<std::vector<RegionVersion>> region_history(const std::string& code) = 0;

  struct StaffUpsert {
    int inserted = 0;
    int updated = 0;
  };
  // Writes each member by staff_no (a new one inserted, a known one replaced with its grids),
  // all in one transaction.
  virtual Result<StaffUpsert> upsert_staff(const std::vector<StaffMember>& members,
                                           Timestamp at) = 0;
  virtual Result<std::optional<StaffMember>> find_staff(const std::string& staff_no) = 0;
  // The staff record linked to a login account, if any.
  virtual Result<std::optional<StaffMember>> find_staff_by_username(
      const std::string& username) = 0;
  // Unset fields do not filter; `q` matches part of the name or staff_no.
  struct StaffQuery {
    std::optional<std::string> grid;
    std::optional<std::string> team;
    std::optional<StaffRole> role;
    std::optional<std::string> q;
    int limit = 50;
    int offset = 0;
  };
  struct StaffPage {
    std::vector<StaffMember> items;  // by staff_no
    int64_t total = 0;               // matching rows, before limit and offset
  };
  virtual Result<StaffPage> list_staff(const StaffQuery& query) = 0;
  // Components inventory and case counts. A backend without them answers "not_supported".
  // Writes every component in one transaction, replacing those whose id is stored.
  virtual Result<UpsertCounts> upsert_components(const std::vector<Component>& /*components*/) {
    return unsupported();
  }
  virtual Result<std::optional<Component>> find_component(const std::string& /*id*/) {
    return unsupported();
  }
  // With `near`, ordered by distance in metres (closest first, then by id); else by id.
  virtual Result<ComponentPage> list_components(const ComponentQuery& /*query*/) {
    return unsupported();
  }
  // kNotFound "component_not_found" when no component has the id.
  virtual Status set_component_status(const std::string& /*id*/, ComponentStatus /*status*/,
                                      Timestamp /*at*/) {
    return unsupported();
  }
  // Keys with at least one case, most cases first, then by key.
  virtual Result<std::vector<KeyCount>> case_counts(const CaseCountQuery& /*query*/) {
    return unsupported();
  }
  // The dashboard's counts, each grouped in SQL over the plain columns.
  virtual Result<DashboardCounts> dashboard_counts(const DashboardQuery& /*query*/) {
    return unsupported();
  }

 private:
  static Status unsupported() {
    return {ErrorKind::kInternal, "not_supported", "this store does not support the call"};
  }
};

}  // namespace cityops::store
