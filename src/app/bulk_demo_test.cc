// The generated register, small: every case must replay from its events to its stored row, lie
// in the district, carry the number its day and report order give it, and leave the daily
// sequence where intake continues it; the states must spread as a real register's do.
#include "app/bulk_demo.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "app/case_history.h"
#include "app/demo.h"
#include "domain/case_record.h"
#include "support/temp_dir.h"

namespace cityops::app {
namespace {

using std::chrono::seconds;

// 2026-12-04T15:00:00+08:00.
const Timestamp kNow{seconds{1796367600}};

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

std::unique_ptr<App> open_app(const std::filesystem::path& dir, const Clock& clock) {
  Config config;
  config.data_dir = dir;
  return must(App::open(config, clock));
}

// Every stored case, newest first, read page by page as the API reads them.
std::vector<Case> all_cases(store::Store& store) {
  std::vector<Case> out;
  store::CaseQuery query;
  query.limit = 100;
  while (true) {
    auto page = must(store.list_cases(query));
    out.insert(out.end(), page.items.begin(), page.items.end());
    if (!page.next) return out;
    query.after = page.next;
  }
}

TEST(BulkDemo, FillsAnEmptyStoreWithCasesTheServerWouldHaveWritten) {
  testing::TempDir dir("bulk-demo");
  FixedClock clock(kNow);
  auto app = open_app(dir.path(), clock);
  BulkDemoOptions options;
  options.cases = 2000;
  options.days = 60;
  const auto summary = must(load_bulk_demo(*app, kNow, options));
  EXPECT_EQ(summary.cases, 2000);
  EXPECT_EQ(summary.users.size(), 10u);  // one per role and the grid leader
  EXPECT_EQ(must(app->store().count_cases()), 2000);

  const auto cases = all_cases(app->store());
  ASSERT_EQ(cases.size(), 2000u);
  const auto reference = app->reference();
  std::map<std::string, std::vector<const Case*>> by_day;
  std::map<CaseState, int> states;
  std::set<std::string> actions;
  int64_t events = 0;
  int open = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.number);
    // The history replays to the row: the events are the case, as in the store's own writes.
    const auto history = must(app->store().case_events(c.number));
    events += static_cast<int64_t>(history.size());
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.front().action, "report");
    EXPECT_EQ(case_to_record(must(project(history))), case_to_record(c));
    for (const auto& e : history) actions.insert(e.action);

    EXPECT_EQ(reference->place(c.location).unit_grid, c.unit_grid);
    EXPECT_FALSE(c.department.empty());
    EXPECT_LT(c.reported_at, kNow);
    EXPECT_LE(c.updated_at, kNow);
    EXPECT_EQ(c.number.substr(0, 15),
              "130304-" + format_compact_date(to_local(c.reported_at).date));
    by_day[c.number.substr(0, 15)].push_back(&c);
    ++states[c.state];
    if (is_open(c.state)) ++open;
  }
  EXPECT_EQ(events, summary.events);
  EXPECT_EQ(open, summary.open_cases);

  // Numbers run from 1 in report order within each day, without gaps.
  for (auto& [prefix, day] : by_day) {
    std::sort(day.begin(), day.end(), [](auto* a, auto* b) { return a->number < b->number; });
    for (size_t i = 0; i < day.size(); ++i) {
      EXPECT_EQ(day[i]->number, fmt::format("{}-{:06}", prefix, i + 1));
      if (i > 0) {
        EXPECT_LE(day[i - 1]->reported_at, day[i]->reported_at) << day[i]->number;
      }
    }
  }
  EXPECT_EQ(by_day.size(), 60u);

  // Most cases are finished; some of every open state remain, as in a working register.
  EXPECT_GT(states[CaseState::kClosed], 1200);
  EXPECT_GT(open, 40);
  EXPECT_LT(open, 500);
  for (auto state :
       {CaseState::kReported, CaseState::kRegistered, CaseState::kDispatched,
        CaseState::kInProgress, CaseState::kHandled, CaseState::kRejected, CaseState::kCancelled}) {
    EXPECT_GT(states[state], 0) << to_string(state);
  }
  for (const char* action :
       {"register", "dispatch", "return", "sign", "report_handling", "verify", "callback",
        "suspend", "approve_extension", "auto_urge", "overdue", "escalate"}) {
    EXPECT_TRUE(actions.count(action)) << action;
  }

  // The deadline timer finds nothing left to mark, so a first start does not write a backlog.
  EXPECT_TRUE(must(app->store().cases_due_for_timer(kNow, 10)).empty());

  // The next report of today continues today's sequence.
  const std::string today = "130304-" + format_compact_date(to_local(kNow).date);
  services::NewCase report;
  report.category = "06015";
  report.location = by_day.at(today).front()->location;
  report.description = "沙滩垃圾较多";
  const auto next = must(app->intake().report(report, "public"));
  EXPECT_EQ(next.created.number, fmt::format("{}-{:06}", today, by_day.at(today).size() + 1));
}

