// The workflow as a table: every role, action and state, and replays of every state.
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
    case Action::kSelfHandle:
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
  // 19 states × 9 roles × 19 actions.
  EXPECT_EQ(allowed_checked + refused_role + refused_state, 19 * 9 * 19);
  EXPECT_EQ(refused_role, 19 * (9 * 19 - 29));  // 29 role-action pairs are allowed
}

TEST(WorkflowTable, RoleMayMatchesTheHandWrittenTable) {
  for (Role role : all_roles()) {
    for (Action action : all_actions()) {
      SCOPED_TRACE(std::string(to_string(role)) + " " + std::string(to_string(action)));
      EXPECT_EQ(role_may(role, action), role_table().at(role).count(action) == 1);
    }
  }
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
