// The components table through the store interface, on a real database file: imports count new
// and replaced ids, and searches order by distances computed here with geo::distance_m.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::store {
namespace {

const Timestamp kT0 = Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 12 / 4}};
constexpr geo::LonLat kCentre{119.49, 39.82};

Component at(int sequence, std::string category, geo::LonLat p) {
  Component c;
  c.id = make_component_id("130304", category, sequence);
  c.category = std::move(category);
  c.name = "c" + std::to_string(sequence);
  c.location = c.reported_location = p;
  c.unit_grid = "U";
  c.owner_department = c.maintainer_department = "city_mgmt";
  c.updated_at = kT0;
  return c;
}

class ComponentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "cityops.db", 2);
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    store_ = std::move(opened).value();
    // A spiral of lamps around the centre, each a little further out than the one before,
    // stored in an order unrelated to their distance.
    for (int i = 1; i <= 40; ++i) {
      const double r = 0.0002 * i;
      lamps_.push_back(at(
          i, "01037", {kCentre.lon + r * std::cos(i * 2.4), kCentre.lat + r * std::sin(i * 2.4)}));
    }
    std::vector<Component> shuffled = lamps_;
    std::reverse(shuffled.begin(), shuffled.end());
    shuffled.push_back(at(1, "03001", {kCentre.lon + 0.0001, kCentre.lat}));
    auto counts = store_->upsert_components(shuffled);
    ASSERT_TRUE(counts.is_ok()) << counts.status().message();
    EXPECT_EQ(counts->imported, 41);
    EXPECT_EQ(counts->updated, 0);
  }

  // Lamp ids by distance from `p`, as this test computes them.
  std::vector<std::string> ranked(geo::LonLat p) const {
    std::vector<std::pair<double, std::string>> d;
    for (const auto& c : lamps_) d.emplace_back(geo::distance_m(p, c.location), c.id);
    std::sort(d.begin(), d.end());
    std::vector<std::string> ids;
    for (const auto& [metres, id] : d) ids.push_back(id);
    return ids;
  }

  static std::vector<std::string> ids(const ComponentPage& page) {
    std::vector<std::string> out;
    for (const auto& c : page.items) out.push_back(c.id);
    return out;
  }

  testing::TempDir dir_{"cityops-components"};
  std::unique_ptr<SqliteStore> store_;
  std::vector<Component> lamps_;
};

TEST_F(ComponentStoreTest, NearestComeClosestFirstWhateverTheStoredOrder) {
  for (const geo::LonLat p : {kCentre, geo::LonLat{119.4912, 39.8187}, geo::LonLat{119.6, 39.9}}) {
    ComponentQuery q;
    q.near = ComponentQuery::Point{p.lon, p.lat};
    q.category = "01037";
    q.limit = 7;
    auto page = store_->list_components(q);
    ASSERT_TRUE(page.is_ok()) << page.status().message();
    const auto want = ranked(p);
    EXPECT_EQ(ids(*page), std::vector<std::string>(want.begin(), want.begin() + 7));
    EXPECT_TRUE(page->more);
  }
}

TEST_F(ComponentStoreTest, RadiusKeepsExactlyThoseWithinIt) {
  ComponentQuery q;
  q.near = ComponentQuery::Point{kCentre.lon, kCentre.lat};
  q.radius_m = 150;
  q.category = "01037";
  q.limit = 100;
  auto page = store_->list_components(q);
  ASSERT_TRUE(page.is_ok());
  std::vector<std::string> want;
  for (const auto& id : ranked(kCentre)) {
    const auto& c =
        *std::find_if(lamps_.begin(), lamps_.end(), [&](auto& l) { return l.id == id; });
    if (geo::distance_m(kCentre, c.location) <= 150) want.push_back(id);
  }
  ASSERT_FALSE(want.empty());
  EXPECT_LT(want.size(), lamps_.size());
  EXPECT_EQ(ids(*page), want);
  EXPECT_FALSE(page->more);
}

TEST_F(ComponentStoreTest, BoxCategoryAndStatusFilterAndPagesFollowIds) {
  ComponentQuery q;
  q.bbox = ComponentQuery::Box{kCentre.lon, kCentre.lat, kCentre.lon + 1, kCentre.lat + 1};
  q.limit = 1000;
  auto page = store_->list_components(q);
  ASSERT_TRUE(page.is_ok());
  size_t want = 1;  // the toilet, just east of the centre
  for (const auto& c : lamps_)
    want += c.location.lon >= kCentre.lon && c.location.lat >= kCentre.lat;
  EXPECT_EQ(page->items.size(), want);
  EXPECT_TRUE(std::is_sorted(page->items.begin(), page->items.end(),
                             [](auto& a, auto& b) { return a.id < b.id; }));

  ASSERT_TRUE(store_->set_component_status(lamps_[4].id, ComponentStatus::kDamaged, kT0).is_ok());
  ComponentQuery damaged;
  damaged.status = ComponentStatus::kDamaged;
  auto found = store_->list_components(damaged);
  ASSERT_TRUE(found.is_ok());
  EXPECT_EQ(ids(*found), std::vector<std::string>{lamps_[4].id});
  EXPECT_EQ(store_->set_component_status("13030401037999999", ComponentStatus::kLost, kT0).code(),
            "component_not_found");

  ComponentQuery second;
  second.category = "01037";
  second.limit = 15;
  second.offset = 30;
  auto tail = store_->list_components(second);
  ASSERT_TRUE(tail.is_ok());
  EXPECT_EQ(tail->items.size(), 10u);
  EXPECT_FALSE(tail->more);
  EXPECT_EQ(tail->items.front().id, lamps_[30].id);
}

TEST_F(ComponentStoreTest, ImportingAgainReplacesAndCountsUpdates) {
  Component moved = lamps_[0];
  moved.name = "moved";
  moved.status = ComponentStatus::kRemoved;
  auto counts = store_->upsert_components({moved, at(41, "01037", kCentre)});
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(counts->imported, 1);
  EXPECT_EQ(counts->updated, 1);
  auto found = store_->find_component(moved.id);
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->name, "moved");
  EXPECT_EQ((*found)->status, ComponentStatus::kRemoved);
  EXPECT_EQ((*found)->updated_at, kT0);
  auto missing = store_->find_component("13030401037999999");
  ASSERT_TRUE(missing.is_ok());
  EXPECT_FALSE(missing->has_value());
}

}  // namespace
}  // namespace cityops::store
