// The case workflow: who may do what to a case in which state, and what each action does.
//
// `decide` is pure: given a case, a request, the actor and the time, it either refuses (with a
// Status whose kind maps to 403, 409 or 400) or returns the case as it will be and the one
// event that records the change. Nothing is written here; the workflow service stores the
// pair in one transaction, guarded by the version the client saw.
//
// Checks run in this order: the actor's role, the version the client saw, the case's state,
// then the request's own fields.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/calendar.h"
#include "domain/case.h"
#include "domain/role.h"
#include "domain/taxonomy.h"

namespace cityops {

enum class Action {
  kRegister,
  kReject,
  kMerge,
  kDispatch,
  kSign,
  kReturn,
  kReportHandling,
  kVerify,
  kRequestExtension,
  kApproveExtension,
  kDenyExtension,
  kSuspend,
  kResume,
  kUrge,
  kSupervise,
  kCancel,
  kCallback,
  kComment,
  kSelfHandle,  // 自处置: the grid worker who found a minor matter handles it on the spot
};

// "register", "reject", "merge", "dispatch", "sign", "return", "report_handling", "verify",
// "request_extension", "approve_extension", "deny_extension", "suspend", "resume", "urge",
// "supervise", "cancel", "callback", "comment", "self_handle".
std::optional<Action> parse_action(std::string_view text);
std::string_view to_string(Action action);
const std::vector<Action>& all_actions();

struct ActionRequest {
  Action action = Action::kRegister;
  int64_t version = 0;  // the case version the client saw
  std::string note;
  std::string reason;                       // return, reject, cancel, suspend, extension
  std::string department;                   // dispatch: the lead
  std::vector<std::string> co_departments;  // dispatch
  std::string target;                       // merge: the case that goes on
  std::vector<std::string> photos;          // report_handling, verify, self_handle (after)
  std::string result;                       // verify: "pass" or "fail"
  std::optional<Timestamp> until;           // request_extension
  std::string satisfaction;  // callback: satisfied, basically_satisfied, dissatisfied
};

struct WorkflowContext {
  Timestamp now{};
  const Category* category = nullptr;  // the case's category
  const WorkCalendar* calendar = nullptr;
  std::function<bool(std::string_view)> department_exists;
  double warn_share = 0.8;  // the share of a limit after which a step turns yellow
  // Whether the case's category may be handled on the spot by the worker who found it.
  bool self_handling_allowed = false;
};

// The case attribute naming the grid worker whose patrol report opened the case; only that
// worker may self_handle it.
inline constexpr std::string_view kPatrolWorkerAttribute = "patrol_worker";

struct Decision {
  Case after;
  CaseEvent event;
};

// True when the role may take the action at all (scope and state aside).
bool role_may(Role role, Action action);
// The actions the case's state allows now, whoever asks.
std::vector<Action> actions_in_state(const Case& c);
// The actions this role may take on this case now.
std::vector<Action> allowed_actions(const Case& c, Role role);
// As above, for a user: a co-handling department's handler is offered no lead-only action.
std::vector<Action> allowed_actions(const Case& c, const Principal& actor);
// Sign, return, report handling and extension requests belong to the lead department.
bool lead_only(Action action);

Result<Decision> decide(const Case& before, const ActionRequest& request, const Principal& actor,
                        const WorkflowContext& context);

// Starts a timed step at `now`: limit from the category, due time and warning time from the
// calendar. Used at intake for the first step and by the workflow for the rest.
void start_step(Case& c, Step step, Timestamp now, const Category& category,
                const WorkCalendar& calendar, double warn_share);

// The instant at which `share` of the step's counted time has passed.
Timestamp warning_time(const StepRecord& step, const WorkCalendar& calendar, double share);

}  // namespace cityops
