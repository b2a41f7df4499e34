// What each workflow action does to a case.
#include "domain/workflow.h"

#include <fmt/format.h>
#include <algorithm>

#include "domain/case_record.h"

namespace cityops {

namespace {

// Working-day limits are counted through their office time, so shares and shifts of them are
// expressed in working hours.
TimeUnit counting_unit(TimeUnit unit) {
  return unit == TimeUnit::kNaturalHours ? TimeUnit::kNaturalHours : TimeUnit::kWorkingHours;
}

Timestamp shift_by_counted(const WorkCalendar& calendar, Timestamp from, std::chrono::seconds s,
                           TimeUnit unit) {
  if (s.count() <= 0) return from;
  return calendar.add(from, TimeLimit{static_cast<double>(s.count()) / 3600.0, counting_unit(unit)})
      .due;
}

// Closes the current step at `now`; `evaluated` false leaves on_time unset (a cancelled case's
// step is not judged).
void finish_step(Case& c, Timestamp now, bool evaluated, CaseEvent& event) {
  if (c.steps.empty() || c.steps.back().finished_at) return;
  auto& step = c.steps.back();
  step.finished_at = now;
  // An extension asked for this step lapses with it; approving it later must not move the
  // next step's deadline.
  c.extension_request.reset();
  event.step_due_at = step.due_at;
  if (evaluated) {
    step.on_time = now <= step.due_at;
    event.on_time = step.on_time;
  }
}

Status require_reason(const ActionRequest& r) {
  if (r.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid("missing_reason", "this action needs a reason", "reason");
  }
  return Status::ok();
}

std::string join(const std::vector<Action>& actions) {
  std::string out;
  for (Action a : actions) out += (out.empty() ? "" : ", ") + std::string(to_string(a));
  return out;
}

Status apply_dispatch(Case& c, const ActionRequest& r, const WorkflowContext& ctx) {
  const std::string lead = r.department.empty() ? c.department : r.department;
  if (lead.empty()) return invalid("missing_department", "name the lead department", "department");
  if (!ctx.department_exists(lead)) {
    return invalid("unknown_department", "no department " + lead, "department");
  }
  std::vector<std::string> co;
  for (const auto& d : r.co_departments) {
    if (!ctx.department_exists(d)) {
      return invalid("unknown_department", "no department " + d, "co_departments");
    }
    if (d != lead && std::find(co.begin(), co.end(), d) == co.end()) co.push_back(d);
  }
  c.department = lead;
  c.co_departments = r.department.empty() && r.co_departments.empty() ? c.co_departments : co;
  return Status::ok();
}

Status apply_verify(Case& c, const ActionRequest& r, const WorkflowContext& ctx, CaseEvent& event) {
  if (r.result != "pass" && r.result != "fail") {
    return invalid("invalid_result", "result is pass or fail", "result");
  }
  finish_step(c, ctx.now, true, event);
  if (r.result == "pass") {
    event.to_state = CaseState::kClosed;
    start_step(c, Step::kCallback, ctx.now, *ctx.category, *ctx.calendar, ctx.warn_share);
  } else {
    // A failed check sends the work back to the department: rework, counted.
    ++c.rework_count;
    event.to_state = CaseState::kInProgress;
    start_step(c, Step::kHandle, ctx.now, *ctx.category, *ctx.calendar, ctx.warn_share);
  }
  return Status::ok();
}

Status apply_callback(Case& c, const ActionRequest& r, const WorkflowContext& ctx,
                      CaseEvent& event) {
  if (r.satisfaction != "satisfied" && r.satisfaction != "basically_satisfied" &&
      r.satisfaction != "dissatisfied") {
    return invalid("invalid_satisfaction",
                   "satisfaction is satisfied, basically_satisfied or dissatisfied",
                   "satisfaction");
  }
  finish_step(c, ctx.now, true, event);
  c.satisfaction = r.satisfaction;
  if (r.satisfaction == "dissatisfied" && ctx.category->reopen_on_dissatisfied) {
    ++c.reopen_count;
    event.to_state = CaseState::kInProgress;
    start_step(c, Step::kHandle, ctx.now, *ctx.category, *ctx.calendar, ctx.warn_share);
  }
  return Status::ok();
}

Status apply_extension_request(Case& c, const ActionRequest& r, const WorkflowContext& ctx,
                               const Principal& actor) {
  CITYOPS_RETURN_IF_ERROR(require_reason(r));
  if (!r.until) return invalid("missing_until", "until is required", "until");
  if (*r.until <= ctx.now) return invalid("until_in_past", "until must be in the future", "until");
  if (*r.until > ctx.now + std::chrono::days(366)) {
    return invalid("until_too_far", "an extension reaches at most a year ahead", "until");
  }
  if (*r.until <= c.due_at) {
    return invalid("until_not_later", "until must be later than the current due time", "until");
  }
  c.extension_request = ExtensionRequest{*r.until, r.reason, actor.username};
  return Status::ok();
}

Status apply_resume(Case& c, const WorkflowContext& ctx) {
  // Suspended time does not count: the due and warning times move by the counted time the
  // case spent suspended.
  const auto unit = c.step_limit.unit;
  const auto paused = ctx.calendar->counted_between(c.suspended_at, ctx.now, unit);
  if (!c.steps.empty() && !c.steps.back().finished_at) {
    auto& step = c.steps.back();
    step.due_at = shift_by_counted(*ctx.calendar, step.due_at, paused, unit);
    step.warn_at = shift_by_counted(*ctx.calendar, step.warn_at, paused, unit);
    c.due_at = step.due_at;
  }
  c.suspended = false;
  return Status::ok();
}

// 自处置: the worker who reported the matter on patrol handles it at once. The report's photos
// are the before photos, `photos` the after photos; an inspector verifies it as any handling.
Status apply_self_handle(Case& c, const ActionRequest& r, const Principal& actor,
                         const WorkflowContext& ctx, CaseEvent& event) {
  if (!ctx.self_handling_allowed) {
    return Status(ErrorKind::kConflict, "self_handling_not_allowed",
                  "category " + c.category + " must be handled by its department", "category");
  }
  const auto worker = c.attributes.find(std::string(kPatrolWorkerAttribute));
  if (worker == c.attributes.end() || worker->second.empty() ||
      worker->second.front() != actor.username) {
    return Status(ErrorKind::kPermissionDenied, "not_reporting_worker",
                  "only the grid worker who reported the case on patrol may handle it on the spot");
  }
  if (r.note.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid("missing_note", "say what was done", "note");
  }
  if (r.photos.empty()) return invalid("missing_photos", "add the after photos", "photos");
  c.handling_photos = r.photos;
  finish_step(c, ctx.now, true, event);
  event.to_state = CaseState::kHandled;
  start_step(c, Step::kVerify, ctx.now, *ctx.category, *ctx.calendar, ctx.warn_share);
  return Status::ok();
}

// The state change and its effects; the caller has checked role, version and state.
Status apply(Case& c, const ActionRequest& r, const Principal& actor, const WorkflowContext& ctx,
             CaseEvent& event) {
  const Timestamp now = ctx.now;
  switch (r.action) {
    case Action::kRegister:
      finish_step(c, now, true, event);
      event.to_state = CaseState::kRegistered;
      start_step(c, Step::kDispatch, now, *ctx.category, *ctx.calendar, ctx.warn_share);
      return Status::ok();
    case Action::kReject:
      CITYOPS_RETURN_IF_ERROR(require_reason(r));
      finish_step(c, now, true, event);
      event.to_state = CaseState::kRejected;
      return Status::ok();
    case Action::kMerge:
      if (r.target.empty())
        return invalid("missing_target", "name the case to merge into", "target");
      if (r.target == c.number)
        return invalid("invalid_target", "a case cannot merge into itself", "target");
      finish_step(c, now, true, event);
      c.merged_into = r.target;
      event.to_state = CaseState::kMerged;
      return Status::ok();
    case Action::kDispatch:
      CITYOPS_RETURN_IF_ERROR(apply_dispatch(c, r, ctx));
      finish_step(c, now, true, event);
      event.to_state = CaseState::kDispatched;
      start_step(c, Step::kHandle, now, *ctx.category, *ctx.calendar, ctx.warn_share);
      return Status::ok();
    case Action::kSign:
      event.to_state = CaseState::kInProgress;
      return Status::ok();
    case Action::kReturn:
      CITYOPS_RETURN_IF_ERROR(require_reason(r));
      ++c.return_count;
      finish_step(c, now, true, event);
      event.to_state = CaseState::kRegistered;
      start_step(c, Step::kDispatch, now, *ctx.category, *ctx.calendar, ctx.warn_share);
      return Status::ok();
    case Action::kReportHandling:
      if (r.note.find_first_not_of(" \t\r\n") == std::string::npos) {
        return invalid("missing_note", "say what was done", "note");
      }
      c.handling_photos = r.photos;
      finish_step(c, now, true, event);
      event.to_state = CaseState::kHandled;
      start_step(c, Step::kVerify, now, *ctx.category, *ctx.calendar, ctx.warn_share);
      return Status::ok();
    case Action::kVerify:
      return apply_verify(c, r, ctx, event);
    case Action::kRequestExtension:
      return apply_extension_request(c, r, ctx, actor);
    case Action::kApproveExtension: {
      const Timestamp until = c.extension_request->until;
      c.extension_request.reset();
      ++c.extension_count;
      if (!c.steps.empty()) {
        auto& step = c.steps.back();
        step.due_at = until;
        step.warn_at = warning_time(step, *ctx.calendar, ctx.warn_share);
        step.overdue = false;
        step.warned = false;
      }
      c.due_at = until;
      return Status::ok();
    }
    case Action::kDenyExtension:
      c.extension_request.reset();
      return Status::ok();
    case Action::kSuspend:
      CITYOPS_RETURN_IF_ERROR(require_reason(r));
      c.suspended = true;
      c.suspended_at = now;
      ++c.suspension_count;
      return Status::ok();
    case Action::kResume:
      return apply_resume(c, ctx);
    case Action::kUrge:
      ++c.urge_count;
      return Status::ok();
    case Action::kSupervise:
      c.supervised = true;
      ++c.supervise_count;
      return Status::ok();
    case Action::kCancel:
      CITYOPS_RETURN_IF_ERROR(require_reason(r));
      finish_step(c, now, false, event);
      c.suspended = false;
      event.to_state = CaseState::kCancelled;
      return Status::ok();
    case Action::kCallback:
      return apply_callback(c, r, ctx, event);
    case Action::kSelfHandle:
      return apply_self_handle(c, r, actor, ctx, event);
    case Action::kComment:
      if (r.note.find_first_not_of(" \t\r\n") == std::string::npos) {
        return invalid("missing_note", "a comment needs its text", "note");
      }
      return Status::ok();
  }
  return internal_error("unhandled action");
}

// The record fields that changed, for the event.
nlohmann::json changed_fields(const Case& before, const Case& after) {
  const auto old_record = case_to_record(before);
  auto new_record = case_to_record(after);
  nlohmann::json changes = nlohmann::json::object();
  for (const auto& [key, value] : new_record.items()) {
    if (key == "version" || key == "updated_at" || key == "state") continue;
    if (!old_record.contains(key) || old_record[key] != value) changes[key] = value;
  }
  return changes;
}

}  // namespace

Timestamp warning_time(const StepRecord& step, const WorkCalendar& calendar, double share) {
  const auto unit = step.limit.unit;
  const auto total = calendar.counted_between(step.started_at, step.due_at, unit);
  const auto part = std::chrono::seconds(static_cast<int64_t>(total.count() * share));
  return shift_by_counted(calendar, step.started_at, part, unit);
}

void start_step(Case& c, Step step, Timestamp now, const Category& category,
                const WorkCalendar& calendar, double warn_share) {
  StepRecord record;
  record.step = step;
  record.started_at = now;
  record.limit = category.limit(c.urgency, step);
  record.due_at = calendar.add(now, record.limit).due;
  record.warn_at = warning_time(record, calendar, warn_share);
  c.steps.push_back(record);
  c.step = step;
  c.step_started_at = now;
  c.step_limit = record.limit;
  c.due_at = record.due_at;
}

Result<Decision> decide(const Case& before, const ActionRequest& request, const Principal& actor,
                        const WorkflowContext& context) {
  if (!role_may(actor.role, request.action)) {
    return Status(
        ErrorKind::kPermissionDenied, "forbidden_role",
        fmt::format("role {} may not {}", to_string(actor.role), to_string(request.action)));
  }
  if (request.version != before.version) {
    return Status(ErrorKind::kConflict, "stale_version",
                  fmt::format("the case is at version {}, not {}; reload it", before.version,
                              request.version),
                  "version");
  }
  const auto possible = actions_in_state(before);
  if (std::find(possible.begin(), possible.end(), request.action) == possible.end()) {
    return Status(
        ErrorKind::kConflict, "invalid_state",
        fmt::format("cannot {} a case that is {}{}; allowed now: {}", to_string(request.action),
                    to_string(before.state), before.suspended ? " (suspended)" : "",
                    join(allowed_actions(before, actor.role))));
  }

  // The lead department answers for the case; co-handling departments see it but do not sign,
  // return, report it handled or ask for more time on its behalf.
  if (lead_only(request.action) && actor.department != before.department) {
    return Status(ErrorKind::kPermissionDenied, "not_lead_department",
                  "only the lead department may " + std::string(to_string(request.action)));
  }

  Case after = before;
  CaseEvent event;
  event.case_number = before.number;
  event.version = before.version + 1;
  event.action = std::string(to_string(request.action));
  event.actor = actor.username;
  event.at = context.now;
  event.from_state = before.state;
  event.to_state = before.state;
  event.note = request.note.empty() ? request.reason : request.note;
  event.attachments = request.photos;
  if (!before.steps.empty()) event.step_due_at = before.steps.back().due_at;
  CITYOPS_RETURN_IF_ERROR(apply(after, request, actor, context, event));

  after.state = event.to_state;
  after.version = event.version;
  after.updated_at = context.now;
  event.data = changed_fields(before, after);
  return Decision{std::move(after), std::move(event)};
}

}  // namespace cityops
