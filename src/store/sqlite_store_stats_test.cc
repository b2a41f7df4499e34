// The dashboard's counts against a real database: the local day's hours, the lights at a
// given instant, and the reader's scope.
#include <gtest/gtest.h>

#include <stdexcept>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2026-12-04T16:00:00Z: midnight opening 5 December in Beijing.
const Timestamp kLocalMidnight{seconds{1796400000}};

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

// A case whose running step is due two hours after its report, yellow from 90 minutes.
Case timed_case(Timestamp at, const std::string& department) {
  Case c;
  c.category = "01001";
  c.channel = Channel::kHotline;
  c.description = "路灯不亮";
  c.location = c.reported_location = {119.4850, 39.8340};
  c.unit_grid = "13030400101";
  c.community = "130304001001";
  c.street = "130304001";
  c.governance_grid = "G001";
  c.department = department;
  c.reported_at = c.step_started_at = at;
  c.step_limit = {2, TimeUnit::kNaturalHours};
  c.due_at = at + hours{2};
  StepRecord step;
  step.started_at = at;
  step.limit = c.step_limit;
  step.due_at = c.due_at;
  step.warn_at = at + minutes{90};
  c.steps.push_back(step);
  return c;
}

TEST(SqliteStoreDashboard, CountsTheLocalDayTheLightsAndTheScope) {
  const testing::TempDir dir("cityops-dashboard");
  auto store = must(SqliteStore::open(dir.path() / "cityops.db", 2));
  const Timestamp early = kLocalMidnight + minutes{30};             // 00:30 local
  const Timestamp later = kLocalMidnight + hours{3} + minutes{40};  // 03:40 local
  must(store->create_case(timed_case(early, "03"), "130304", "clerk"));
  must(store->create_case(timed_case(later, "05"), "130304", "clerk"));
  must(store->create_case(timed_case(kLocalMidnight - seconds{1}, "03"), "130304", "clerk"));

  DashboardQuery query;
  query.day_from = kLocalMidnight;
  query.day_to = kLocalMidnight + hours{24};
  query.now = kLocalMidnight + hours{5} + minutes{30};
  query.steps_from = query.now - hours{24 * 30};
  const auto all = must(store->dashboard_counts(query));
  std::vector<int64_t> hours_expected(24);
  hours_expected[0] = 1;
  hours_expected[3] = 1;
  EXPECT_EQ(all.intake_by_hour, hours_expected) << "yesterday's last second is not today";
  ASSERT_EQ(all.intake_by_category.size(), 1u);
  EXPECT_EQ(all.intake_by_category[0].key, "01001");
  EXPECT_EQ(all.intake_by_category[0].count, 2);
  EXPECT_EQ(all.open, 3);
  // 05:30: the 00:30 and yesterday's cases are past due, the 03:40 one past its warning.
  EXPECT_EQ(all.red, 2);
  EXPECT_EQ(all.yellow, 1);
  EXPECT_EQ(all.green, 0);
  ASSERT_EQ(all.red_by_department.size(), 1u);
  EXPECT_EQ(all.red_by_department[0].key, "03");
  EXPECT_EQ(all.red_by_department[0].count, 2);
  EXPECT_EQ(all.steps_finished, 0) << "no step has finished";

  query.scope = CaseQuery::Scope{std::string("05"), std::nullopt, {}};
  const auto scoped = must(store->dashboard_counts(query));
  EXPECT_EQ(scoped.intake_by_hour[3], 1);
  EXPECT_EQ(scoped.intake_by_hour[0], 0);
  EXPECT_EQ(scoped.open, 1);
  EXPECT_EQ(scoped.red, 0);
  EXPECT_EQ(scoped.yellow, 1);

  query.scope = CaseQuery::Scope{};
  EXPECT_EQ(must(store->dashboard_counts(query)).open, 0) << "an empty scope sees nothing";
}

}  // namespace
}  // namespace cityops::store
