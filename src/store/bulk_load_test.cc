// The bulk loader against the store's own write path: the same cases written both ways must
// leave the same rows, the daily sequences must continue after a load, and a number already
// stored must be refused.
#include "store/bulk_load.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/case_rows.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;

const Timestamp kReported{seconds{1796372400}};  // 2026-12-04T17:00:00+08:00

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

struct History {
  Case final;
  std::vector<CaseEvent> events;
};

StepRecord step(Step which, Timestamp started, TimeLimit limit, Timestamp due, Timestamp warn) {
  StepRecord s;
  s.step = which;
  s.started_at = started;
  s.limit = limit;
  s.due_at = due;
  s.warn_at = warn;
  return s;
}

CaseEvent event_after(const Case& c, const std::string& action, CaseState to, Timestamp at) {
  CaseEvent e;
  e.case_number = c.number;
  e.version = c.version + 1;
  e.action = action;
  e.actor = "shift_lead";
  e.at = at;
  e.from_state = c.state;
  e.to_state = to;
  return e;
}

// A case at `version` (1 to 3) with the events that led there: a report; a registration that
// finished the first step late, with an attachment, leaving the next step warned and, when
// `escalated`, overdue; a suspension. Lights, timer times and event facts all differ.
History history(const std::string& number, int version, bool escalated) {
  History h;
  Case& c = h.final;
  c.number = number;
  c.category = "01001";
  c.description = "路灯不亮";
  c.location = {119.4850, 39.8340};
  c.reported_location = c.location;
  c.unit_grid = "130304001001001";
  c.community = "130304001001";
  c.street = "130304001";
  c.governance_grid = "G001";
  c.department = "city_mgmt";
  c.co_departments = {"power"};
  c.reporter = {"张三", "13800005678", false};
  c.reported_at = c.updated_at = c.step_started_at = kReported;
  c.steps = {step(Step::kRegister, kReported, {2, TimeUnit::kWorkingHours}, kReported + hours(2),
                  kReported + hours(1))};
  c.step_limit = c.steps[0].limit;
  c.due_at = c.steps[0].due_at;
  h.events.push_back(make_report_event(c, "public"));
  c.version = 1;

  if (version >= 2) {
    auto e = event_after(c, "register", CaseState::kRegistered, kReported + hours(3));
    e.step_due_at = c.due_at;
    e.on_time = false;
    e.attachments = {"photo-1.jpg"};
    c.steps[0].finished_at = e.at;
    c.steps[0].on_time = false;
    StepRecord next = step(Step::kDispatch, e.at, {1, TimeUnit::kWorkingDays},
                           kReported + hours(27), kReported + hours(20));
    next.warned = true;
    next.overdue = escalated;
    c.steps.push_back(next);
    c.step = Step::kDispatch;
    c.due_at = next.due_at;
    c.escalated = escalated;
    e.data = {{"escalated", escalated}};
    c.state = e.to_state;
    c.version = e.version;
    c.updated_at = e.at;
    h.events.push_back(e);
  }
  if (version >= 3) {
    auto e = event_after(c, "suspend", c.state, kReported + hours(4));
    e.note = "等待施工季节";
    e.data = {{"suspended", true}};
    c.suspended = true;
    c.suspended_at = e.at;
    c.version = e.version;
    c.updated_at = e.at;
    h.events.push_back(e);
  }
  return h;
}

CaseHistoryRows rows_of(const History& h) {
  CaseHistoryRows rows{case_row(h.final), {}};
  for (const auto& e : h.events) rows.events.push_back(event_row(e));
  return rows;
}

// Every column of every row `select` returns, as text, so two databases compare whole.
std::vector<std::string> dump(const fs::path& db_path, const std::string& select) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, select.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const auto* text = sqlite3_column_text(stmt, i);
      row += (text ? reinterpret_cast<const char*>(text) : "NULL") + std::string("|");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

