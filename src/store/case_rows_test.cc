// Listing cases: every filter, and cursor paging newest first, over sixty synthetic cases whose
// attributes follow simple rules of their index, so that each expected set is known in advance.
#include "store/case_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr int kCases = 60;
// 2026-12-01T00:00:00Z, 08:00 in Beijing.
const Timestamp kStart{seconds{1796083200}};

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

// The rules the synthetic cases follow. Cases come in pairs sharing one instant, three hours
// after the pair before, so that paging must break ties by number.
Timestamp reported_at_of(int i) { return kStart + hours{3 * (i / 2)}; }
std::string category_of(int i) { return i % 3 == 0 ? "01001" : i % 3 == 1 ? "02002" : "03003"; }
Channel channel_of(int i) { return i % 4 == 0 ? Channel::kWeb : Channel::kHotline; }
std::string street_of(int i) { return "13030400" + std::to_string(1 + i % 4); }
std::string unit_grid_of(int i) { return "U" + std::to_string(i % 6); }
std::string governance_grid_of(int i) { return "G" + std::to_string(i % 7); }
std::string department_of(int i) { return i % 5 == 0 ? "07" : "03"; }
// Longitude steps by 0.01 degree with i % 10, latitude with i / 10.
geo::LonLat location_of(int i) { return {119.40 + 0.01 * (i % 10), 39.80 + 0.01 * (i / 10)}; }
// Set after creation through a second connection: every third case dispatched, every fifth
// (not already dispatched) closed.
CaseState state_of(int i) {
  if (i % 3 == 0) return CaseState::kDispatched;
  if (i % 5 == 0) return CaseState::kClosed;
  return CaseState::kReported;
}

class CaseListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = must(SqliteStore::open(dir_.path() / "cityops.db", 2));
    for (int i = 0; i < kCases; ++i) {
      Case c;
      c.category = category_of(i);
      c.channel = channel_of(i);
      c.description = "case " + std::to_string(i);
      c.location = c.reported_location = location_of(i);
      c.street = street_of(i);
      c.unit_grid = unit_grid_of(i);
      c.governance_grid = governance_grid_of(i);
      c.department = department_of(i);
      c.reported_at = c.step_started_at = c.due_at = reported_at_of(i);
      numbers_.push_back(must(store_->create_case(c, "130304", "op")).created.number);
    }

    // Later workflow steps are not part of the store's interface yet; move the rows directly.
    auto writer = must(Connection::open(dir_.path() / "cityops.db", false));
    for (int i = 0; i < kCases; ++i) {
      if (state_of(i) == CaseState::kReported) continue;
      auto c = must(store_->find_case(numbers_[i]));
      ASSERT_TRUE(c.has_value());
      c->state = state_of(i);
      c->version += 1;
      ASSERT_TRUE(update_case_row(writer, *c).is_ok());
    }
  }

  // Indices of the cases that satisfy `keep`, newest first. Within a pair the later index was
  // numbered later on the same local day, so it sorts first: newest first is descending index.
  std::vector<std::string> expected(const std::function<bool(int)>& keep) const {
    std::vector<std::string> out;
    for (int i = kCases - 1; i >= 0; --i) {
      if (keep(i)) out.push_back(numbers_[i]);
    }
    return out;
  }

  std::vector<std::string> list_all(CaseQuery query, int* pages = nullptr) const {
    std::vector<std::string> out;
    int count = 0;
    while (true) {
      const auto page = must(store_->list_cases(query));
      ++count;
      for (const auto& c : page.items) out.push_back(c.number);
      if (!page.next) break;
      EXPECT_EQ(page.items.size(), static_cast<size_t>(query.limit));
      EXPECT_EQ(page.next->number, page.items.back().number);
      query.after = page.next;
      if (count > kCases) break;  // a cursor that does not advance would loop forever
    }
    if (pages) *pages = count;
    return out;
  }

  testing::TempDir dir_{"cityops-list"};
  std::unique_ptr<SqliteStore> store_;
  std::vector<std::string> numbers_;
};

TEST_F(CaseListTest, NumbersFollowTheLocalDay) {
  // Local midnight of 2 December is kStart + 16 h, so pairs 0-5 (cases 0-11) fall on 1 December.
  EXPECT_EQ(numbers_[0], "130304-20261201-000001");
  EXPECT_EQ(numbers_[11], "130304-20261201-000012");
  // Pair 6 is at 2026-12-01T18:00Z, 02:00 on 2 December in Beijing.
  EXPECT_EQ(numbers_[12], "130304-20261202-000001");
  // 4 December starts at kStart + 64 h: pair 22 (66 h) opens it, pair 29 (87 h, 23:00) ends it.
  EXPECT_EQ(numbers_[44], "130304-20261204-000001");
  EXPECT_EQ(numbers_[59], "130304-20261204-000016");
}

