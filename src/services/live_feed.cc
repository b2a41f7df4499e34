#include "services/live_feed.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace cityops::services {

namespace {

constexpr int kBatch = 500;

}  // namespace

std::string sse_frame(std::string_view event, std::optional<int64_t> id, std::string_view data) {
  std::string out = fmt::format("event: {}\n", event);
  if (id) out += fmt::format("id: {}\n", *id);
  out += fmt::format("data: {}\n\n", data);
  return out;
}

LiveFeed::LiveFeed(store::Store& store, Encoder encode, Metrics* metrics,
                   std::chrono::milliseconds poll, std::chrono::seconds keep_alive)
    : store_(store),
      encode_(std::move(encode)),
      metrics_(metrics),
      poll_(poll),
      keep_alive_(keep_alive) {
  if (metrics_) {
    metrics_->describe("cityops_live_streams", "gauge", "Open live event streams");
    metrics_->set_gauge("cityops_live_streams", {}, 0);
  }
}

LiveFeed::~LiveFeed() { stop(); }

Status LiveFeed::start() {
  auto last = store_.last_event_id();
  if (!last) return last.status();
  cursor_ = *last;
  store_.on_case_commit([this] { wake(); });
  thread_ = std::thread([this] { loop(); });
  return Status::ok();
}

void LiveFeed::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  store_.on_case_commit({});
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveFeed::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void LiveFeed::subscribe(std::shared_ptr<http::StreamSink> sink, Principal who,
                         std::optional<int64_t> after) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back({std::move(sink), std::move(who), after});
    woken_ = true;
  }
  wake_.notify_one();
}

void LiveFeed::loop() {
  auto last_keep_alive = std::chrono::steady_clock::now();
  while (true) {
    std::vector<Subscriber> arrived;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, poll_, [this] { return woken_ || stopping_; });
      if (stopping_) break;
      woken_ = false;
      arrived.swap(pending_);
    }
    fan_out();
    for (auto& s : arrived) admit(s);

    if (std::chrono::steady_clock::now() - last_keep_alive >= keep_alive_) {
      keep_alive();
      last_keep_alive = std::chrono::steady_clock::now();
    }
    const size_t before = active_.size();
    std::erase_if(active_, [](const Subscriber& s) { return s.sink->closed(); });
    if (metrics_ && (before != active_.size() || !arrived.empty())) {
      metrics_->set_gauge("cityops_live_streams", {}, static_cast<double>(active_.size()));
    }
  }
  for (auto& s : active_) s.sink->close();
  active_.clear();
  // Streams that asked to join while the feed was stopping are ended too, not left waiting.
  std::lock_guard lock(mutex_);
  for (auto& s : pending_) s.sink->close();
  pending_.clear();
}

void LiveFeed::fan_out() {
  while (true) {
    auto events = store_.events_after(cursor_, kBatch);
    if (!events) {
      spdlog::warn("live feed: cannot read events after {}: {}", cursor_,
                   events.status().message());
      return;
    }
    for (const auto& event : *events) {
      cursor_ = event.id;
      if (active_.empty()) continue;
      auto found = store_.find_case(event.case_number);
      if (!found || !*found) continue;
      const Case& current = **found;
      std::optional<std::string> frame;
      for (auto& s : active_) {
        if (s.sink->closed() || !in_scope(s.who, current)) continue;
        if (!frame) frame = sse_frame("case", event.id, encode_(event, current));
        s.sink->send(*frame);
      }
    }
    if (events->size() < static_cast<size_t>(kBatch)) return;
  }
}

void LiveFeed::admit(Subscriber& s) {
  s.sink->send(sse_frame("hello", std::nullopt, fmt::format(R"({{"last_event_id":{}}})", cursor_)));
  if (s.after && *s.after < cursor_) {
    // Only the last kResumeLimit events come back; a client further behind reloads its lists.
    const int64_t from = std::max(*s.after, cursor_ - kResumeLimit);
    auto events = store_.events_after(from, kResumeLimit);
    std::map<std::string, std::optional<Case>> cases;
    for (const auto& event : events ? *events : std::vector<CaseEvent>{}) {
      if (event.id > cursor_) break;  // the next fan-out sends it
      auto [it, inserted] = cases.try_emplace(event.case_number);
      if (inserted) {
        auto found = store_.find_case(event.case_number);
        if (found && *found) it->second = std::move(**found);
      }
      if (!it->second || !in_scope(s.who, *it->second)) continue;
      s.sink->send(sse_frame("case", event.id, encode_(event, *it->second)));
    }
  }
  active_.push_back(std::move(s));
}

void LiveFeed::keep_alive() {
  for (auto& s : active_) s.sink->send(": keep-alive\n\n");
}

}  // namespace cityops::services
