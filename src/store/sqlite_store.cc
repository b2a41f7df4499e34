#include "store/sqlite_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <future>

#include "domain/case_record.h"
#include "store/account_rows.h"
#include "store/case_rows.h"
#include "store/migrations.h"

namespace cityops::store {

namespace {

Result<std::optional<Case>> find_case_on(Connection& db, const std::string& number) {
  auto stmt = db.prepare("SELECT body FROM cases WHERE number = ?");
  if (!stmt) return stmt.status();
  stmt->bind(1, number);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!*row) return std::optional<Case>{};
  auto c = case_from_body(stmt->text(0));
  if (!c) return c.status();
  return std::optional<Case>{std::move(c).value()};
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path,
                                                       int readers) {
  auto writer = Connection::open(path, false);
  if (!writer) return writer.status();
  auto version = migrate(*writer);
  if (!version) return version.status();
  spdlog::debug("database {} at schema version {}", path.string(), *version);

  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(writer).value()));
  store->committer_ = std::make_unique<GroupCommitter>(store->writer_, store->write_mutex_);
  for (int i = 0; i < readers; ++i) {
    auto reader = Connection::open(path, true);
    if (!reader) return reader.status();
    store->idle_readers_.push_back(std::move(reader).value());
  }
  return store;
}

SqliteStore::ReaderLease SqliteStore::lease_reader() {
  std::unique_lock lock(readers_mutex_);
  reader_returned_.wait(lock, [this] { return !idle_readers_.empty(); });
  Connection db = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return ReaderLease(this, std::move(db));
}

Status SqliteStore::put_reference(const std::string& name, const std::string& content) {
  std::lock_guard lock(write_mutex_);
  auto stmt = writer_.prepare(
      "INSERT INTO reference_sets (name, content, imported_at) VALUES (?, ?, strftime('%s','now'))"
      " ON CONFLICT (name) DO UPDATE SET content = excluded.content,"
      " imported_at = excluded.imported_at");
  if (!stmt) return stmt.status();
  return stmt->bind(1, name).bind(2, content).run();
}

Result<std::map<std::string, std::string>> SqliteStore::reference_sets() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("SELECT name, content FROM reference_sets ORDER BY name");
  if (!stmt) return stmt.status();
  std::map<std::string, std::string> sets;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    sets.emplace(stmt->text(0), stmt->text(1));
  }
  return sets;
}

Status SqliteStore::replace_regions(const std::vector<std::string>& layers,
                                    const std::vector<RegionRecord>& regions) {
  std::lock_guard lock(write_mutex_);
  auto tx = Transaction::begin(writer_);
  if (!tx) return tx.status();
  auto remove = writer_.prepare("DELETE FROM regions WHERE layer = ?");
  if (!remove) return remove.status();
  for (const auto& layer : layers) CITYOPS_RETURN_IF_ERROR(remove->bind(1, layer).run());

  auto insert = writer_.prepare(
      "INSERT INTO regions (layer, code, name, parent, geometry, source_datum)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  for (const auto& r : regions) {
    CITYOPS_RETURN_IF_ERROR(insert->bind(1, r.layer)
                                .bind(2, r.code)
                                .bind(3, r.name)
                                .bind(4, r.parent)
                                .bind(5, r.geometry)
                                .bind(6, r.source_datum)
                                .run());
  }
  return tx->commit();
}

