// Names of actions and the tables of who may act and when.
#include <algorithm>
#include <array>
#include <utility>

#include "domain/workflow.h"

namespace cityops {

namespace {

constexpr std::array<std::pair<Action, std::string_view>, 19> kActionNames{{
    {Action::kRegister, "register"},
    {Action::kReject, "reject"},
    {Action::kMerge, "merge"},
    {Action::kDispatch, "dispatch"},
    {Action::kSign, "sign"},
    {Action::kReturn, "return"},
    {Action::kReportHandling, "report_handling"},
    {Action::kVerify, "verify"},
    {Action::kRequestExtension, "request_extension"},
    {Action::kApproveExtension, "approve_extension"},
    {Action::kDenyExtension, "deny_extension"},
    {Action::kSuspend, "suspend"},
    {Action::kResume, "resume"},
    {Action::kUrge, "urge"},
    {Action::kSupervise, "supervise"},
    {Action::kCancel, "cancel"},
    {Action::kCallback, "callback"},
    {Action::kComment, "comment"},
    {Action::kSelfHandle, "self_handle"},
}};

}  // namespace

std::optional<Action> parse_action(std::string_view text) {
  for (const auto& [action, name] : kActionNames) {
    if (name == text) return action;
  }
  return std::nullopt;
}

std::string_view to_string(Action action) {
  for (const auto& [candidate, name] : kActionNames) {
    if (candidate == action) return name;
  }
  return "register";
}

const std::vector<Action>& all_actions() {
  static const std::vector<Action> kAll = [] {
    std::vector<Action> all;
    for (const auto& entry : kActionNames) all.push_back(entry.first);
    return all;
  }();
  return kAll;
}

bool role_may(Role role, Action action) {
  switch (action) {
    case Action::kRegister:
    case Action::kReject:
    case Action::kMerge:
    case Action::kSuspend:
    case Action::kResume:
    case Action::kCancel:
      return role == Role::kShiftLead;
    case Action::kDispatch:
      return role == Role::kDispatcher;
    case Action::kUrge:
      return role == Role::kDispatcher || role == Role::kSupervisor;
    case Action::kSign:
    case Action::kReturn:
    case Action::kReportHandling:
    case Action::kRequestExtension:
      return role == Role::kDepartmentHandler;
    case Action::kApproveExtension:
    case Action::kDenyExtension:
      return role == Role::kShiftLead || role == Role::kSupervisor;
    case Action::kSupervise:
      return role == Role::kSupervisor;
    case Action::kVerify:
      return role == Role::kInspector;
    case Action::kCallback:
      return role == Role::kIntakeClerk;
    case Action::kSelfHandle:
      return role == Role::kGridWorker;
    case Action::kComment:
      // A note on the record changes nothing; whoever may see the case may add one.
      return role != Role::kViewer;
  }
  return false;
}

namespace {

// Whether the callback step is still waiting on a closed case.
bool awaiting_callback(const Case& c) {
  return c.state == CaseState::kClosed && !c.steps.empty() &&
         c.steps.back().step == Step::kCallback && !c.steps.back().finished_at;
}

bool state_allows(const Case& c, Action action) {
  const CaseState s = c.state;
  const bool open = is_open(s);
  // Notes are welcome at any time, closed and suspended cases included.
  if (action == Action::kComment) return true;
  if (c.suspended) {
    // A suspended case waits: it can only be resumed, cancelled, urged or supervised.
    return action == Action::kResume || action == Action::kCancel || action == Action::kUrge ||
           action == Action::kSupervise;
  }
  switch (action) {
    case Action::kRegister:
    case Action::kReject:
    case Action::kMerge:
      return s == CaseState::kReported;
    case Action::kDispatch:
      return s == CaseState::kRegistered;
    case Action::kSign:
    case Action::kReturn:
      return s == CaseState::kDispatched;
    case Action::kReportHandling:
      return s == CaseState::kInProgress;
    case Action::kVerify:
      return s == CaseState::kHandled;
    case Action::kRequestExtension:
      return (s == CaseState::kDispatched || s == CaseState::kInProgress) && !c.extension_request;
    case Action::kApproveExtension:
    case Action::kDenyExtension:
      return open && c.extension_request.has_value();
    case Action::kSuspend:
    case Action::kCancel:
    case Action::kUrge:
    case Action::kSupervise:
      return open;
    case Action::kResume:
      return false;
    case Action::kCallback:
      return awaiting_callback(c);
    case Action::kComment:
      return true;
    case Action::kSelfHandle:
      // Before anyone registers it: once the centre has taken it on, a department handles it.
      return s == CaseState::kReported;
  }
  return false;
}

}  // namespace

std::vector<Action> actions_in_state(const Case& c) {
  std::vector<Action> out;
  for (Action a : all_actions()) {
    if (state_allows(c, a)) out.push_back(a);
  }
  return out;
}

std::vector<Action> allowed_actions(const Case& c, Role role) {
  auto out = actions_in_state(c);
  std::erase_if(out, [role](Action a) { return !role_may(role, a); });
  return out;
}

bool lead_only(Action action) {
  return action == Action::kSign || action == Action::kReturn ||
         action == Action::kReportHandling || action == Action::kRequestExtension;
}

std::vector<Action> allowed_actions(const Case& c, const Principal& actor) {
  auto out = allowed_actions(c, actor.role);
  if (actor.department != c.department) std::erase_if(out, lead_only);
  return out;
}

}  // namespace cityops