TEST_F(CaseListTest, FiltersSelectExactlyTheMatchingCases) {
  const struct {
    const char* label;
    std::function<void(CaseQuery&)> set;
    std::function<bool(int)> keep;
  } cases[] = {
      {"no filter", [](CaseQuery&) {}, [](int) { return true; }},
      {"state dispatched", [](CaseQuery& q) { q.states = {CaseState::kDispatched}; },
       [](int i) { return i % 3 == 0; }},
      {"state reported or closed",
       [](CaseQuery& q) {
         q.states = {CaseState::kReported, CaseState::kClosed};
       },
       [](int i) { return i % 3 != 0; }},
      {"state closed", [](CaseQuery& q) { q.states = {CaseState::kClosed}; },
       [](int i) { return i % 5 == 0 && i % 3 != 0; }},
      {"state closed named twice",
       [](CaseQuery& q) {
         q.states = {CaseState::kClosed, CaseState::kClosed};
       },
       [](int i) { return i % 5 == 0 && i % 3 != 0; }},
      {"three states with a department",
       [](CaseQuery& q) {
         q.states = {CaseState::kMerged, CaseState::kDispatched, CaseState::kClosed};
         q.department = "07";
       },
       [](int i) { return i % 5 == 0; }},
      {"state with no cases", [](CaseQuery& q) { q.states = {CaseState::kMerged}; },
       [](int) { return false; }},
      {"category", [](CaseQuery& q) { q.category = "02002"; }, [](int i) { return i % 3 == 1; }},
      {"unknown category", [](CaseQuery& q) { q.category = "99999"; }, [](int) { return false; }},
      {"channel web", [](CaseQuery& q) { q.channel = Channel::kWeb; },
       [](int i) { return i % 4 == 0; }},
      {"channel sensor", [](CaseQuery& q) { q.channel = Channel::kSensor; },
       [](int) { return false; }},
      {"street", [](CaseQuery& q) { q.street = "130304003"; }, [](int i) { return i % 4 == 2; }},
      {"unit grid", [](CaseQuery& q) { q.unit_grid = "U5"; }, [](int i) { return i % 6 == 5; }},
      {"governance grid", [](CaseQuery& q) { q.governance_grid = "G0"; },
       [](int i) { return i % 7 == 0; }},
      {"department", [](CaseQuery& q) { q.department = "07"; }, [](int i) { return i % 5 == 0; }},
      // Pair 10 is at kStart + 30 h; from is inclusive and to exclusive.
      {"from inclusive", [](CaseQuery& q) { q.reported_from = kStart + hours{30}; },
       [](int i) { return i >= 20; }},
      {"to exclusive", [](CaseQuery& q) { q.reported_to = kStart + hours{30}; },
       [](int i) { return i < 20; }},
      {"one second window",
       [](CaseQuery& q) {
         q.reported_from = kStart + hours{30};
         q.reported_to = kStart + hours{30} + seconds{1};
       },
       [](int i) { return i == 20 || i == 21; }},
      {"empty window",
       [](CaseQuery& q) {
         q.reported_from = kStart + hours{30};
         q.reported_to = kStart + hours{30};
       },
       [](int) { return false; }},
      // Columns 2-4 (lon 119.42-119.44), rows 1-3 (lat 39.81-39.83); edges between steps.
      {"bbox",
       [](CaseQuery& q) {
         q.bbox = CaseQuery::Box{119.415, 39.805, 119.445, 39.835};
       },
       [](int i) { return i % 10 >= 2 && i % 10 <= 4 && i / 10 >= 1 && i / 10 <= 3; }},
      {"bbox edges are inclusive",
       [](CaseQuery& q) {
         const auto p = location_of(13);
         q.bbox = CaseQuery::Box{p.lon, p.lat, p.lon, p.lat};
       },
       [](int i) { return i == 13; }},
      {"bbox outside the district",
       [](CaseQuery& q) {
         q.bbox = CaseQuery::Box{116.0, 39.0, 117.0, 40.0};
       },
       [](int) { return false; }},
      {"category and street",
       [](CaseQuery& q) {
         q.category = "01001";
         q.street = "130304001";
       },
       [](int i) { return i % 3 == 0 && i % 4 == 0; }},
      {"state, department and time",
       [](CaseQuery& q) {
         q.states = {CaseState::kReported};
         q.department = "03";
         q.reported_from = kStart + hours{45};
       },
       [](int i) { return i % 3 != 0 && i % 5 != 0 && i >= 30; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    CaseQuery query;
    query.limit = 100;
    c.set(query);
    const auto page = must(store_->list_cases(query));
    std::vector<std::string> got;
    for (const auto& item : page.items) got.push_back(item.number);
    EXPECT_EQ(got, expected(c.keep));
    EXPECT_FALSE(page.next.has_value());
  }
}

TEST_F(CaseListTest, PagesWalkNewestFirstWithoutRepeats) {
  const struct {
    const char* label;
    int limit;
    int pages;
  } cases[] = {
      {"uneven pages", 7, 9},  // 8 full pages and 4 on the last
      {"exact pages", 10, 6},  // the last page is full and still has no cursor
      {"one per page", 1, 60}, {"one page", 60, 1}, {"more than all", 100, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    CaseQuery query;
    query.limit = c.limit;
    int pages = 0;
    const auto got = list_all(query, &pages);
    EXPECT_EQ(got, expected([](int) { return true; }));
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size());
    EXPECT_EQ(pages, c.pages);
  }
}

TEST_F(CaseListTest, PagingKeepsTheFilter) {
  CaseQuery query;
  query.limit = 4;
  query.category = "01001";  // 20 cases: i % 3 == 0
  int pages = 0;
  EXPECT_EQ(list_all(query, &pages), expected([](int i) { return i % 3 == 0; }));
  EXPECT_EQ(pages, 5);
}

TEST_F(CaseListTest, SeveralStatesPageLikeOneList) {
  // Reported or closed (i % 3 != 0): newest first, then by due time (here the report time,
  // ties by ascending number), in pages of 4 that cross from one state's cases to the other's.
  auto want = expected([](int i) { return i % 3 != 0; });
  for (const bool by_due : {false, true}) {
    SCOPED_TRACE(by_due ? "by due time" : "newest first");
    CaseQuery query;
    query.limit = 4;
    query.by_due = by_due;
    query.states = {CaseState::kClosed, CaseState::kReported};
    int pages = 0;
    EXPECT_EQ(list_all(query, &pages), want);
    EXPECT_EQ(pages, 10);
    std::reverse(want.begin(), want.end());
  }
}

TEST_F(CaseListTest, CursorInsideATieContinuesWithTheSmallerNumber) {
  // The cursor names case 41; its pair mate 40 shares the instant and has the smaller number.
  CaseQuery query;
  query.limit = 3;
  query.after = CaseQuery::Cursor{reported_at_of(41), numbers_[41]};
  const auto page = must(store_->list_cases(query));
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].number, numbers_[40]);
  EXPECT_EQ(page.items[1].number, numbers_[39]);
  EXPECT_EQ(page.items[2].number, numbers_[38]);
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->number, numbers_[38]);
  EXPECT_EQ(page.next->reported_at, reported_at_of(38));
}

