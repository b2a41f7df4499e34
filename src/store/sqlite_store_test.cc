// The embedded store against a real database file in a fresh temporary directory: schema
// migrations, case numbering, idempotent intake, the event log, listing and reference data.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "domain/case_record.h"
#include "store/case_rows.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;

constexpr char kDistrict[] = "130304";

// 2026-12-04T16:30:00Z, which is 00:30 on 5 December in Beijing.
const Timestamp kAfterLocalMidnight{seconds{1796401800}};
// 2026-12-04T15:59:59Z, the last second of 4 December in Beijing.
const Timestamp kBeforeLocalMidnight{seconds{1796399999}};

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

std::unique_ptr<SqliteStore> open_store(const fs::path& dir) {
  return must(SqliteStore::open(dir / "cityops.db", 2));
}

Case draft_at(Timestamp reported_at, std::string description = "路灯不亮") {
  Case c;
  c.category = "01001";
  c.channel = Channel::kHotline;
  c.description = std::move(description);
  c.address = "北戴河区海宁路";
  c.location = {119.4850, 39.8340};
  c.reported_location = c.location;
  c.unit_grid = "13030400101";
  c.community = "130304001001";
  c.street = "130304001";
  c.governance_grid = "G001";
  c.department = "03";
  c.reporter = {"张三", "13800005678", false};
  c.reported_at = reported_at;
  c.step_started_at = reported_at;
  c.step_limit = {2, TimeUnit::kWorkingHours};
  c.due_at = reported_at + hours{2};
  return c;
}

// Runs one statement on a separate, plain sqlite3 connection; returns SQLite's result code.
int raw_exec(const fs::path& db_path, const std::string& sql, std::string* error = nullptr) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (error && message) *error = message;
  sqlite3_free(message);
  sqlite3_close(db);
  return rc;
}

int64_t raw_count(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sql;
  const int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST(SqliteStoreOpen, MigrationsRunOnceAndSurviveReopen) {
  const testing::TempDir dir("cityops-store");
  const auto db_path = dir.path() / "cityops.db";
  {
    auto store = open_store(dir.path());
    EXPECT_TRUE(store->integrity_check().is_ok());
    EXPECT_EQ(must(store->count_cases()), 0);
    must(store->create_case(draft_at(kAfterLocalMidnight), kDistrict, "operator"));
  }
  for (int reopen = 0; reopen < 2; ++reopen) {
    SCOPED_TRACE("reopen " + std::to_string(reopen));
    auto store = open_store(dir.path());
    EXPECT_TRUE(store->integrity_check().is_ok());
    EXPECT_EQ(must(store->count_cases()), 1);
  }
  EXPECT_EQ(raw_count(db_path, "SELECT COUNT(*) FROM schema_migrations"), 7);
  EXPECT_EQ(raw_count(db_path, "SELECT MAX(version) FROM schema_migrations"), 7);
}

TEST(SqliteStoreNumbers, FollowTheLocalDayOfReportedAt) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  struct Step {
    const char* label;
    Timestamp reported_at;
    const char* number;
  };
  const Step steps[] = {
      {"first after local midnight", kAfterLocalMidnight, "130304-20261205-000001"},
      {"second on the same local day", kAfterLocalMidnight + hours{10}, "130304-20261205-000002"},
      {"a second before local midnight", kBeforeLocalMidnight, "130304-20261204-000001"},
      {"back on 5 December", kAfterLocalMidnight, "130304-20261205-000003"},
      {"first of 6 December", kBeforeLocalMidnight + hours{24} + seconds{1},
       "130304-20261206-000001"},
  };
  for (const auto& step : steps) {
    SCOPED_TRACE(step.label);
    const auto outcome = must(store->create_case(draft_at(step.reported_at), kDistrict, "op"));
    EXPECT_FALSE(outcome.replayed);
    EXPECT_EQ(outcome.created.number, step.number);
    EXPECT_EQ(outcome.created.version, 1);
    EXPECT_EQ(outcome.created.state, CaseState::kReported);
  }
}

