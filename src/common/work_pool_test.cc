// Work posted to the pool runs exactly once, on the pool's threads, concurrently up to their
// number; destruction waits for what was queued.
#include "common/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

namespace cityops {
namespace {

TEST(WorkPool, RunsEveryItemOnceOffTheCallersThread) {
  std::atomic<int> ran{0};
  std::atomic<int> on_caller{0};
  const auto caller = std::this_thread::get_id();
  {
    WorkPool pool(3);
    for (int i = 0; i < 500; ++i) {
      pool.post([&] {
        if (std::this_thread::get_id() == caller) ++on_caller;
        ++ran;
      });
    }
  }
  EXPECT_EQ(ran.load(), 500);
  EXPECT_EQ(on_caller.load(), 0);
}

TEST(WorkPool, BlockedItemsDoNotHoldUpOthersBeyondThePoolSize) {
  WorkPool pool(2);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> third_ran;
  // One item blocks; a second thread is still free for the next.
  pool.post([released] { released.wait(); });
  pool.post([&third_ran] { third_ran.set_value(); });
  EXPECT_EQ(third_ran.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  release.set_value();
}

}  // namespace
}  // namespace cityops