TEST_F(CaseListTest, OpenCasesLeaveOutClosedOnes) {
  std::set<std::string> open;
  for (const auto& c : must(store_->open_cases())) open.insert(c.number);
  const auto want = expected([](int i) { return state_of(i) != CaseState::kClosed; });
  EXPECT_EQ(open, std::set<std::string>(want.begin(), want.end()));
  EXPECT_EQ(must(store_->count_cases()), kCases);
}

TEST(CaseRows, SequencesCountPerPrefix) {
  const testing::TempDir dir("cityops-rows");
  auto db = must(Connection::open(dir.path() / "rows.db", false));
  ASSERT_EQ(must(migrate(db)), 7);
  ASSERT_EQ(must(migrate(db)), 7);  // nothing left to apply
  const struct {
    const char* prefix;
    int64_t value;
  } steps[] = {
      {"130304-20261204", 1}, {"130304-20261204", 2}, {"130304-20261205", 1},
      {"130302-20261204", 1}, {"130304-20261204", 3},
  };
  for (const auto& step : steps) {
    SCOPED_TRACE(step.prefix);
    EXPECT_EQ(must(next_sequence(db, step.prefix)), step.value);
  }
}

TEST(CaseRows, UnreadableBodyIsAnInternalError) {
  const struct {
    const char* label;
    const char* body;
  } bodies[] = {
      {"not json", "{"},
      {"empty object", "{}"},
      {"unknown state", R"({"number":"x","state":"lost"})"},
  };
  for (const auto& b : bodies) {
    SCOPED_TRACE(b.label);
    const auto c = case_from_body(b.body);
    ASSERT_FALSE(c.is_ok());
    EXPECT_EQ(c.status().kind(), ErrorKind::kInternal);
  }
}

}  // namespace
}  // namespace cityops::store