TEST(SqliteStoreNumbers, ContinueAfterReopenAndNeverRepeat) {
  const testing::TempDir dir("cityops-store");
  std::set<std::string> seen;
  const char* expected[] = {"130304-20261205-000001", "130304-20261205-000002",
                            "130304-20261205-000003", "130304-20261205-000004"};
  int next = 0;
  for (int session = 0; session < 2; ++session) {
    auto store = open_store(dir.path());
    for (int i = 0; i < 2; ++i, ++next) {
      SCOPED_TRACE("session " + std::to_string(session) + " case " + std::to_string(i));
      const auto outcome = must(store->create_case(draft_at(kAfterLocalMidnight), kDistrict, "op"));
      EXPECT_EQ(outcome.created.number, expected[next]);
      EXPECT_TRUE(seen.insert(outcome.created.number).second);
    }
  }
}

TEST(SqliteStoreIdempotency, ReplayReturnsTheFirstCaseAndWritesNothing) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  auto first = draft_at(kAfterLocalMidnight, "first words");
  first.idempotency_key = "hotline-call-0001";
  const auto created = must(store->create_case(first, kDistrict, "op"));
  ASSERT_FALSE(created.replayed);
  ASSERT_EQ(created.created.number, "130304-20261205-000001");

  auto retry = draft_at(kAfterLocalMidnight + hours{1}, "different words");
  retry.idempotency_key = "hotline-call-0001";
  const auto replayed = must(store->create_case(retry, kDistrict, "op"));
  EXPECT_TRUE(replayed.replayed);
  EXPECT_EQ(replayed.created.number, "130304-20261205-000001");
  EXPECT_EQ(replayed.created.description, "first words");
  EXPECT_EQ(replayed.created.reported_at, kAfterLocalMidnight);
  EXPECT_EQ(must(store->count_cases()), 1);
  EXPECT_EQ(must(store->case_events("130304-20261205-000001")).size(), 1u);

  // The replay did not use up a sequence number.
  const auto other = must(store->create_case(draft_at(kAfterLocalMidnight), kDistrict, "op"));
  EXPECT_EQ(other.created.number, "130304-20261205-000002");
}

TEST(SqliteStoreCases, FindCaseReturnsTheStoredCaseOrNothing) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  auto draft = draft_at(kAfterLocalMidnight);
  draft.idempotency_key = "web-42";
  must(store->create_case(draft, kDistrict, "op"));

  const auto found = must(store->find_case("130304-20261205-000001"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->description, "路灯不亮");
  EXPECT_EQ(found->reporter.name, "张三");
  EXPECT_EQ(found->reporter.phone, "13800005678");
  EXPECT_EQ(found->location.lon, 119.4850);
  EXPECT_EQ(found->location.lat, 39.8340);
  EXPECT_EQ(found->due_at, kAfterLocalMidnight + hours{2});
  EXPECT_EQ(found->updated_at, kAfterLocalMidnight);
  EXPECT_EQ(found->idempotency_key, std::optional<std::string>("web-42"));

  EXPECT_FALSE(must(store->find_case("130304-20261205-000002")).has_value());
  EXPECT_FALSE(must(store->find_case("")).has_value());
}

TEST(SqliteStoreEvents, ReportEventProjectsToTheStoredRow) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  const auto created = must(store->create_case(draft_at(kAfterLocalMidnight), kDistrict, "王五"));
  const std::string number = created.created.number;

  const auto events = must(store->case_events(number));
  ASSERT_EQ(events.size(), 1u);
  const auto& report = events.front();
  EXPECT_GT(report.id, 0);
  EXPECT_EQ(report.case_number, number);
  EXPECT_EQ(report.version, 1);
  EXPECT_EQ(report.action, "report");
  EXPECT_EQ(report.actor, "王五");
  EXPECT_EQ(report.at, kAfterLocalMidnight);
  EXPECT_FALSE(report.from_state.has_value());
  EXPECT_EQ(report.to_state, CaseState::kReported);

  const auto stored = must(store->find_case(number));
  ASSERT_TRUE(stored.has_value());
  const auto projected = must(project(events));
  EXPECT_EQ(case_to_record(projected).dump(), case_to_record(*stored).dump());
  EXPECT_EQ(case_to_record(created.created).dump(), case_to_record(*stored).dump());

  EXPECT_TRUE(must(store->case_events("130304-20991231-000001")).empty());
}

