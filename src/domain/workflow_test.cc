#include "domain/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/case_record.h"
#include "support/workflow_cases.h"

namespace cityops {
namespace {

using namespace std::chrono;
using namespace workflow_testing;

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

}  // namespace
}  // namespace cityops
