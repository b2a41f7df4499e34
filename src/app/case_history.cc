#include "app/case_history.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "domain/workflow.h"
#include "services/deadline_timer.h"

namespace cityops::app {

namespace {

constexpr const char* kSuperviseNote = "请加快办理并反馈";

struct Share {
  Fate fate;
  int per_mille;
};

// Young cases are still early in the loop; a fortnight later most are done, and of the cases
// older than two months only a few suspended or stuck ones remain open. Closed cases without a
// callback are recent ones still waiting for it, or the few the callback team missed.
constexpr std::array<Share, 4> kFirstDay{{{Fate::kStaysReported, 400},
                                          {Fate::kRegistered, 250},
                                          {Fate::kDispatched, 200},
                                          {Fate::kInProgress, 150}}};
constexpr std::array<Share, 10> kFirstFortnight{{{Fate::kStaysReported, 20},
                                                 {Fate::kRegistered, 30},
                                                 {Fate::kDispatched, 50},
                                                 {Fate::kInProgress, 120},
                                                 {Fate::kHandled, 60},
                                                 {Fate::kSuspended, 20},
                                                 {Fate::kRejected, 40},
                                                 {Fate::kCancelled, 30},
                                                 {Fate::kClosed, 200},
                                                 {Fate::kCalledBack, 430}}};
constexpr std::array<Share, 8> kFirstTwoMonths{{{Fate::kDispatched, 10},
                                                {Fate::kInProgress, 30},
                                                {Fate::kHandled, 10},
                                                {Fate::kSuspended, 10},
                                                {Fate::kRejected, 40},
                                                {Fate::kCancelled, 30},
                                                {Fate::kClosed, 40},
                                                {Fate::kCalledBack, 830}}};
constexpr std::array<Share, 6> kOlder{{{Fate::kInProgress, 7},
                                       {Fate::kSuspended, 5},
                                       {Fate::kRejected, 40},
                                       {Fate::kCancelled, 30},
                                       {Fate::kClosed, 30},
                                       {Fate::kCalledBack, 888}}};

template <size_t N>
Fate draw(const std::array<Share, N>& shares, std::mt19937& rng) {
  int roll = std::uniform_int_distribution<int>(0, 999)(rng);
  for (const auto& s : shares) {
    if (roll < s.per_mille) return s.fate;
    roll -= s.per_mille;
  }
  return shares.back().fate;
}

Fate draw_fate(std::mt19937& rng, double age_days) {
  if (age_days < 1) return draw(kFirstDay, rng);
  if (age_days < 14) return draw(kFirstFortnight, rng);
  if (age_days < 60) return draw(kFirstTwoMonths, rng);
  return draw(kOlder, rng);
}

class Walk {
 public:
  Walk(const services::ReferenceData& reference, const HistorySettings& settings, std::mt19937& rng,
       CaseHistory& history)
      : reference_(reference), settings_(settings), rng_(rng), history_(history) {}

  // Takes one action a plausible while after the last: `max_hours` of natural time at most,
  // or, with `max_hours` 0, at a share of the running step's limit, mostly well within it and
  // now and then late. False when that moment is not yet reached; an error when the workflow
  // refuses, which means the walk itself is wrong.
  Result<bool> act(Role role, ActionRequest request, double max_hours) {
    Case& c = history_.final;
    const Timestamp at = max_hours > 0 ? c.updated_at + natural_gap(max_hours) : on_step_time();
    if (at >= settings_.now) return false;
    mark_deadlines(at);
    if (request.action == Action::kRequestExtension) {
      request.until = std::max(c.due_at, at) + std::chrono::days(5);
    }
    request.version = c.version;
    WorkflowContext context;
    context.now = at;
    context.category = reference_.taxonomy().find(c.category);
    context.calendar = &reference_.calendar();
    context.department_exists = [this](std::string_view code) {
      return reference_.department(code) != nullptr;
    };
    context.warn_share = settings_.warn_share;
    auto decision = decide(c, request, demo_staff(role, c), context);
    if (!decision) {
      return internal_error(fmt::format("{} on {} refused: {}", to_string(request.action), c.number,
                                        decision.status().message()));
    }
    c = std::move(decision->after);
    history_.events.push_back(std::move(decision->event));
    return true;
  }

  // The deadline timer's marks that fell due by `at`, as the running server writes them.
  void mark_deadlines(Timestamp at) {
    for (auto& change : services::timer_changes(history_.final, at)) {
      history_.final = std::move(change.after);
      history_.events.push_back(std::move(change.event));
    }
  }

