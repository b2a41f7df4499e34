// Listing filters that partners use: several categories at once, pages by offset, a radius
// around a point, changes since an instant; and the event feed across cases.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const Timestamp kStart{seconds{1796401800}};  // 2026-12-05T00:30:00+08:00

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

// Haversine on a sphere of the mean Earth radius: an independent check of the store's
// flat-plane distance (they agree to well under 1 % over a few kilometres).
double metres_between(geo::LonLat a, geo::LonLat b) {
  constexpr double kRadius = 6371008.8;
  const double rad = std::numbers::pi / 180;
  const double dlat = (b.lat - a.lat) * rad, dlon = (b.lon - a.lon) * rad;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.lat * rad) * std::cos(b.lat * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kRadius * std::asin(std::sqrt(h));
}

class CaseQueryTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = must(SqliteStore::open(dir_.path() / "cityops.db", 2)); }

  Case add(const std::string& category, geo::LonLat at, int hour) {
    Case c;
    c.category = category;
    c.description = "test";
    c.location = at;
    c.reported_location = at;
    c.street = "130304001";
    c.reported_at = kStart + hours{hour};
    c.updated_at = c.reported_at;
    c.step_started_at = c.reported_at;
    c.step_limit = {2, TimeUnit::kWorkingHours};
    c.due_at = c.reported_at + hours{2};
    c.idempotency_key = "key-" + std::to_string(hour);
    return must(store_->create_case(c, "130304", "tester")).created;
  }

  std::vector<std::string> numbers(const CaseQuery& q) {
    std::vector<std::string> out;
    for (const auto& c : must(store_->list_cases(q)).items) out.push_back(c.number);
    return out;
  }

  testing::TempDir dir_{"cityops-query"};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(CaseQueryTest, CategoriesOffsetAndRadius) {
  const geo::LonLat centre{119.4850, 39.8340};
  // East of the centre by about 85 m per 0.001 degree of longitude at this latitude.
  std::vector<Case> cases;
  for (int i = 0; i < 6; ++i) {
    cases.push_back(add(i % 2 ? "06015" : "06034", {centre.lon + 0.002 * i, centre.lat}, i));
  }
  CaseQuery q;
  q.limit = 100;
  q.categories = {"06015", "06034"};
  EXPECT_EQ(numbers(q).size(), 6u);
  q.categories = {"06015"};
  EXPECT_EQ(numbers(q),
            (std::vector<std::string>{cases[5].number, cases[3].number, cases[1].number}));

  CaseQuery paged;
  paged.limit = 2;
  paged.offset = 2;
  EXPECT_EQ(numbers(paged), (std::vector<std::string>{cases[3].number, cases[2].number}));
  // The same page through the several-state branch of the query.
  paged.states = {CaseState::kReported, CaseState::kRegistered};
  EXPECT_EQ(numbers(paged), (std::vector<std::string>{cases[3].number, cases[2].number}));

  CaseQuery near;
  near.limit = 100;
  near.near = CaseQuery::Circle{centre.lon, centre.lat, 500};
  std::set<std::string> expected;
  for (const auto& c : cases) {
    if (metres_between(centre, c.location) <= 500) expected.insert(c.number);
  }
  ASSERT_EQ(expected.size(), 3u);  // 0, 171 and 342 m; the next is 513 m away
  const auto found = numbers(near);
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), expected);
}

TEST_F(CaseQueryTest, UpdatedFromEventsBetweenAndKeys) {
  const Case a = add("06015", {119.48, 39.83}, 0);
  const Case b = add("06015", {119.48, 39.83}, 1);
  Case changed = b;
  changed.version = 2;
  changed.updated_at = kStart + hours{5};
  CaseEvent e;
  e.case_number = b.number;
  e.version = 2;
  e.action = "comment";
  e.actor = "tester";
  e.at = changed.updated_at;
  e.to_state = changed.state;
  e.note = "checked";
  ASSERT_TRUE(store_->apply_changes({{changed, e}}).is_ok());

  CaseQuery q;
  q.updated_from = kStart + hours{4};
  EXPECT_EQ(numbers(q), std::vector<std::string>{b.number});

  const auto all = must(store_->events_between(kStart, kStart + hours{6}, {}, 10));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].case_number, a.number);
  EXPECT_EQ(all[2].action, "comment");
  EXPECT_EQ(all[2].note, "checked");
  const auto later = must(store_->events_between(kStart + hours{1}, kStart + hours{6}, {}, 10));
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(must(store_->events_between(kStart, kStart + hours{6}, {}, 1)).size(), 1u);
  // Skipping the reports leaves the comment alone.
  const auto comments = must(store_->events_between(kStart, kStart + hours{6}, {"report"}, 10));
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].action, "comment");

  EXPECT_EQ(must(store_->case_of_key("key-1")), std::optional<std::string>(b.number));
  EXPECT_EQ(must(store_->case_of_key("key-9")), std::nullopt);
}

TEST_F(CaseQueryTest, EventsAfterAnIdFollowTheLogAndCommitsWakeAListener) {
  EXPECT_EQ(must(store_->last_event_id()), 0);
  EXPECT_TRUE(must(store_->events_after(0, 10)).empty());
  std::atomic<int> commits{0};
  store_->on_case_commit([&commits] { ++commits; });

  const Case a = add("01001", {119.48, 39.83}, 0);
  const Case b = add("01002", {119.49, 39.83}, 1);
  const Case c = add("01003", {119.50, 39.83}, 2);
  EXPECT_EQ(commits.load(), 3);  // one batch each: the calls wait for their commit

  const auto all = must(store_->events_after(0, 10));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].case_number, a.number);
  EXPECT_EQ(all[1].case_number, b.number);
  EXPECT_EQ(all[2].case_number, c.number);
  EXPECT_LT(all[0].id, all[1].id);
  EXPECT_LT(all[1].id, all[2].id);
  EXPECT_EQ(must(store_->last_event_id()), all[2].id);

  const auto rest = must(store_->events_after(all[0].id, 10));
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].id, all[1].id);
  const auto one = must(store_->events_after(all[0].id, 1));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].case_number, b.number);
  EXPECT_TRUE(must(store_->events_after(all[2].id, 10)).empty());
}

}  // namespace
}  // namespace cityops::store
