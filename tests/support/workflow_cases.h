// Test support for the workflow's unit tests: a small category and calendar, principals by
// role, and CaseRun, which drives one case through decide() as the workflow service would.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/case_record.h"
#include "domain/workflow.h"

namespace cityops::workflow_testing {

using namespace std::chrono;

inline Timestamp at(const char* text) {
  const auto t = parse_rfc3339(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

// A small category: 2 working hours to register, 1 to dispatch, 2 working days to handle,
// 4 working hours to verify; urgent halves the hours. The callback keeps its 3 working days.
inline Category test_category(bool reopen_on_dissatisfied = true) {
  Category c;
  c.code = "99001";
  c.class_code = "99";
  c.class_name = "test";
  c.name = "test matter";
  c.department = "D01";
  c.kind = CategoryKind::kMatter;
  const TimeLimit normal[4] = {{2, TimeUnit::kWorkingHours},
                               {1, TimeUnit::kWorkingHours},
                               {2, TimeUnit::kWorkingDays},
                               {4, TimeUnit::kWorkingHours}};
  const TimeLimit urgent[4] = {{1, TimeUnit::kWorkingHours},
                               {0.5, TimeUnit::kWorkingHours},
                               {1, TimeUnit::kWorkingDays},
                               {2, TimeUnit::kWorkingHours}};
  for (int s = 0; s < 4; ++s) {
    c.limits[0][s] = normal[s];
    c.limits[1][s] = urgent[s];
  }
  c.reopen_on_dissatisfied = reopen_on_dissatisfied;
  return c;
}

// National Day week off (Thu 1 to Wed 7 October 2026) and Saturday 10 October worked instead.
inline WorkCalendar test_calendar() {
  CalendarYear year{2026, {}};
  for (unsigned d = 1; d <= 7; ++d) {
    year.days.push_back({std::chrono::year{2026} / October / day{d}, true, "国庆节"});
  }
  year.days.push_back({std::chrono::year{2026} / October / day{10}, false, "国庆节"});
  return WorkCalendar({year}, OfficeHours::standard());
}

inline Principal principal(Role role, std::string department = {}) {
  Principal p;
  p.username = std::string(to_string(role));
  p.role = role;
  p.department = std::move(department);
  if (role == Role::kDepartmentHandler && p.department.empty()) p.department = "D01";
  return p;
}

// Drives one case through decide(), keeping its events, as the workflow service would.
class CaseRun {
 public:
  explicit CaseRun(Timestamp reported_at, bool reopen_on_dissatisfied = true)
      : category_(test_category(reopen_on_dissatisfied)), calendar_(test_calendar()) {
    case_.number = "130304-20260929-000001";
    case_.category = "matter:99001";
    case_.department = "D01";
    case_.unit_grid = "130304001001001";
    // Found on patrol by the grid worker, so that worker may handle it on the spot.
    case_.attributes[std::string(kPatrolWorkerAttribute)] = {"grid_worker"};
    case_.reported_at = reported_at;
    case_.updated_at = reported_at;
    case_.version = 1;
    start_step(case_, Step::kRegister, reported_at, category_, calendar_, 0.8);
    events_.push_back(make_report_event(case_, "clerk"));
  }

  WorkflowContext context(Timestamp now) const {
    WorkflowContext ctx;
    ctx.now = now;
    ctx.category = &category_;
    ctx.calendar = &calendar_;
    ctx.department_exists = [](std::string_view code) { return code == "D01" || code == "D02"; };
    ctx.warn_share = 0.8;
    ctx.self_handling_allowed = true;
    return ctx;
  }

  // A request that passes the action's own field checks.
  ActionRequest request(Action action, Timestamp now) const {
    ActionRequest r;
    r.action = action;
    r.version = case_.version;
    r.note = "done";
    r.reason = "because";
    r.target = "130304-20260929-000002";
    r.result = "pass";
    r.satisfaction = "satisfied";
    r.until = now + days(40);
    r.photos = {"after.jpg"};
    return r;
  }

  Result<Decision> try_act(const ActionRequest& r, const Principal& actor, Timestamp now) const {
    return decide(case_, r, actor, context(now));
  }

  // Applies an action that must succeed.
  void act(Action action, Role role, Timestamp now,
           const std::function<void(ActionRequest&)>& adjust = {}) {
    auto r = request(action, now);
    if (adjust) adjust(r);
    auto decision = try_act(r, principal(role), now);
    ASSERT_TRUE(decision) << to_string(action) << ": " << decision.status().code() << " "
                          << decision.status().message();
    case_ = decision->after;
    events_.push_back(decision->event);
  }

  const Case& c() const { return case_; }
  const std::vector<CaseEvent>& events() const { return events_; }

 private:
  Category category_;
  WorkCalendar calendar_;
  Case case_;
  std::vector<CaseEvent> events_;
};

// The actions each role may take, written from the role list of the design.
inline const std::map<Role, std::set<Action>>& role_table() {
  using A = Action;
  static const std::map<Role, std::set<Action>> kTable = [] {
    std::map<Role, std::set<Action>> table = {
        {Role::kShiftLead,
         {A::kRegister, A::kReject, A::kMerge, A::kSuspend, A::kResume, A::kCancel,
          A::kApproveExtension, A::kDenyExtension}},
        {Role::kDispatcher, {A::kDispatch, A::kUrge}},
        {Role::kDepartmentHandler,
         {A::kSign, A::kReturn, A::kReportHandling, A::kRequestExtension}},
        {Role::kSupervisor, {A::kApproveExtension, A::kDenyExtension, A::kSupervise, A::kUrge}},
        {Role::kInspector, {A::kVerify}},
        {Role::kIntakeClerk, {A::kCallback}},
        {Role::kAdmin, {}},
        {Role::kGridWorker, {A::kSelfHandle}},
        {Role::kViewer, {}},
    };
    // Every role but the read-only viewer may add a comment.
    for (auto& [role, actions] : table) {
      if (role != Role::kViewer) actions.insert(A::kComment);
    }
    return table;
  }();
  return kTable;
}

// One state of the table: how to reach it, what it allows, and where each action leads.
struct StateCase {
  std::string label;
  std::vector<Action> path;  // each taken by a role that may, one hour apart
  std::set<Action> allowed;
};

inline Role role_for(Action action) {
  for (const auto& [role, actions] : role_table()) {
    if (actions.count(action)) return role;
  }
  return Role::kViewer;
}

inline std::vector<StateCase> state_table() {
  using A = Action;
  const std::set<Action> open_extras = {A::kSuspend, A::kCancel, A::kUrge, A::kSupervise};
  auto with = [&](std::set<Action> own) {
    own.insert(open_extras.begin(), open_extras.end());
    return own;
  };
  const std::set<Action> suspended = {A::kResume, A::kCancel, A::kUrge, A::kSupervise};
  std::vector<StateCase> table = {
      {"reported", {}, with({A::kRegister, A::kReject, A::kMerge, A::kSelfHandle})},
      {"handled on the spot", {A::kSelfHandle}, with({A::kVerify})},
      {"closed after handling on the spot", {A::kSelfHandle, A::kVerify}, {A::kCallback}},
      {"registered", {A::kRegister}, with({A::kDispatch})},
      {"dispatched",
       {A::kRegister, A::kDispatch},
       with({A::kSign, A::kReturn, A::kRequestExtension})},
      {"in_progress",
       {A::kRegister, A::kDispatch, A::kSign},
       with({A::kReportHandling, A::kRequestExtension})},
      {"handled", {A::kRegister, A::kDispatch, A::kSign, A::kReportHandling}, with({A::kVerify})},
      {"closed awaiting callback",
       {A::kRegister, A::kDispatch, A::kSign, A::kReportHandling, A::kVerify},
       {A::kCallback}},
      {"closed after callback",
       {A::kRegister, A::kDispatch, A::kSign, A::kReportHandling, A::kVerify, A::kCallback},
       {}},
      {"rejected", {A::kReject}, {}},
      {"merged", {A::kMerge}, {}},
      {"cancelled", {A::kRegister, A::kCancel}, {}},
      {"reported, suspended", {A::kSuspend}, suspended},
      {"registered, suspended", {A::kRegister, A::kSuspend}, suspended},
      {"dispatched, suspended", {A::kRegister, A::kDispatch, A::kSuspend}, suspended},
      {"in_progress, suspended", {A::kRegister, A::kDispatch, A::kSign, A::kSuspend}, suspended},
      {"handled, suspended",
       {A::kRegister, A::kDispatch, A::kSign, A::kReportHandling, A::kSuspend},
       suspended},
      {"dispatched, extension pending",
       {A::kRegister, A::kDispatch, A::kRequestExtension},
       with({A::kSign, A::kReturn, A::kApproveExtension, A::kDenyExtension})},
      {"in_progress, extension pending",
       {A::kRegister, A::kDispatch, A::kSign, A::kRequestExtension},
       with({A::kReportHandling, A::kApproveExtension, A::kDenyExtension})},
  };
  // A comment is possible in every state.
  for (auto& state : table) state.allowed.insert(A::kComment);
  return table;
}

inline const Timestamp kReported = at("2026-09-29T16:00:00+08:00");

inline CaseRun run_to(const StateCase& state) {
  CaseRun run(kReported);
  Timestamp now = kReported;
  for (Action a : state.path) {
    now += hours(1);
    run.act(a, role_for(a), now);
  }
  return run;
}

}  // namespace cityops::workflow_testing