TEST(SqliteStoreEvents, AreImmutableEvenThroughARawConnection) {
  const testing::TempDir dir("cityops-store");
  const auto db_path = dir.path() / "cityops.db";
  auto store = open_store(dir.path());
  must(store->create_case(draft_at(kAfterLocalMidnight), kDistrict, "op"));

  const struct {
    const char* label;
    const char* sql;
  } attempts[] = {
      {"update note", "UPDATE case_events SET note = 'rewritten'"},
      {"update actor", "UPDATE case_events SET actor = 'someone else' WHERE version = 1"},
      {"delete one", "DELETE FROM case_events WHERE version = 1"},
      {"delete all", "DELETE FROM case_events"},
  };
  for (const auto& attempt : attempts) {
    SCOPED_TRACE(attempt.label);
    std::string error;
    EXPECT_EQ(raw_exec(db_path, attempt.sql, &error), SQLITE_CONSTRAINT);
    EXPECT_NE(error.find("immutable"), std::string::npos) << error;
  }
  const auto events = must(store->case_events("130304-20261205-000001"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].note, "");
  EXPECT_EQ(events[0].actor, "op");
}

TEST(SqliteStoreReference, SetsAreReplacedWhole) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  EXPECT_TRUE(must(store->reference_sets()).empty());
  ASSERT_TRUE(store->put_reference("taxonomy", "code,kind\n01001,component\n").is_ok());
  ASSERT_TRUE(store->put_reference("calendar-2026", "2026-01-01,off,元旦\n").is_ok());
  ASSERT_TRUE(store->put_reference("taxonomy", "code,kind\n02002,matter\n").is_ok());

  const std::map<std::string, std::string> expected{
      {"calendar-2026", "2026-01-01,off,元旦\n"},
      {"taxonomy", "code,kind\n02002,matter\n"},
  };
  EXPECT_EQ(must(store->reference_sets()), expected);
  store.reset();
  EXPECT_EQ(must(open_store(dir.path())->reference_sets()), expected);
}

TEST(SqliteStoreReference, RegionsRoundTripPerLayer) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  const std::string square =
      R"({"type":"Polygon","coordinates":[[[119.4,39.8],[119.5,39.8],[119.5,39.9],[119.4,39.8]]]})";
  const RegionRecord district{"130304", "district", "北戴河区", "", square, "cgcs2000"};
  const RegionRecord west{"130304001", "street", "西山街道", "130304", square, "wgs84"};
  const RegionRecord east{"130304002", "street", "东山街道", "130304", square, "gcj02"};
  ASSERT_TRUE(store->replace_regions({"district", "street"}, {east, district, west}).is_ok());

  auto same = [](const RegionRecord& a, const RegionRecord& b) {
    return a.code == b.code && a.layer == b.layer && a.name == b.name && a.parent == b.parent &&
           a.geometry == b.geometry && a.source_datum == b.source_datum;
  };
  auto streets = must(store->regions("street"));
  ASSERT_EQ(streets.size(), 2u);
  EXPECT_TRUE(same(streets[0], west)) << streets[0].code;  // ordered by code
  EXPECT_TRUE(same(streets[1], east)) << streets[1].code;

  // Replacing the street layer leaves the district layer alone.
  ASSERT_TRUE(store->replace_regions({"street"}, {east}).is_ok());
  streets = must(store->regions("street"));
  ASSERT_EQ(streets.size(), 1u);
  EXPECT_TRUE(same(streets[0], east));
  const auto districts = must(store->regions("district"));
  ASSERT_EQ(districts.size(), 1u);
  EXPECT_TRUE(same(districts[0], district));
  EXPECT_TRUE(must(store->regions("community")).empty());
}

TEST(SqliteStoreConcurrency, FourWritersGetUniqueConsecutiveNumbers) {
  const testing::TempDir dir("cityops-store");
  auto store = open_store(dir.path());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<std::string>> numbers(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto outcome = store->create_case(draft_at(kAfterLocalMidnight), kDistrict, "op");
        if (!outcome) {
          ++failures;
          continue;
        }
        numbers[t].push_back(outcome->created.number);
        // Readers run alongside the writers.
        if (!store->find_case(outcome->created.number)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);

  std::set<std::string> all;
  for (const auto& list : numbers) all.insert(list.begin(), list.end());
  ASSERT_EQ(all.size(), 100u);
  EXPECT_EQ(*all.begin(), "130304-20261205-000001");
  EXPECT_EQ(*all.rbegin(), "130304-20261205-000100");
  EXPECT_EQ(must(store->count_cases()), 100);
  EXPECT_TRUE(store->integrity_check().is_ok());
}

}  // namespace
}  // namespace cityops::store
