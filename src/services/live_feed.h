// The live feed of case events: one thread tails the store's event log (woken by every commit,
// and polling as a safety net) and sends each new event, as Server-Sent Events, to the open
// streams whose reader may see the case. A stream may resume after an event id; it is sent
// the events since then, at most the last kResumeLimit, before the live ones.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/metrics.h"
#include "domain/role.h"
#include "http/message.h"
#include "store/store.h"

namespace cityops::services {

// One SSE message: "event: NAME", then "id: ID" when given, then the data line and a blank
// line. `data` must hold no line break (JSON text as encoded never does).
std::string sse_frame(std::string_view event, std::optional<int64_t> id, std::string_view data);

class LiveFeed {
 public:
  static constexpr int kResumeLimit = 1000;

  // The `data` of a "case" message for `event`, with `current` the case as it is now.
  using Encoder = std::function<std::string(const CaseEvent& event, const Case& current)>;

  // `metrics` (may be null) gets the gauge cityops_live_streams.
  LiveFeed(store::Store& store, Encoder encode, Metrics* metrics,
           std::chrono::milliseconds poll = std::chrono::milliseconds(200),
           std::chrono::seconds keep_alive = std::chrono::seconds(15));
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // Starts tailing from the last event stored now; wires the store's commit wake-up.
  Status start();
  // Ends the thread; streams stay open until their connections end.
  void stop();

  // Adds a stream for `who`: it first gets "hello" with the last event id, then the events
  // after `after` (when given) that `who` may see, then live events. Safe from any thread.
  void subscribe(std::shared_ptr<http::StreamSink> sink, Principal who,
                 std::optional<int64_t> after);

  // Asks the thread to look for new events now.
  void wake();

 private:
  struct Subscriber {
    std::shared_ptr<http::StreamSink> sink;
    Principal who;
    std::optional<int64_t> after;
  };

  void loop();
  // Sends every event past the cursor to the subscribers that may see it.
  void fan_out();
  void admit(Subscriber& s);
  void keep_alive();

  store::Store& store_;
  Encoder encode_;
  Metrics* metrics_;
  const std::chrono::milliseconds poll_;
  const std::chrono::seconds keep_alive_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::vector<Subscriber> pending_;  // guarded by mutex_

  // Owned by the thread.
  int64_t cursor_ = 0;
  std::vector<Subscriber> active_;
  std::thread thread_;
};

}  // namespace cityops::services