Result<std::vector<RegionRecord>> SqliteStore::regions(const std::string& layer) {
  // The versions in force now; a version dated ahead waits for its day.
  auto versions = regions_at(
      layer, std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
  if (!versions) return versions.status();
  std::vector<RegionRecord> out;
  out.reserve(versions->size());
  for (auto& v : *versions) out.push_back(std::move(v.region));
  return out;
}

Result<CreateOutcome> SqliteStore::create_case(Case draft, const std::string& district_code,
                                               const std::string& actor) {
  std::promise<Result<CreateOutcome>> finished;
  auto result = finished.get_future();
  create_case_async(std::move(draft), district_code, actor,
                    [&finished](Result<CreateOutcome> r) { finished.set_value(std::move(r)); });
  return result.get();
}

Result<std::string> SqliteStore::reserve_number(const std::string& prefix) {
  std::lock_guard lock(sequence_mutex_);
  auto found = sequences_.find(prefix);
  if (found == sequences_.end()) {
    // Every number of this process comes from here, so the stored value is read only once.
    auto lease = lease_reader();
    auto last = last_sequence(*lease, prefix);
    if (!last) return last.status();
    found = sequences_.emplace(prefix, *last).first;
  }
  return fmt::format("{}-{:06}", prefix, ++found->second);
}

void SqliteStore::create_case_async(Case draft, const std::string& district_code,
                                    const std::string& actor, CreateDone done) {
  // The number is taken and the record encoded here, on the caller's thread, so that the
  // single writer only binds and inserts. A report refused later, or a retry racing its first
  // attempt, leaves a gap in the day's numbers; no number is ever given twice.
  if (draft.idempotency_key) {
    // A retry of a report already stored is answered from a reader, costing no number.
    auto lease = lease_reader();
    auto seen = find_idempotent(*lease, *draft.idempotency_key);
    if (!seen) return done(seen.status());
    if (*seen) {
      auto existing = find_case_on(*lease, **seen);
      if (!existing) return done(existing.status());
      if (*existing) return done(CreateOutcome{std::move(**existing), true});
    }
  }
  const std::string prefix =
      fmt::format("{}-{}", district_code, format_compact_date(to_local(draft.reported_at).date));
  auto number = reserve_number(prefix);
  if (!number) return done(number.status());
  draft.number = *number;
  struct Work {
    std::string prefix;
    int64_t sequence = 0;
    CaseEvent event;
    Case created;
    std::string body;
    std::string event_data;
    CreateOutcome outcome;
    CreateDone done;
  };
  auto work = std::make_shared<Work>();
  work->prefix = prefix;
  work->sequence = std::stoll(number->substr(prefix.size() + 1));
  work->event = make_report_event(draft, actor);
  if (Status applied = apply_event(work->created, work->event); !applied.is_ok()) {
    return done(std::move(applied));
  }
  work->body = encode_case_body(work->created);
  work->event_data = encode_event_data(work->event);
  work->done = std::move(done);

  committer_->submit(
      [work](Connection& db) -> Status {
        // Inside the batch, so a retry racing its first attempt sees the first's key.
        const auto& key = work->created.idempotency_key;
        if (key) {
          auto seen = find_idempotent(db, *key);
          if (!seen) return seen.status();
          if (*seen) {
            auto existing = find_case_on(db, **seen);
            if (!existing) return existing.status();
            if (*existing) {
              work->outcome = CreateOutcome{std::move(**existing), true};
              return Status::ok();
            }
          }
        }
        CITYOPS_RETURN_IF_ERROR(advance_sequence(db, work->prefix, work->sequence));
        CITYOPS_RETURN_IF_ERROR(upsert_case_row(db, work->created, work->body));
        CITYOPS_RETURN_IF_ERROR(insert_event(db, work->event, work->event_data));
        if (key) {
          CITYOPS_RETURN_IF_ERROR(
              remember_idempotent(db, *key, work->created.number, work->created.reported_at));
        }
        work->outcome = CreateOutcome{std::move(work->created), false};
        return Status::ok();
      },
      [work](Status status) {
        if (!status.is_ok()) return work->done(std::move(status));
        work->done(std::move(work->outcome));
      });
}

Status SqliteStore::apply_changes(const std::vector<CaseChange>& changes) {
  // Encoded before the batch, for the same reason as a new case.
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(changes.size());
  for (const auto& change : changes) {
    encoded.emplace_back(encode_case_body(change.after), encode_event_data(change.event));
  }
  return committer_->run([&](Connection& db) -> Status {
    for (size_t i = 0; i < changes.size(); ++i) {
      CITYOPS_RETURN_IF_ERROR(update_case_row(db, changes[i].after, encoded[i].first));
      CITYOPS_RETURN_IF_ERROR(insert_event(db, changes[i].event, encoded[i].second));
    }
    return Status::ok();
  });
}

Result<std::optional<Case>> SqliteStore::find_case(const std::string& number) {
  auto lease = lease_reader();
  return find_case_on(*lease, number);
}

Result<CasePage> SqliteStore::list_cases(const CaseQuery& query) {
  auto lease = lease_reader();
  return query_cases(*lease, query, &decoded_);
}

Result<std::vector<CaseEvent>> SqliteStore::case_events(const std::string& number) {
  auto lease = lease_reader();
  return read_events(*lease, number);
}

Result<std::vector<Case>> SqliteStore::open_cases() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(
      "SELECT body FROM cases WHERE state NOT IN ('rejected','merged','closed','cancelled')");
  if (!stmt) return stmt.status();
  return collect_cases(*stmt);
}

