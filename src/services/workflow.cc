#include "services/workflow.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "domain/case_record.h"

namespace cityops::services {

WorkflowService::WorkflowService(store::Store& store, ReferenceSource reference, const Clock& clock,
                                 DuplicateIndex& duplicates, double warn_share)
    : store_(store),
      reference_(std::move(reference)),
      clock_(clock),
      duplicates_(duplicates),
      warn_share_(warn_share) {}

WorkflowContext WorkflowService::context_for(const Case& c, const ReferenceData& reference,
                                             Timestamp now) const {
  WorkflowContext context;
  context.now = now;
  context.category = reference.taxonomy().find(c.category);
  context.calendar = &reference.calendar();
  context.department_exists = [&reference](std::string_view code) {
    return reference.department(code) != nullptr;
  };
  context.warn_share = warn_share_;
  context.self_handling_allowed =
      context.category && reference.self_handling().allows(*context.category);
  return context;
}

Result<store::CaseChange> WorkflowService::merge_into_target(const Case& merged,
                                                             const std::string& target,
                                                             const Principal& actor,
                                                             Timestamp now) {
  auto found = store_.find_case(target);
  if (!found) return found.status();
  if (!*found) {
    return Status(ErrorKind::kFailedPrecondition, "unknown_target", "no case numbered " + target,
                  "target");
  }
  Case after = **found;
  if (!is_open(after.state)) {
    return Status(
        ErrorKind::kConflict, "target_closed",
        fmt::format("case {} is {}; merge into an open case", target, to_string(after.state)),
        "target");
  }
  const Case before = after;
  after.merged_cases.push_back(merged.number);
  after.version += 1;
  after.updated_at = now;

  CaseEvent event;
  event.case_number = target;
  event.version = after.version;
  event.action = "merge";
  event.actor = actor.username;
  event.at = now;
  event.from_state = before.state;
  event.to_state = before.state;
  event.note = "merged in " + merged.number;
  event.data = {{"merged_cases", after.merged_cases}};
  return store::CaseChange{std::move(after), std::move(event)};
}

Result<ActionOutcome> WorkflowService::act(const std::string& number, const ActionRequest& request,
                                           const Principal& actor) {
  auto found = store_.find_case(number);
  if (!found) return found.status();
  if (!*found) return not_found("case_not_found", "no case numbered " + number);
  const Case& before = **found;
  if (!in_scope(actor, before)) {
    return Status(ErrorKind::kPermissionDenied, "out_of_scope",
                  "case " + number + " is outside your department or grids");
  }

  const auto reference = reference_();
  const Timestamp now = clock_.now();
  const auto context = context_for(before, *reference, now);
  if (!context.category) {
    return internal_error("case " + number + " names an unknown category " + before.category);
  }
  auto decision = decide(before, request, actor, context);
  if (!decision) return decision.status();

  std::vector<store::CaseChange> changes;
  changes.push_back({decision->after, decision->event});
  if (request.action == Action::kMerge) {
    auto target = merge_into_target(before, request.target, actor, now);
    if (!target) return target.status();
    changes.push_back(std::move(target).value());
  }
  CITYOPS_RETURN_IF_ERROR(store_.apply_changes(changes));

  const Case& after = decision->after;
  if (is_open(before.state) && !is_open(after.state)) {
    duplicates_.remove(after.number);
  } else if (is_open(after.state) &&
             (!is_open(before.state) || before.category != after.category)) {
    // Reopened, or filed under another category: it is a candidate under its category now.
    duplicates_.remove(after.number);
    duplicates_.add(after.category, after.number, after.location, after.reported_at);
  }
  spdlog::info("case {} {} by {} ({} -> {}), due {}", number, to_string(request.action),
               actor.username, to_string(before.state), to_string(after.state),
               format_rfc3339(after.due_at));
  return ActionOutcome{after, decision->event};
}

}  // namespace cityops::services
