// The live feed's wire format, and a feed over a real store: hello, live events filtered by
// the reader's scope, and resuming after an event id without repeats.
#include "services/live_feed.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "store/sqlite_store.h"
#include "support/temp_dir.h"

namespace cityops::services {
namespace {

using namespace std::chrono_literals;

// Collects what the feed sends, as the transport's sink would queue it.
class RecordingSink final : public http::StreamSink {
 public:
  bool send(std::string chunk) override {
    std::lock_guard lock(mutex_);
    chunks_.push_back(std::move(chunk));
    return true;
  }
  bool closed() const override { return false; }
  void close() override {}

  // Waits up to two seconds for `count` chunks; all of them.
  std::vector<std::string> wait_for(size_t count) {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (chunks_.size() >= count) return {chunks_.begin(), chunks_.end()};
      }
      std::this_thread::sleep_for(10ms);
    }
    std::lock_guard lock(mutex_);
    return {chunks_.begin(), chunks_.end()};
  }

 private:
  std::mutex mutex_;
  std::deque<std::string> chunks_;
};

TEST(SseFrame, NamesTheEventAndItsId) {
  EXPECT_EQ(sse_frame("hello", std::nullopt, R"({"last_event_id":0})"),
            "event: hello\ndata: {\"last_event_id\":0}\n\n");
  EXPECT_EQ(sse_frame("case", 42, "{}"), "event: case\nid: 42\ndata: {}\n\n");
}

Case draft(const std::string& department) {
  Case c;
  c.category = "01001";
  c.description = "test";
  c.location = {119.48, 39.83};
  c.reported_location = c.location;
  c.department = department;
  c.reported_at = Timestamp{std::chrono::seconds{1796401800}};
  c.updated_at = c.reported_at;
  c.step_started_at = c.reported_at;
  c.due_at = c.reported_at + std::chrono::hours{2};
  return c;
}

TEST(LiveFeed, SendsWhatEachReaderMaySeeAndResumesWithoutRepeats) {
  const testing::TempDir dir("live-feed");
  auto store = store::SqliteStore::open(dir.path() / "cityops.db", 2);
  ASSERT_TRUE(store.is_ok());
  auto& db = **store;
  const auto first = db.create_case(draft("city_mgmt"), "130304", "tester");
  ASSERT_TRUE(first.is_ok());

  LiveFeed feed(
      db, [](const CaseEvent& e, const Case& c) { return e.action + " " + c.number; }, nullptr,
      50ms);
  ASSERT_TRUE(feed.start().is_ok());
  Principal dispatcher;
  dispatcher.role = Role::kDispatcher;
  Principal housing;
  housing.role = Role::kDepartmentHandler;
  housing.department = "housing";
  auto all = std::make_shared<RecordingSink>();
  auto scoped = std::make_shared<RecordingSink>();
  auto resumed = std::make_shared<RecordingSink>();
  feed.subscribe(all, dispatcher, std::nullopt);
  feed.subscribe(scoped, housing, std::nullopt);
  ASSERT_EQ(all->wait_for(1).size(), 1u);
  ASSERT_EQ(scoped->wait_for(1).size(), 1u);

  const auto second = db.create_case(draft("housing"), "130304", "tester");
  const auto third = db.create_case(draft("city_mgmt"), "130304", "tester");
  ASSERT_TRUE(second.is_ok() && third.is_ok());
  const auto sent = all->wait_for(3);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0], "event: hello\ndata: {\"last_event_id\":1}\n\n");
  EXPECT_EQ(sent[1], "event: case\nid: 2\ndata: report " + second->created.number + "\n\n");
  EXPECT_EQ(sent[2], "event: case\nid: 3\ndata: report " + third->created.number + "\n\n");
  const auto seen = scoped->wait_for(3);
  ASSERT_EQ(seen.size(), 2u);  // the hello and housing's own case only
  EXPECT_EQ(seen[1], sent[1]);

  feed.subscribe(resumed, dispatcher, 1);
  const auto replay = resumed->wait_for(3);
  ASSERT_EQ(replay.size(), 3u);
  EXPECT_EQ(replay[0], "event: hello\ndata: {\"last_event_id\":3}\n\n");
  EXPECT_EQ(replay[1], sent[1]);
  EXPECT_EQ(replay[2], sent[2]);
  EXPECT_EQ(resumed->wait_for(4).size(), 3u);
  feed.stop();
}

}  // namespace
}  // namespace cityops::services