Result<std::vector<Store::CasePoint>> SqliteStore::open_case_points() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(
      "SELECT number, category, lon, lat, reported_at FROM cases"
      " WHERE state NOT IN ('rejected','merged','closed','cancelled')");
  if (!stmt) return stmt.status();
  std::vector<CasePoint> points;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    points.push_back({stmt->text(0),
                      stmt->text(1),
                      {stmt->real(2), stmt->real(3)},
                      Timestamp{std::chrono::seconds{stmt->integer(4)}}});
  }
  return points;
}

Result<std::vector<Case>> SqliteStore::cases_due_for_timer(Timestamp now, int limit) {
  auto lease = lease_reader();
  return store::cases_due_for_timer(*lease, now, limit);
}

Status SqliteStore::log_personal_data_access(const std::string& number, const std::string& username,
                                             Timestamp at) {
  // Through group commit: concurrent reads by staff share one fsync with each other and with
  // the reports being written.
  return committer_->run([&](Connection& db) -> Status {
    auto stmt =
        db.prepare("INSERT INTO personal_data_access (case_number, username, at) VALUES (?, ?, ?)");
    if (!stmt) return stmt.status();
    return stmt->bind(1, number).bind(2, username).bind(3, at.time_since_epoch().count()).run();
  });
}

Result<std::vector<std::pair<std::string, Timestamp>>> SqliteStore::personal_data_accesses(
    const std::string& number) {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare(
      "SELECT username, at FROM personal_data_access WHERE case_number = ? ORDER BY id");
  if (!stmt) return stmt.status();
  stmt->bind(1, number);
  std::vector<std::pair<std::string, Timestamp>> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!*row) break;
    out.emplace_back(stmt->text(0), Timestamp{std::chrono::seconds{stmt->integer(1)}});
  }
  return out;
}

Result<int64_t> SqliteStore::count_cases() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("SELECT COUNT(*) FROM cases");
  if (!stmt) return stmt.status();
  auto row = stmt->step();
  if (!row) return row.status();
  return stmt->integer(0);
}

Status SqliteStore::set_bulk_load(bool on) {
  std::lock_guard lock(write_mutex_);
  return writer_.exec(on ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=FULL");
}

Status SqliteStore::checkpoint() {
  std::lock_guard lock(write_mutex_);
  return writer_.exec("PRAGMA wal_checkpoint(FULL)");
}

Status SqliteStore::integrity_check() {
  auto lease = lease_reader();
  auto stmt = (*lease).prepare("PRAGMA integrity_check");
  if (!stmt) return stmt.status();
  auto row = stmt->step();
  if (!row) return row.status();
  const std::string verdict = stmt->text(0);
  if (verdict != "ok") return internal_error("integrity check: " + verdict);
  return Status::ok();
}

}  // namespace cityops::store
