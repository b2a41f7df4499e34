#include "services/deadline_timer.h"

#include <spdlog/spdlog.h>

#include "domain/case_record.h"

namespace cityops::services {

namespace {

constexpr int kBatch = 500;

store::CaseChange mark(Case& c, const std::string& action, Timestamp at, const std::string& note,
                       const nlohmann::json& data) {
  CaseEvent event;
  event.case_number = c.number;
  event.version = c.version + 1;
  event.action = action;
  event.actor = "system";
  event.at = at;
  event.from_state = c.state;
  event.to_state = c.state;
  event.note = note;
  event.step_due_at = c.steps.back().due_at;
  event.data = data;
  c.version = event.version;
  c.updated_at = at;
  return {c, std::move(event)};
}

nlohmann::json steps_json(const Case& c) { return case_to_record(c)["steps"]; }

}  // namespace

std::vector<store::CaseChange> timer_changes(const Case& original, Timestamp now) {
  std::vector<store::CaseChange> changes;
  if (original.suspended || original.steps.empty() || original.steps.back().finished_at) {
    return changes;
  }
  Case c = original;
  auto& step = c.steps.back();
  const std::string step_name(to_string(step.step));
  if (!step.warned && step.warn_at <= now) {
    step.warned = true;
    changes.push_back(mark(c, "auto_urge", step.warn_at,
                           "the " + step_name + " step is nearing its due time",
                           {{"steps", steps_json(c)}}));
  }
  if (step.warned && !step.overdue && step.due_at <= now) {
    step.overdue = true;
    changes.push_back(mark(c, "overdue", step.due_at, "the " + step_name + " step is overdue",
                           {{"steps", steps_json(c)}}));
    if (!c.escalated) {
      c.escalated = true;
      changes.push_back(
          mark(c, "escalate", step.due_at, "escalated to the supervisors", {{"escalated", true}}));
    }
  }
  return changes;
}

DeadlineTimer::DeadlineTimer(store::Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

DeadlineTimer::~DeadlineTimer() { stop(); }

Result<int> DeadlineTimer::tick(Timestamp now) {
  int written = 0;
  while (true) {
    auto due = store_.cases_due_for_timer(now, kBatch);
    if (!due) return due.status();
    int batch_written = 0;
    for (const auto& c : *due) {
      auto changes = timer_changes(c, now);
      if (changes.empty()) continue;
      // Each case in its own transaction: a user acting on it meanwhile wins, and the next
      // tick sees the case again.
      const auto status = store_.apply_changes(changes);
      if (status.is_ok()) {
        batch_written += static_cast<int>(changes.size());
      } else if (status.code() != "stale_version") {
        return status;
      }
    }
    written += batch_written;
    if (static_cast<int>(due->size()) < kBatch || batch_written == 0) break;
  }
  if (written) spdlog::info("deadline timer wrote {} events", written);
  return written;
}

void DeadlineTimer::start(std::chrono::milliseconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      if (auto result = tick(clock_.now()); !result) {
        spdlog::warn("deadline timer: {}", result.status().message());
      }
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void DeadlineTimer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace cityops::services
