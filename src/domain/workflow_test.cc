#include "domain/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/case_record.h"

namespace cityops {
namespace {

using namespace std::chrono;

Timestamp at(const char* text) {
  const auto t = parse_rfc3339(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

// A small category: 2 working hours to register, 1 to dispatch, 2 working days to handle,
// 4 working hours to verify; urgent halves the hours. The callback keeps its 3 working days.
Category test_category(bool reopen_on_dissatisfied = true) {
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
WorkCalendar test_calendar() {
  CalendarYear year{2026, {}};
  for (unsigned d = 1; d <= 7; ++d) {
    year.days.push_back({std::chrono::year{2026} / October / day{d}, true, "国庆节"});
  }
  year.days.push_back({std::chrono::year{2026} / October / day{10}, false, "国庆节"});
  return WorkCalendar({year}, OfficeHours::standard());
}

Principal principal(Role role, std::string department = {}) {
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
const std::map<Role, std::set<Action>>& role_table() {
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
        {Role::kGridWorker, {}},
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

Role role_for(Action action) {
  for (const auto& [role, actions] : role_table()) {
    if (actions.count(action)) return role;
  }
  return Role::kViewer;
}

std::vector<StateCase> state_table() {
  using A = Action;
  const std::set<Action> open_extras = {A::kSuspend, A::kCancel, A::kUrge, A::kSupervise};
  auto with = [&](std::set<Action> own) {
    own.insert(open_extras.begin(), open_extras.end());
    return own;
  };
  const std::set<Action> suspended = {A::kResume, A::kCancel, A::kUrge, A::kSupervise};
  std::vector<StateCase> table = {
      {"reported", {}, with({A::kRegister, A::kReject, A::kMerge})},
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

// Where an allowed action leads from `from`, and which counter it raises.
CaseState expected_to_state(Action action, CaseState from) {
  switch (action) {
    case Action::kRegister:
      return CaseState::kRegistered;
    case Action::kReject:
      return CaseState::kRejected;
    case Action::kMerge:
      return CaseState::kMerged;
    case Action::kDispatch:
      return CaseState::kDispatched;
    case Action::kSign:
      return CaseState::kInProgress;
    case Action::kReturn:
      return CaseState::kRegistered;
    case Action::kReportHandling:
      return CaseState::kHandled;
    case Action::kVerify:    // result "pass"
    case Action::kCallback:  // "satisfied"
      return CaseState::kClosed;
    case Action::kCancel:
      return CaseState::kCancelled;
    default:
      return from;
  }
}

struct Counters {
  int rework = 0, returns = 0, extensions = 0, suspensions = 0, urges = 0, supervisions = 0;
  friend bool operator==(const Counters&, const Counters&) = default;
};

Counters counters_of(const Case& c) {
  return {c.rework_count,     c.return_count, c.extension_count,
          c.suspension_count, c.urge_count,   c.supervise_count};
}

Counters expected_counters(Counters before, Action action) {
  switch (action) {
    case Action::kReturn:
      ++before.returns;
      break;
    case Action::kApproveExtension:
      ++before.extensions;
      break;
    case Action::kSuspend:
      ++before.suspensions;
      break;
    case Action::kUrge:
      ++before.urges;
      break;
    case Action::kSupervise:
      ++before.supervisions;
      break;
    default:
      break;
  }
  return before;
}

const Timestamp kReported = at("2026-09-29T16:00:00+08:00");

CaseRun run_to(const StateCase& state) {
  CaseRun run(kReported);
  Timestamp now = kReported;
  for (Action a : state.path) {
    now += hours(1);
    run.act(a, role_for(a), now);
  }
  return run;
}

TEST(WorkflowTable, EveryRoleActionAndState) {
  int allowed_checked = 0, refused_role = 0, refused_state = 0;
  for (const auto& state : state_table()) {
    SCOPED_TRACE("state " + state.label);
    const CaseRun run = run_to(state);
    const Timestamp now = run.c().updated_at + hours(1);
    const auto possible = actions_in_state(run.c());
    EXPECT_EQ(std::set<Action>(possible.begin(), possible.end()), state.allowed);
    for (const auto& [role, role_actions] : role_table()) {
      for (Action action : all_actions()) {
        SCOPED_TRACE(std::string(to_string(role)) + " " + std::string(to_string(action)));
        const Principal actor = principal(role);
        auto request = run.request(action, now);
        const auto result = run.try_act(request, actor, now);
        if (!role_actions.count(action)) {
          ASSERT_FALSE(result);
          EXPECT_EQ(result.status().kind(), ErrorKind::kPermissionDenied);
          EXPECT_EQ(result.status().code(), "forbidden_role");
          ++refused_role;
          continue;
        }

        // The right role with an old version is refused before the state is looked at.
        auto stale = request;
        stale.version -= 1;
        const auto stale_result = run.try_act(stale, actor, now);
        ASSERT_FALSE(stale_result);
        EXPECT_EQ(stale_result.status().kind(), ErrorKind::kConflict);
        EXPECT_EQ(stale_result.status().code(), "stale_version");

        if (!state.allowed.count(action)) {
          ASSERT_FALSE(result);
          EXPECT_EQ(result.status().kind(), ErrorKind::kConflict);
          EXPECT_EQ(result.status().code(), "invalid_state");
          ++refused_state;
          continue;
        }
        ASSERT_TRUE(result) << result.status().code() << " " << result.status().message();
        const Case& after = result->after;
        EXPECT_EQ(after.state, expected_to_state(action, run.c().state));
        EXPECT_EQ(result->event.from_state, run.c().state);
        EXPECT_EQ(result->event.to_state, after.state);
        EXPECT_EQ(after.version, run.c().version + 1);
        EXPECT_EQ(result->event.action, to_string(action));
        EXPECT_EQ(counters_of(after), expected_counters(counters_of(run.c()), action));
        EXPECT_EQ(after.suspended,
                  action == Action::kSuspend || (run.c().suspended && action != Action::kResume &&
                                                 action != Action::kCancel));
        ++allowed_checked;
      }
    }
  }
  // 17 states × 9 roles × 18 actions.
  EXPECT_EQ(allowed_checked + refused_role + refused_state, 17 * 9 * 18);
  EXPECT_EQ(refused_role, 17 * (9 * 18 - 28));  // 28 role-action pairs are allowed
}

TEST(WorkflowTable, RoleMayMatchesTheHandWrittenTable) {
  for (Role role : all_roles()) {
    for (Action action : all_actions()) {
      SCOPED_TRACE(std::string(to_string(role)) + " " + std::string(to_string(action)));
      EXPECT_EQ(role_may(role, action), role_table().at(role).count(action) == 1);
    }
  }
}

TEST(WorkflowRules, ReasonsAreRequired) {
  struct Row {
    const char* label;
    std::vector<Action> path;
    Action action;
  };
  const std::vector<Row> rows = {
      {"reject", {}, Action::kReject},
      {"suspend", {}, Action::kSuspend},
      {"cancel", {Action::kRegister}, Action::kCancel},
      {"return", {Action::kRegister, Action::kDispatch}, Action::kReturn},
      {"request_extension", {Action::kRegister, Action::kDispatch}, Action::kRequestExtension},
  };
  for (const auto& row : rows) {
    for (const char* reason : {"", "  \t\n"}) {
      SCOPED_TRACE(std::string(row.label) + " reason '" + reason + "'");
      const CaseRun run = run_to({row.label, row.path, {}});
      const Timestamp now = run.c().updated_at + hours(1);
      auto r = run.request(row.action, now);
      r.reason = reason;
      const auto result = run.try_act(r, principal(role_for(row.action)), now);
      ASSERT_FALSE(result);
      EXPECT_EQ(result.status().kind(), ErrorKind::kInvalidArgument);
      EXPECT_EQ(result.status().code(), "missing_reason");
      EXPECT_EQ(result.status().field(), "reason");
    }
  }
}

TEST(WorkflowRules, ExtensionUntilMustBeFutureAndLater) {
  // Dispatched at 18:00 on Tue 29 Sep, after hours: handle due Fri 9 Oct 08:30.
  const CaseRun run = run_to({"dispatched", {Action::kRegister, Action::kDispatch}, {}});
  const Timestamp now = run.c().updated_at + hours(1);
  const Timestamp due = run.c().due_at;
  struct Row {
    const char* label;
    Timestamp until;
    const char* code;
  };
  const std::vector<Row> rows = {
      {"in the past", now - hours(1), "until_in_past"},
      {"now", now, "until_in_past"},
      {"at the due time", due, "until_not_later"},
      {"before the due time", due - minutes(1), "until_not_later"},
  };
  ASSERT_GT(due - minutes(1), now);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    auto r = run.request(Action::kRequestExtension, now);
    r.until = row.until;
    const auto result = run.try_act(r, principal(Role::kDepartmentHandler), now);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.status().code(), row.code);
    EXPECT_EQ(result.status().field(), "until");
  }
  auto r = run.request(Action::kRequestExtension, now);
  r.until = due + seconds(1);
  EXPECT_TRUE(run.try_act(r, principal(Role::kDepartmentHandler), now));
}

TEST(WorkflowRules, OnlyTheLeadDepartmentSigns) {
  const CaseRun run = run_to({"dispatched", {Action::kRegister, Action::kDispatch}, {}});
  const Timestamp now = run.c().updated_at + hours(1);
  const auto other =
      run.try_act(run.request(Action::kSign, now), principal(Role::kDepartmentHandler, "D02"), now);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.status().kind(), ErrorKind::kPermissionDenied);
  EXPECT_EQ(other.status().code(), "not_lead_department");
  EXPECT_TRUE(run.try_act(run.request(Action::kSign, now),
                          principal(Role::kDepartmentHandler, "D01"), now));
}

TEST(WorkflowRules, ReturnGoesBackToDispatchAndCounts) {
  CaseRun run(at("2026-10-08T08:30:00+08:00"));
  run.act(Action::kRegister, Role::kShiftLead, at("2026-10-08T08:45:00+08:00"));
  run.act(Action::kDispatch, Role::kDispatcher, at("2026-10-08T09:00:00+08:00"));
  run.act(Action::kReturn, Role::kDepartmentHandler, at("2026-10-08T11:30:00+08:00"));
  const Case& c = run.c();
  EXPECT_EQ(c.state, CaseState::kRegistered);
  EXPECT_EQ(c.return_count, 1);
  ASSERT_EQ(c.steps.size(), 4u);
  EXPECT_EQ(c.steps[2].step, Step::kHandle);
  EXPECT_EQ(c.steps[2].finished_at, at("2026-10-08T11:30:00+08:00"));
  EXPECT_EQ(c.steps[3].step, Step::kDispatch);
  EXPECT_EQ(c.steps[3].started_at, at("2026-10-08T11:30:00+08:00"));
  // One working hour from 11:30: half an hour before lunch, half an hour after.
  EXPECT_EQ(c.steps[3].due_at, at("2026-10-08T14:00:00+08:00"));
  EXPECT_FALSE(c.steps[3].finished_at);
  EXPECT_EQ(c.step, Step::kDispatch);
  EXPECT_EQ(c.due_at, c.steps[3].due_at);

  run.act(Action::kDispatch, Role::kDispatcher, at("2026-10-08T13:45:00+08:00"));
  EXPECT_EQ(run.c().state, CaseState::kDispatched);
  EXPECT_EQ(run.c().steps[3].on_time, true);
  EXPECT_EQ(run.c().return_count, 1);
}

TEST(WorkflowRules, CallbackReopensOnlyWhenTheCategorySays) {
  for (bool reopen : {true, false}) {
    for (const char* satisfaction : {"satisfied", "basically_satisfied", "dissatisfied"}) {
      SCOPED_TRACE(std::string(reopen ? "reopening " : "keeping ") + satisfaction);
      CaseRun run(kReported, reopen);
      Timestamp now = kReported;
      for (Action a : {Action::kRegister, Action::kDispatch, Action::kSign, Action::kReportHandling,
                       Action::kVerify}) {
        now += hours(1);
        run.act(a, role_for(a), now);
      }
      now += hours(1);
      run.act(Action::kCallback, Role::kIntakeClerk, now,
              [&](ActionRequest& r) { r.satisfaction = satisfaction; });
      const bool reopened = reopen && std::string(satisfaction) == "dissatisfied";
      const Case& c = run.c();
      EXPECT_EQ(c.state, reopened ? CaseState::kInProgress : CaseState::kClosed);
      EXPECT_EQ(c.reopen_count, reopened ? 1 : 0);
      EXPECT_EQ(c.satisfaction, satisfaction);
      EXPECT_EQ(c.steps.back().step, reopened ? Step::kHandle : Step::kCallback);
      EXPECT_EQ(c.steps.back().finished_at.has_value(), !reopened);
      EXPECT_EQ(c.steps.size(), reopened ? 6u : 5u);  // sign starts no step
    }
  }
}

// An extension is asked for the step that is running; once that step ends the request has
// nothing left to extend, and approving it must not move the next step's deadline.
TEST(WorkflowRules, PendingExtensionLapsesWhenItsStepEnds) {
  struct Row {
    const char* label;
    std::vector<Action> path;
    Action ends_step;
  };
  const std::vector<Row> rows = {
      {"handling reported",
       {Action::kRegister, Action::kDispatch, Action::kSign},
       Action::kReportHandling},
      {"returned", {Action::kRegister, Action::kDispatch}, Action::kReturn},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.label);
    CaseRun run = run_to({row.label, row.path, {}});
    Timestamp now = run.c().updated_at + hours(1);
    run.act(Action::kRequestExtension, Role::kDepartmentHandler, now);
    ASSERT_TRUE(run.c().extension_request);
    now += hours(1);
    run.act(row.ends_step, Role::kDepartmentHandler, now);
    const Timestamp next_due = run.c().due_at;
    EXPECT_FALSE(run.c().extension_request);
    for (Role role : {Role::kShiftLead, Role::kSupervisor}) {
      const auto approve = run.try_act(run.request(Action::kApproveExtension, now + hours(1)),
                                       principal(role), now + hours(1));
      ASSERT_FALSE(approve);
      EXPECT_EQ(approve.status().code(), "invalid_state");
    }
    EXPECT_EQ(run.c().due_at, next_due);
    EXPECT_EQ(run.c().extension_count, 0);
  }
}

struct ExpectedStep {
  Step step;
  const char* started;
  const char* due;
  const char* warn;
  const char* finished;  // null while running
  std::optional<bool> on_time;
};

void expect_steps(const Case& c, const std::vector<ExpectedStep>& expected) {
  ASSERT_EQ(c.steps.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i) + " " + std::string(to_string(expected[i].step)));
    const auto& s = c.steps[i];
    EXPECT_EQ(s.step, expected[i].step);
    EXPECT_EQ(format_rfc3339(s.started_at), expected[i].started);
    EXPECT_EQ(format_rfc3339(s.due_at), expected[i].due);
    EXPECT_EQ(format_rfc3339(s.warn_at), expected[i].warn);
    if (expected[i].finished) {
      ASSERT_TRUE(s.finished_at);
      EXPECT_EQ(format_rfc3339(*s.finished_at), expected[i].finished);
    } else {
      EXPECT_FALSE(s.finished_at);
    }
    EXPECT_EQ(s.on_time, expected[i].on_time);
  }
}

// One case through the whole loop across the National Day week, every instant worked out by
// hand from the office hours (08:30-12:00, 13:30-17:30) and the test calendar.
TEST(WorkflowLoop, StepDeadlinesAndResultsAcrossHolidays) {
  CaseRun run(at("2026-09-29T16:00:00+08:00"));
  auto act = [&](Action a, const char* when, const std::function<void(ActionRequest&)>& f = {}) {
    run.act(a, role_for(a), at(when), f);
  };
  // Register: 2 wh from Tue 16:00 = 1.5 h that day + 0.5 h Wed -> Wed 09:00; 80 % = 96 min.
  act(Action::kRegister, "2026-09-30T08:50:00+08:00");
  // Dispatch: 1 wh from 08:50 -> 09:50, warn at 48 min; dispatched late.
  act(Action::kDispatch, "2026-09-30T11:30:00+08:00");
  // Handle: 2 wd from Wed 11:30 skip 1-7 Oct -> Fri 9 Oct 11:30. Counted 4.5 + 7.5 + 3 = 15 h;
  // 80 % = 12 h runs out exactly at Thu 8 Oct 17:30.
  act(Action::kSign, "2026-10-08T09:00:00+08:00");
  act(Action::kRequestExtension, "2026-10-08T10:00:00+08:00",
      [&](ActionRequest& r) { r.until = at("2026-10-12T10:00:00+08:00"); });
  EXPECT_EQ(run.c().due_at, at("2026-10-09T11:30:00+08:00"));
  // Approved: due Mon 12 Oct 10:00. Counted 4.5 + 7.5 + 7.5 + 7.5 (Sat worked) + 1.5 = 28.5 h;
  // 80 % = 22 h 48 min -> Sat 10 Oct 11:48.
  act(Action::kApproveExtension, "2026-10-08T11:00:00+08:00");
  EXPECT_EQ(run.c().extension_count, 1);
  EXPECT_FALSE(run.c().extension_request);
  EXPECT_EQ(run.c().due_at, at("2026-10-12T10:00:00+08:00"));
  EXPECT_EQ(run.c().steps.back().warn_at, at("2026-10-10T11:48:00+08:00"));

  // Suspended Fri 16:00 to Mon 09:00: 1.5 h + 7.5 h (Sat worked) + 0.5 h = 9.5 h of office time.
  act(Action::kSuspend, "2026-10-09T16:00:00+08:00");
  act(Action::kResume, "2026-10-12T09:00:00+08:00");
  EXPECT_EQ(run.c().suspension_count, 1);
  EXPECT_FALSE(run.c().suspended);
  // Due Mon 10:00 + 9.5 h: 6 h on Monday, 3.5 h on Tuesday to exactly 12:00.
  EXPECT_EQ(run.c().due_at, at("2026-10-13T12:00:00+08:00"));
  // Warning Sat 11:48 + 9.5 h: 4 h 12 min on Saturday, 5 h 18 min on Monday -> 15:18.
  EXPECT_EQ(run.c().steps.back().warn_at, at("2026-10-12T15:18:00+08:00"));

  // Verify: 4 wh from Tue 11:00 -> 16:30; failed at 17:00, late, rework.
  act(Action::kReportHandling, "2026-10-13T11:00:00+08:00");
  act(Action::kVerify, "2026-10-13T17:00:00+08:00", [](ActionRequest& r) { r.result = "fail"; });
  EXPECT_EQ(run.c().state, CaseState::kInProgress);
  EXPECT_EQ(run.c().rework_count, 1);
  // Rework: 2 wd from Tue 17:00 -> Thu 15 Oct 17:00; counted 0.5 + 7.5 + 7 = 15 h, 80 % at
  // Thu 14:00.
  act(Action::kReportHandling, "2026-10-14T10:00:00+08:00");
  // Verify: 4 wh from Wed 10:00 -> 15:30; passed at 15:00.
  act(Action::kVerify, "2026-10-14T15:00:00+08:00");
  // Callback: 3 wd from Wed 15:00 skips the weekend -> Mon 19 Oct 15:00; counted
  // 2.5 + 7.5 + 7.5 + 5 = 22.5 h, 80 % = 18 h -> Mon 09:00.
  act(Action::kCallback, "2026-10-16T10:00:00+08:00",
      [](ActionRequest& r) { r.satisfaction = "dissatisfied"; });
  EXPECT_EQ(run.c().state, CaseState::kInProgress);
  EXPECT_EQ(run.c().reopen_count, 1);
  // Reopened handle: 2 wd from Fri 10:00 -> Tue 20 Oct 10:00; counted 6 + 7.5 + 1.5 = 15 h,
  // 80 % = 12 h -> Mon 19 Oct 16:00.
  act(Action::kReportHandling, "2026-10-19T09:00:00+08:00");
  // Verify: 4 wh from Mon 09:00 -> 14:30, warn 3.2 h -> 13:42.
  act(Action::kVerify, "2026-10-19T10:00:00+08:00");
  // Callback: 3 wd from Mon 10:00 -> Thu 22 Oct 10:00; counted 6 + 7.5 + 7.5 + 1.5 = 22.5 h,
  // 80 % = 18 h -> Wed 21 Oct 14:30.
  act(Action::kCallback, "2026-10-20T09:00:00+08:00");

  const Case& c = run.c();
  EXPECT_EQ(c.state, CaseState::kClosed);
  EXPECT_EQ(c.rework_count, 1);
  EXPECT_EQ(c.return_count, 0);
  EXPECT_EQ(c.extension_count, 1);
  EXPECT_EQ(c.suspension_count, 1);
  EXPECT_EQ(c.reopen_count, 1);
  EXPECT_EQ(c.satisfaction, "satisfied");
  expect_steps(c, {
                      {Step::kRegister, "2026-09-29T16:00:00+08:00", "2026-09-30T09:00:00+08:00",
                       "2026-09-30T08:36:00+08:00", "2026-09-30T08:50:00+08:00", true},
                      {Step::kDispatch, "2026-09-30T08:50:00+08:00", "2026-09-30T09:50:00+08:00",
                       "2026-09-30T09:38:00+08:00", "2026-09-30T11:30:00+08:00", false},
                      {Step::kHandle, "2026-09-30T11:30:00+08:00", "2026-10-13T12:00:00+08:00",
                       "2026-10-12T15:18:00+08:00", "2026-10-13T11:00:00+08:00", true},
                      {Step::kVerify, "2026-10-13T11:00:00+08:00", "2026-10-13T16:30:00+08:00",
                       "2026-10-13T15:42:00+08:00", "2026-10-13T17:00:00+08:00", false},
                      {Step::kHandle, "2026-10-13T17:00:00+08:00", "2026-10-15T17:00:00+08:00",
                       "2026-10-15T14:00:00+08:00", "2026-10-14T10:00:00+08:00", true},
                      {Step::kVerify, "2026-10-14T10:00:00+08:00", "2026-10-14T15:30:00+08:00",
                       "2026-10-14T14:42:00+08:00", "2026-10-14T15:00:00+08:00", true},
                      {Step::kCallback, "2026-10-14T15:00:00+08:00", "2026-10-19T15:00:00+08:00",
                       "2026-10-19T09:00:00+08:00", "2026-10-16T10:00:00+08:00", true},
                      {Step::kHandle, "2026-10-16T10:00:00+08:00", "2026-10-20T10:00:00+08:00",
                       "2026-10-19T16:00:00+08:00", "2026-10-19T09:00:00+08:00", true},
                      {Step::kVerify, "2026-10-19T09:00:00+08:00", "2026-10-19T14:30:00+08:00",
                       "2026-10-19T13:42:00+08:00", "2026-10-19T10:00:00+08:00", true},
                      {Step::kCallback, "2026-10-19T10:00:00+08:00", "2026-10-22T10:00:00+08:00",
                       "2026-10-21T14:30:00+08:00", "2026-10-20T09:00:00+08:00", true},
                  });

  // The case is the projection of its events.
  const auto projected = project(run.events());
  ASSERT_TRUE(projected) << projected.status().message();
  EXPECT_EQ(case_to_record(*projected), case_to_record(c));
}

TEST(WorkflowLoop, EveryStateTableCaseIsTheProjectionOfItsEvents) {
  for (const auto& state : state_table()) {
    SCOPED_TRACE(state.label);
    const CaseRun run = run_to(state);
    const auto projected = project(run.events());
    ASSERT_TRUE(projected) << projected.status().message();
    EXPECT_EQ(case_to_record(*projected), case_to_record(run.c()));
  }
}

}  // namespace
}  // namespace cityops
