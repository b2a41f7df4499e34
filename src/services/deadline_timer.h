// The deadline timer: marks each step's warning and due moments as events.
//
// At the warning time (a share of the limit, 80 % by default) it urges the responsible unit;
// at the due time it marks the step overdue and escalates the case to the supervisors. Each
// mark is an event dated at the exact moment it fell due, whenever the tick that found it ran,
// so a restart catches up on what came due while the server was down. Time comes from the
// caller, so tests move it exactly.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "common/time.h"
#include "services/reference_data.h"
#include "store/store.h"

namespace cityops::services {

class DeadlineTimer {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;

  DeadlineTimer(store::Store& store, const Clock& clock);
  ~DeadlineTimer();

  // Marks everything that came due by `now`. Returns the number of events written.
  Result<int> tick(Timestamp now);

  // Ticks every `interval` on a thread of its own until stop() or destruction.
  void start(std::chrono::milliseconds interval);
  void stop();

 private:
  store::Store& store_;
  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The events the timer writes for one case at `now`, applied to a copy of it; empty when
// nothing is due. Exposed for tests.
std::vector<store::CaseChange> timer_changes(const Case& c, Timestamp now);

}  // namespace cityops::services