TEST(BulkDemo, ResolvesAReportAsIntakeDoes) {
  testing::TempDir dir("bulk-demo");
  FixedClock clock(kNow);
  auto app = open_app(dir.path(), clock);
  must(load_demo_setup(*app, 250));
  const auto reference = app->reference();
  const struct {
    const char* category;
    geo::LonLat point;
    geo::Datum datum;
    Urgency urgency;
  } reports[] = {
      {"06015", {119.4912, 39.8125}, geo::Datum::kWgs84, Urgency::kNormal},
      {"01001", {119.4960, 39.8140}, geo::Datum::kGcj02, Urgency::kUrgent},
      {"matter:01002", {119.4500, 39.8300}, geo::Datum::kWgs84, Urgency::kNormal},
      {"07001", {119.5200, 39.8250}, geo::Datum::kBd09, Urgency::kNormal},
  };
  int compared = 0;
  for (const auto& r : reports) {
    SCOPED_TRACE(r.category);
    services::NewCase input;
    input.category = r.category;
    input.location = r.point;
    input.datum = r.datum;
    input.urgency = r.urgency;
    input.description = "测试";
    input.reporter = {"张三", "13812345678", false};
    input.reported_at = kNow - std::chrono::hours(30);
    auto resolved =
        services::resolve_report(input, *reference, *input.reported_at, app->config().warn_share);
    const auto reported = app->intake().report(input, "demo");
    ASSERT_EQ(resolved.is_ok(), reported.is_ok());
    if (!reported.is_ok()) continue;
    resolved->number = reported->created.number;
    resolved->version = 1;
    EXPECT_EQ(case_to_record(*resolved), case_to_record(reported->created));
    ++compared;
  }
  EXPECT_EQ(compared, 4);
}

TEST(BulkDemo, IsTheSameWhateverTheNumberOfThreads) {
  std::vector<std::vector<std::string>> bodies;
  for (int threads : {1, 3}) {
    testing::TempDir dir("bulk-demo");
    FixedClock clock(kNow);
    auto app = open_app(dir.path(), clock);
    BulkDemoOptions options;
    options.cases = 300;
    options.days = 20;
    options.threads = threads;
    must(load_bulk_demo(*app, kNow, options));
    std::vector<std::string> dumped;
    for (const auto& c : all_cases(app->store())) dumped.push_back(case_to_record(c).dump());
    bodies.push_back(std::move(dumped));
  }
  ASSERT_EQ(bodies[0].size(), 300u);
  EXPECT_EQ(bodies[0], bodies[1]);
}

TEST(BulkDemo, RefusesToLoadTwice) {
  testing::TempDir dir("bulk-demo");
  FixedClock clock(kNow);
  auto app = open_app(dir.path(), clock);
  BulkDemoOptions options;
  options.cases = 10;
  options.days = 2;
  must(load_bulk_demo(*app, kNow, options));
  // The accounts exist already: a second load stops before writing a single case.
  EXPECT_FALSE(load_bulk_demo(*app, kNow, options).is_ok());
  EXPECT_EQ(must(app->store().count_cases()), 10);
}

}  // namespace
}  // namespace cityops::app
