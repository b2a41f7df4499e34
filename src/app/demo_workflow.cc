#include "app/demo_workflow.h"

#include <spdlog/spdlog.h>

#include <random>

#include "app/case_history.h"

namespace cityops::app {

namespace {

constexpr const char* kHandledNote = "已现场处置完毕";

Fate draw_fate(std::mt19937& rng, double age_days) {
  // Young cases are still early in the loop; old ones are mostly finished.
  const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
  if (age_days < 1) {
    if (roll < 40) return Fate::kStaysReported;
    if (roll < 65) return Fate::kRegistered;
    if (roll < 85) return Fate::kDispatched;
    return Fate::kInProgress;
  }
  if (roll < 3) return Fate::kStaysReported;
  if (roll < 6) return Fate::kRejected;
  if (roll < 9) return Fate::kCancelled;
  if (roll < 11) return Fate::kSuspended;
  if (roll < 14) return Fate::kRegistered;
  if (roll < 18) return Fate::kDispatched;
  if (roll < 25) return Fate::kInProgress;
  if (roll < 30) return Fate::kHandled;
  if (roll < 40) return Fate::kClosed;
  return Fate::kCalledBack;
}

class Walker {
 public:
  Walker(App& app, Timestamp now, unsigned seed)
      : clock_(now),
        flow_(
            app.store(), [&app] { return app.reference(); }, clock_, app.intake().duplicates()),
        now_(now),
        rng_(seed) {}

  // Runs one action a plausible while after the last; false when time ran out or it failed.
  bool act(Case& c, Role role, ActionRequest request, double max_hours) {
    const auto gap = std::chrono::seconds(
        static_cast<int64_t>(std::uniform_real_distribution<double>(0.1, max_hours)(rng_) * 3600));
    const Timestamp at = std::max(c.updated_at, c.reported_at) + gap;
    if (at >= now_) return false;
    clock_.set(at);
    request.version = c.version;
    auto done = flow_.act(c.number, request, demo_staff(role, c));
    if (!done) {
      spdlog::warn("demo: {} on {} refused: {}", to_string(request.action), c.number,
                   done.status().message());
      return false;
    }
    c = done->after;
    return true;
  }

  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }

  void walk(Case c) {
    const double age_days = std::chrono::duration<double>(now_ - c.reported_at).count() / 86400;
    const Fate fate = draw_fate(rng_, age_days);
    if (fate == Fate::kStaysReported) return;
    if (fate == Fate::kRejected) {
      act(c, Role::kShiftLead,
          demo_request(Action::kReject, &ActionRequest::reason, "重复或无效反映"), 2);
      return;
    }
    if (!act(c, Role::kShiftLead, demo_request(Action::kRegister), 1.5)) return;
    if (fate == Fate::kCancelled) {
      const char* reason = "反映人撤回";
      act(c, Role::kShiftLead, demo_request(Action::kCancel, &ActionRequest::reason, reason), 8);
      return;
    }
    if (fate == Fate::kRegistered) return;
    if (!act(c, Role::kDispatcher, demo_request(Action::kDispatch), 1.5)) return;
    if (chance(12)) {
      if (!act(c, Role::kDepartmentHandler,
               demo_request(Action::kReturn, &ActionRequest::reason, "非本单位职责"), 4)) {
        return;
      }
      if (!act(c, Role::kDispatcher, demo_request(Action::kDispatch), 2)) return;
    }
    if (fate == Fate::kDispatched) return;
    if (!act(c, Role::kDepartmentHandler, demo_request(Action::kSign), 3)) return;
    if (fate == Fate::kSuspended) {
      act(c, Role::kShiftLead,
          demo_request(Action::kSuspend, &ActionRequest::reason, "等待施工季节"), 24);
      return;
    }
    if (chance(6)) {
      ActionRequest extend =
          demo_request(Action::kRequestExtension, &ActionRequest::reason, "需采购材料");
      extend.until = c.due_at + std::chrono::days(5);
      if (act(c, Role::kDepartmentHandler, extend, 6)) {
        act(c, Role::kSupervisor, demo_request(Action::kApproveExtension), 4);
      }
    }
    if (fate == Fate::kInProgress) return;
    for (int round = 0; round < 3; ++round) {
      if (!act(c, Role::kDepartmentHandler,
               demo_request(Action::kReportHandling, &ActionRequest::note, kHandledNote), 30)) {
        return;
      }
      if (fate == Fate::kHandled) return;
      const bool pass = round == 2 || !chance(10);
      if (!act(c, Role::kInspector,
               demo_request(Action::kVerify, &ActionRequest::result, pass ? "pass" : "fail"), 6)) {
        return;
      }
      if (pass) break;
    }
    if (fate == Fate::kClosed) return;
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng_);
    const char* satisfaction = roll < 75   ? "satisfied"
                               : roll < 93 ? "basically_satisfied"
                                           : "dissatisfied";
    act(c, Role::kIntakeClerk,
        demo_request(Action::kCallback, &ActionRequest::satisfaction, satisfaction), 30);
  }

 private:
  FixedClock clock_;
  services::WorkflowService flow_;
  Timestamp now_;
  std::mt19937 rng_;
};

}  // namespace

Status advance_demo_cases(App& app, Timestamp now, unsigned seed) {
  auto open = app.store().open_cases();
  if (!open) return open.status();
  std::sort(open->begin(), open->end(),
            [](const Case& a, const Case& b) { return a.number < b.number; });
  Walker walker(app, now, seed);
  for (const auto& c : *open) walker.walk(c);
  spdlog::info("demo: {} cases moved through the workflow", open->size());
  return Status::ok();
}

}  // namespace cityops::app
