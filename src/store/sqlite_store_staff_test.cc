// Region versions and grid staff through the store interface, on a real database file.
#include <gtest/gtest.h>

#include "services/grid_staff.h"
#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}};

RegionRecord grid(std::string geometry) {
  return {"130304-GG-001", "governance_grid",   "一号网格",
          "130304002003",  std::move(geometry), "wgs84"};
}

class StaffStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "cityops.db", 2);
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }

  std::vector<Store::RegionVersion> at(Timestamp t) {
    auto found = store_->regions_at("governance_grid", t);
    EXPECT_TRUE(found.is_ok()) << found.status().message();
    return found.is_ok() ? found.value() : std::vector<Store::RegionVersion>{};
  }

  StaffMember member(std::string no, StaffRole role, std::string team, std::string username) {
    return {std::move(no),       "王芳", role, "13812345678", std::move(team), {"130304-GG-001"},
            std::move(username), true};
  }

  cityops::testing::TempDir dir_{"cityops-staff-store"};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(StaffStoreTest, EditClosesTheCurrentVersionAndOpensTheNext) {
  ASSERT_TRUE(store_->replace_regions({"governance_grid"}, {grid("old")}).is_ok());
  ASSERT_TRUE(store_->put_region_version(grid("new"), kT0).is_ok());

  const auto before = at(kT0 - 1s);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].region.geometry, "old");
  ASSERT_TRUE(before[0].valid_to.has_value());
  EXPECT_EQ(*before[0].valid_to, kT0);
  const auto after = at(kT0);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].region.geometry, "new");
  EXPECT_EQ(after[0].valid_from, kT0);
  EXPECT_FALSE(after[0].valid_to.has_value());

  auto history = store_->region_history("130304-GG-001");
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].region.geometry, "old");
  EXPECT_EQ((*history)[1].region.geometry, "new");
}

TEST_F(StaffStoreTest, EditBeforeTheCurrentStartOrOfAnUnknownRegionChangesNothing) {
  ASSERT_TRUE(store_->replace_regions({"governance_grid"}, {grid("old")}).is_ok());
  ASSERT_TRUE(store_->put_region_version(grid("new"), kT0).is_ok());
  const auto early = store_->put_region_version(grid("earlier"), kT0 - 1h);
  EXPECT_EQ(early.code(), "valid_from_too_early");
  auto unknown = grid("x");
  unknown.code = "130304-GG-999";
  EXPECT_EQ(store_->put_region_version(unknown, kT0).code(), "unknown_region");
  EXPECT_EQ(store_->region_history("130304-GG-001")->size(), 2u);
}

TEST_F(StaffStoreTest, UpsertCountsNewAndKnownAndReplacesGrids) {
  auto first = store_->upsert_staff({member("GS1", StaffRole::kGridLeader, "一队", "lead")}, kT0);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(first->inserted, 1);
  auto changed = member("GS1", StaffRole::kGridLeader, "二队", "lead");
  changed.grids = {"130304-GG-002", "130304-GG-003"};
  auto second =
      store_->upsert_staff({changed, member("GS2", StaffRole::kGridWorker, "二队", "work")}, kT0);
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->updated, 1);

  auto found = store_->find_staff("GS1");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->team, "二队");
  EXPECT_EQ((*found)->grids, (std::vector<std::string>{"130304-GG-002", "130304-GG-003"}));

  Store::StaffQuery by_grid;
  by_grid.grid = "130304-GG-001";
  auto page = store_->list_staff(by_grid);
  ASSERT_TRUE(page.is_ok());
  EXPECT_EQ(page->total, 1);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].staff_no, "GS2");
}

TEST_F(StaffStoreTest, LeaderLeadsOnlyTheStaffOfTheirTeam) {
  ASSERT_TRUE(store_
                  ->upsert_staff({member("GS1", StaffRole::kGridLeader, "一队", "lead"),
                                  member("GS2", StaffRole::kGridWorker, "一队", "work"),
                                  member("GS3", StaffRole::kGridWorker, "二队", "other"),
                                  member("GS4", StaffRole::kGridWorker, "一队", "peer")},
                                 kT0)
                  .is_ok());
  struct Case {
    std::string leader, worker;
    bool expected;
  };
  for (const auto& c : std::vector<Case>{{"lead", "work", true},
                                         {"lead", "other", false},
                                         {"peer", "work", false},
                                         {"lead", "nobody", false},
                                         {"nobody", "work", false}}) {
    SCOPED_TRACE(c.leader + " -> " + c.worker);
    auto led = services::is_leader_of(*store_, c.leader, c.worker);
    ASSERT_TRUE(led.is_ok());
    EXPECT_EQ(*led, c.expected);
  }
}

}  // namespace
}  // namespace cityops::store
