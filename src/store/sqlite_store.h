// The embedded store: one SQLite database file in WAL mode.
//
// Writes go through one connection. Case writes are group-committed: concurrent ones share a
// transaction and one full fsync, and each call returns only after its batch is durable. Reads
// use a small pool of read-only connections, so a reader never waits for the writer (WAL gives
// them a consistent snapshot).
#pragma once

#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "store/decoded_cases.h"
#include "store/group_commit.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace cityops::store {

class SqliteStore final : public Store {
 public:
  // Opens or creates `path`, runs migrations, and opens `readers` read connections.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& path,
                                                   int readers = 4);

  Status put_reference(const std::string& name, const std::string& content) override;
  Result<std::map<std::string, std::string>> reference_sets() override;
  Status replace_regions(const std::vector<std::string>& layers,
                         const std::vector<RegionRecord>& regions) override;
  Result<std::vector<RegionRecord>> regions(const std::string& layer) override;

  Result<CreateOutcome> create_case(Case draft, const std::string& district_code,
                                    const std::string& actor) override;
  void create_case_async(Case draft, const std::string& district_code, const std::string& actor,
                         CreateDone done) override;
  Status apply_changes(const std::vector<CaseChange>& changes) override;
  WriteStats write_stats() const override { return {committer_->batches(), committer_->jobs()}; }
  Result<std::optional<Case>> find_case(const std::string& number) override;
  Result<CasePage> list_cases(const CaseQuery& query) override;
  Result<std::vector<CaseEvent>> case_events(const std::string& number) override;
  Result<std::vector<CaseEvent>> events_between(Timestamp from, Timestamp to,
                                                const std::vector<std::string>& skip,
                                                int limit) override;
  Result<std::vector<CaseEvent>> events_after(int64_t after, int limit) override;
  Result<int64_t> last_event_id() override;
  void on_case_commit(std::function<void()> listener) override;
  Result<std::optional<std::string>> case_of_key(const std::string& key) override;
  Result<std::vector<Case>> open_cases() override;
  Result<std::vector<CasePoint>> open_case_points() override;
  Result<std::vector<Case>> cases_due_for_timer(Timestamp now, int limit) override;
  Status log_personal_data_access(const std::string& number, const std::string& username,
                                  Timestamp at) override;
  Result<std::vector<std::pair<std::string, Timestamp>>> personal_data_accesses(
      const std::string& number) override;
  Result<int64_t> count_cases() override;

  Result<UserRecord> create_user(const UserRecord& draft) override;
  Result<std::optional<UserRecord>> find_user_by_name(const std::string& username) override;
  Result<std::optional<UserRecord>> find_user_by_id(int64_t id) override;
  Result<std::vector<UserRecord>> list_users() override;
  Status update_password(int64_t user_id, const std::string& password_hash, Timestamp at) override;
  Status set_disabled(int64_t user_id, bool disabled, Timestamp at) override;
  Status create_session(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find_session(const std::string& token_hash) override;
  Status revoke_session(const std::string& token_hash, Timestamp at) override;

  Result<ApiKeyRecord> create_api_key(const ApiKeyRecord& draft) override;
  Result<std::optional<ApiKeyRecord>> find_api_key(const std::string& key_hash) override;
  Result<std::vector<ApiKeyRecord>> list_api_keys() override;
  Status revoke_api_key(const std::string& name, Timestamp at) override;

  // Photos (sqlite_store_photos.cc).
  Result<PhotoWrite> put_photo(const PhotoRecord& draft) override;
  Result<std::optional<PhotoRecord>> find_photo(const std::string& name) override;
  Result<std::vector<std::string>> cases_naming_photo(const std::string& name) override;
  // Patrols and their tracks (sqlite_store_patrols.cc).
  Result<PatrolRecord> start_patrol(const std::string& worker, Timestamp at) override;
  Status end_patrol(int64_t id, Timestamp at) override;
  Result<std::optional<PatrolRecord>> find_patrol(int64_t id) override;
  Result<std::vector<PatrolRecord>> patrols_between(const std::string& worker, Timestamp from,
                                                    Timestamp to) override;
  Result<int64_t> add_track_points(const std::vector<TrackPoint>& points) override;
  Result<std::vector<TrackPoint>> track_points(int64_t patrol_id) override;
  Result<std::vector<GridVisit>> grid_visits(const std::string& layer,
                                             const std::optional<std::string>& grid) override;
  // Region versions and grid staff (sqlite_store_staff.cc).
  Status put_region_version(const RegionRecord& region, Timestamp valid_from) override;
  Result<std::vector<RegionVersion>> regions_at(const std::string& layer, Timestamp at) override;
  Result<std::vector<RegionVersion>> region_history(const std::string& code) override;
  Result<StaffUpsert> upsert_staff(const std::vector<StaffMember>& members, Timestamp at) override;
  Result<std::optional<StaffMember>> find_staff(const std::string& staff_no) override;
  Result<std::optional<StaffMember>> find_staff_by_username(const std::string& username) override;
  Result<StaffPage> list_staff(const StaffQuery& query) override;
  // Components inventory and case counts (sqlite_store_components.cc).
  Result<UpsertCounts> upsert_components(const std::vector<Component>& components) override;
  Result<std::optional<Component>> find_component(const std::string& id) override;
  Result<ComponentPage> list_components(const ComponentQuery& query) override;
  Status set_component_status(const std::string& id, ComponentStatus status, Timestamp at) override;
  Result<std::vector<KeyCount>> case_counts(const CaseCountQuery& query) override;
  // The dashboard's counts (sqlite_store_stats.cc).
  Result<DashboardCounts> dashboard_counts(const DashboardQuery& query) override;

  // While loading a data set from scratch, commits may skip the fsync (synchronous=OFF): a crash
  // then loses the load, which is simply run again. Always switch it back on before serving.
  Status set_bulk_load(bool on);
  // Copies the write-ahead log into the database file and syncs it.
  Status checkpoint();

  // Runs SQLite's integrity check; OK when the database reports "ok".
  Status integrity_check();

 private:
  explicit SqliteStore(Connection writer) : writer_(std::move(writer)) {}

  // Lends a read connection for the lifetime of the returned handle.
  class ReaderLease;
  ReaderLease lease_reader();

  // The next case number for a "district-date" prefix, from memory after the first use.
  Result<std::string> reserve_number(const std::string& prefix);

  // Lists reread the same recent cases; about 5 KB each, so some 50 MB at most.
  DecodedCases decoded_{10000};

  std::mutex sequence_mutex_;
  std::map<std::string, int64_t> sequences_;

  std::mutex write_mutex_;
  Connection writer_;
  // Case writes, the hot path, go through group commit; rarer writes lock the mutex.
  std::unique_ptr<GroupCommitter> committer_;

  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<Connection> idle_readers_;
};

// A read connection lent from the pool; it goes back when the lease ends.
class SqliteStore::ReaderLease {
 public:
  ReaderLease(SqliteStore* owner, Connection db) : owner_(owner), db_(std::move(db)) {}
  ReaderLease(ReaderLease&&) = default;
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  ~ReaderLease() {
    if (!owner_) return;
    std::lock_guard lock(owner_->readers_mutex_);
    owner_->idle_readers_.push_back(std::move(db_));
    owner_->reader_returned_.notify_one();
  }
  Connection& operator*() { return db_; }

 private:
  SqliteStore* owner_;
  Connection db_;
};

}  // namespace cityops::store