TEST(BulkLoad, LeavesTheRowsTheStoreWritePathLeaves) {
  testing::TempDir dir("bulk-load");
  const auto direct = dir.path() / "direct.db";
  const auto bulk = dir.path() / "bulk.db";
  must(SqliteStore::open(direct, 1));
  must(SqliteStore::open(bulk, 1));
  const std::vector<History> cases{
      history("130304-20261204-000001", 1, false), history("130304-20261204-000002", 2, true),
      history("130304-20261204-000003", 2, false), history("130304-20261204-000004", 3, true)};

  // The store's own path: a final row and its events, as upsert_case_row and insert_event
  // write them.
  {
    auto db = must(Connection::open(direct, false));
    for (const auto& h : cases) {
      ASSERT_TRUE(upsert_case_row(db, h.final).is_ok());
      for (const auto& e : h.events) ASSERT_TRUE(insert_event(db, e).is_ok());
    }
  }
  {
    auto writer = must(BulkCaseWriter::open(bulk));
    for (const auto& h : cases) ASSERT_TRUE(writer.add(rows_of(h)).is_ok());
    ASSERT_TRUE(writer.finish().is_ok());
    EXPECT_EQ(writer.cases_written(), 4);
    EXPECT_EQ(writer.events_written(), 1 + 2 + 2 + 3);
  }

  const std::vector<std::pair<std::string, size_t>> tables{
      {"SELECT * FROM cases ORDER BY number", 4}, {"SELECT * FROM case_events ORDER BY id", 8}};
  for (const auto& [select, rows] : tables) {
    const auto expected = dump(direct, select);
    ASSERT_EQ(expected.size(), rows) << select;
    EXPECT_EQ(dump(bulk, select), expected) << select;
  }
  // The columns the deadline timer and the light filters read must differ between the cases,
  // or the comparison above would prove little.
  const auto timers = dump(bulk, "SELECT DISTINCT timer_at FROM cases");
  EXPECT_GE(timers.size(), 3u);
}

TEST(BulkLoad, SequencesContinueAfterTheLoad) {
  testing::TempDir dir("bulk-load");
  const auto path = dir.path() / "cityops.db";
  auto store = must(SqliteStore::open(path, 1));
  {
    auto writer = must(BulkCaseWriter::open(path));
    ASSERT_TRUE(writer.reserve_sequence("130304-20261204", 120).is_ok());
    // A lower value never moves a sequence back.
    ASSERT_TRUE(writer.reserve_sequence("130304-20261204", 50).is_ok());
    ASSERT_TRUE(writer.reserve_sequence("130304-20261203", 7).is_ok());
    ASSERT_TRUE(writer.finish().is_ok());
  }
  auto db = must(Connection::open(path, false));
  EXPECT_EQ(must(next_sequence(db, "130304-20261204")), 121);
  EXPECT_EQ(must(next_sequence(db, "130304-20261203")), 8);
  EXPECT_EQ(must(next_sequence(db, "130304-20261205")), 1);
}

TEST(BulkLoad, RefusesANumberAlreadyStoredAndKeepsNothingUncommitted) {
  testing::TempDir dir("bulk-load");
  const auto path = dir.path() / "cityops.db";
  auto store = must(SqliteStore::open(path, 1));
  {
    auto writer = must(BulkCaseWriter::open(path));
    ASSERT_TRUE(writer.add(rows_of(history("130304-20261204-000001", 1, false))).is_ok());
    ASSERT_TRUE(writer.commit_batch().is_ok());
    ASSERT_TRUE(writer.add(rows_of(history("130304-20261204-000002", 2, false))).is_ok());
    EXPECT_FALSE(writer.add(rows_of(history("130304-20261204-000001", 1, false))).is_ok());
    // Dropped without finish(): the open batch is rolled back, the committed one stays.
  }
  EXPECT_EQ(must(store->count_cases()), 1);
  EXPECT_EQ(dump(path, "SELECT case_number FROM case_events").size(), 1u);
}

}  // namespace
}  // namespace cityops::store