  int roll(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  double uniform(double from, double to) {
    return std::uniform_real_distribution<double>(from, to)(rng_);
  }
  bool chance(int percent) { return roll(100) < percent; }

 private:
  std::chrono::seconds natural_gap(double max_hours) {
    return std::chrono::seconds(static_cast<int64_t>(uniform(0.05, max_hours) * 3600));
  }

  // Staff finish most steps in the first three quarters of the limit (green), some in the
  // yellow band after the timer urged them, and a few late, which marks the step overdue and
  // escalates the case. Counted in the step's own working time, so nights and holidays wait.
  Timestamp on_step_time() {
    const Case& c = history_.final;
    const int band = roll(1000);
    const double share = band < 925   ? uniform(0.03, 0.75)
                         : band < 985 ? uniform(0.8, 1.0)
                                      : uniform(1.0, 2.5);
    const Timestamp planned = warning_time(c.steps.back(), reference_.calendar(), share);
    return std::max(planned, c.updated_at + natural_gap(0.2));
  }

  const services::ReferenceData& reference_;
  const HistorySettings& settings_;
  std::mt19937& rng_;
  CaseHistory& history_;
};

struct PlannedAction {
  Role role;
  ActionRequest request;
  double max_hours;  // the longest plausible wait; 0: a share of the running step's limit
};

// The actions the case's fate calls for, in order, with every chance drawn up front.
std::vector<PlannedAction> plan_actions(Fate fate, Walk& w) {
  using R = ActionRequest;
  std::vector<PlannedAction> plan;
  auto then = [&plan](Role role, ActionRequest request, double max_hours) {
    plan.push_back({role, std::move(request), max_hours});
  };
  if (fate == Fate::kStaysReported) return plan;
  if (fate == Fate::kRejected) {
    then(Role::kShiftLead, demo_request(Action::kReject, &R::reason, "重复或无效反映"), 0);
    return plan;
  }
  then(Role::kShiftLead, demo_request(Action::kRegister), 0);
  if (fate == Fate::kCancelled) {
    then(Role::kShiftLead, demo_request(Action::kCancel, &R::reason, "反映人撤回"), 0);
    return plan;
  }
  if (fate == Fate::kRegistered) return plan;
  then(Role::kDispatcher, demo_request(Action::kDispatch), 0);
  if (w.chance(12)) {
    const char* reason = "非本单位职责";
    then(Role::kDepartmentHandler, demo_request(Action::kReturn, &R::reason, reason), 4);
    then(Role::kDispatcher, demo_request(Action::kDispatch), 0);
  }
  if (fate == Fate::kDispatched) return plan;
  then(Role::kDepartmentHandler, demo_request(Action::kSign), 3);
  if (fate == Fate::kSuspended) {
    then(Role::kShiftLead, demo_request(Action::kSuspend, &R::reason, "等待施工季节"), 24);
    return plan;
  }
  if (w.chance(6)) {
    then(Role::kDepartmentHandler,
         demo_request(Action::kRequestExtension, &R::reason, "需采购材料"), 6);
    then(Role::kSupervisor, demo_request(Action::kApproveExtension), 4);
  }
  if (fate == Fate::kInProgress) return plan;
  for (int round = 0; round < 3; ++round) {
    then(Role::kDepartmentHandler,
         demo_request(Action::kReportHandling, &R::note, "已现场处置完毕"), 0);
    if (fate == Fate::kHandled) return plan;
    // A failed check sends the work back; the third check always passes.
    const bool pass = round == 2 || !w.chance(10);
    then(Role::kInspector, demo_request(Action::kVerify, &R::result, pass ? "pass" : "fail"), 0);
    if (pass) break;
  }
  if (fate == Fate::kClosed) return plan;
  const int roll = w.roll(100);
  const char* satisfaction = roll < 75   ? "satisfied"
                             : roll < 93 ? "basically_satisfied"
                                         : "dissatisfied";
  then(Role::kIntakeClerk, demo_request(Action::kCallback, &R::satisfaction, satisfaction), 0);
  return plan;
}

// A case the callback reopened is handled and checked again, and the reporter called back.
std::vector<PlannedAction> plan_rework() {
  using R = ActionRequest;
  const char* rework = "已返工处置";
  return {{Role::kDepartmentHandler, demo_request(Action::kReportHandling, &R::note, rework), 0},
          {Role::kInspector, demo_request(Action::kVerify, &R::result, "pass"), 0},
          {Role::kIntakeClerk,
           demo_request(Action::kCallback, &R::satisfaction, "basically_satisfied"), 0}};
}

// Runs the plan until it ends or reaches `now`; false in the second case.
Result<bool> follow(Walk& w, std::vector<PlannedAction> plan) {
  for (auto& planned : plan) {
    auto done = w.act(planned.role, std::move(planned.request), planned.max_hours);
    if (!done) return done.status();
    if (!*done) return false;  // not yet: the case waits at this step
  }
  return true;
}

}  // namespace

Result<CaseHistory> generate_history(const Case& draft, const services::ReferenceData& reference,
                                     const HistorySettings& settings, std::mt19937& rng) {
  CaseHistory history;
  history.events.push_back(make_report_event(draft, "demo"));
  CITYOPS_RETURN_IF_ERROR(apply_event(history.final, history.events.back()));

  Walk w(reference, settings, rng, history);
  const double age_days =
      std::chrono::duration<double>(settings.now - draft.reported_at).count() / 86400;
  auto finished = follow(w, plan_actions(draw_fate(rng, age_days), w));
  if (!finished) return finished.status();
  if (*finished && history.final.reopen_count > 0 && is_open(history.final.state)) {
    finished = follow(w, plan_rework());
    if (!finished) return finished.status();
  }

  // Late cases draw attention: a supervisor follows some of the escalated ones up.
  if (history.final.escalated && is_open(history.final.state) && w.chance(30)) {
    auto followed =
        w.act(Role::kSupervisor,
              demo_request(Action::kSupervise, &ActionRequest::note, kSuperviseNote), 24);
    if (!followed) return followed.status();
  }
  w.mark_deadlines(settings.now);
  return history;
}

ActionRequest demo_request(Action action, std::string ActionRequest::*field, std::string value) {
  ActionRequest r;
  r.action = action;
  if (field) r.*field = std::move(value);
  return r;
}

Principal demo_staff(Role role, const Case& c) {
  Principal p;
  p.username = std::string(to_string(role));
  p.display_name = p.username;
  p.role = role;
  if (role == Role::kDepartmentHandler) p.department = c.department;
  if (role == Role::kInspector) p.grids = {c.unit_grid};
  return p;
}

}  // namespace cityops::app
