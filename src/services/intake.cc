#include "services/intake.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <future>

#include "domain/workflow.h"

namespace cityops::services {

std::vector<std::string> calendar_warnings(const std::vector<int>& unpublished_years) {
  std::vector<std::string> warnings;
  for (int year : unpublished_years) {
    warnings.push_back(fmt::format(
        "calendar_unpublished:{}: no official holiday calendar is loaded for {}; Monday to "
        "Friday were counted as working days and no holidays were assumed",
        year, year));
  }
  return warnings;
}

IntakeService::IntakeService(store::Store& store, ReferenceSource reference, const Clock& clock,
                             IntakeSettings settings)
    : store_(store),
      reference_(std::move(reference)),
      clock_(clock),
      settings_(std::move(settings)) {}

Status IntakeService::warm_up() {
  auto open = store_.open_case_points();
  if (!open) return open.status();
  for (const auto& c : *open) duplicates_.add(c.category, c.number, c.location, c.reported_at);
  spdlog::info("duplicate index holds {} open cases", open->size());
  return Status::ok();
}

Result<Case> resolve_report(const NewCase& input, const ReferenceData& reference,
                            Timestamp reported_at, double warn_share) {
  const Category* category = reference.taxonomy().find(input.category);
  if (!category) {
    return invalid("unknown_category", "no category with code " + input.category, "category");
  }

  Case draft;
  draft.category = reference.taxonomy().ref_of(*category);
  draft.urgency = input.urgency;
  draft.channel = input.channel;
  draft.description = input.description;
  draft.address = input.address;
  draft.component = input.component;
  draft.reporter = input.reporter;
  draft.photos = input.photos;
  draft.attributes = input.attributes;
  draft.idempotency_key = input.idempotency_key;
  draft.reported_datum = input.datum;
  draft.reported_location = input.location;
  draft.location = geo::convert(input.location, input.datum, geo::Datum::kWgs84);

  const Placement placement = reference.place(draft.location);
  if (placement.unit_grid.empty()) {
    return Status(ErrorKind::kFailedPrecondition, "outside_district",
                  fmt::format("the point ({:.6f}, {:.6f}) in {} lies outside the district's "
                              "unit grids",
                              input.location.lon, input.location.lat, geo::to_string(input.datum)),
                  "location");
  }
  draft.unit_grid = placement.unit_grid;
  draft.community = placement.community;
  draft.street = placement.street;
  draft.governance_grid = placement.governance_grid;

  const RouteDecision route = reference.router().route(*category, draft.street);
  draft.department = route.lead;
  draft.co_departments = route.co_departments;
  draft.routing_reason = route.reason;

  draft.reported_at = reported_at;
  draft.updated_at = reported_at;
  start_step(draft, Step::kRegister, reported_at, *category, reference.calendar(), warn_share);
  return draft;
}

namespace {

// Whether a retry carries the report its key was first used for.
bool same_report(const Case& retry, const Case& stored) {
  return retry.category == stored.category && retry.description == stored.description &&
         retry.channel == stored.channel && retry.address == stored.address &&
         retry.component == stored.component && retry.reported_datum == stored.reported_datum &&
         retry.reported_location.lon == stored.reported_location.lon &&
         retry.reported_location.lat == stored.reported_location.lat &&
         retry.reporter.name == stored.reporter.name &&
         retry.reporter.phone == stored.reporter.phone && retry.attributes == stored.attributes;
}

}  // namespace

Result<NewCase> IntakeService::with_component(const NewCase& input,
                                              const ReferenceData& reference) const {
  const Category* category = reference.taxonomy().find(input.category);
  if (!category) {
    return invalid("unknown_category", "no category with code " + input.category, "category");
  }
  auto found = store_.find_component(input.component);
  if (!found) return found.status();
  if (!*found) {
    return invalid("unknown_component", "no component has the id " + input.component, "component");
  }
  const Component& component = **found;
  // A component and the matter of its anomaly share the code: either kind names it.
  if (component.category != category->code) {
    return invalid("component_category_mismatch",
                   fmt::format("component {} is of category {}, the case of category {}",
                               component.id, component.category, category->code),
                   "component");
  }
  NewCase resolved = input;
  if (!input.location_given) {
    resolved.location = component.location;
    resolved.datum = geo::Datum::kWgs84;
  }
  return resolved;
}

std::vector<ComponentSuggestion> IntakeService::suggest_components(
    const Case& draft, const ReferenceData& reference) const {
  const Category* category = reference.taxonomy().find(draft.category);
  if (!category || !reference.taxonomy().find(CategoryKind::kComponent, category->code)) {
    return {};
  }
  store::ComponentQuery query;
  query.near = store::ComponentQuery::Point{draft.location.lon, draft.location.lat};
  query.radius_m = settings_.suggestion_radius_m;
  query.category = category->code;
  query.limit = static_cast<int>(settings_.suggestion_limit);
  auto page = store_.list_components(query);
  // Suggestions help the clerk; a failed search must not refuse the report.
  if (!page) {
    spdlog::warn("component suggestions unavailable: {}", page.status().message());
    return {};
  }
  std::vector<ComponentSuggestion> out;
  for (const auto& c : page->items) {
    out.push_back({c.id, c.name, geo::distance_m(draft.location, c.location)});
  }
  return out;
}

Result<Case> IntakeService::prepare(const NewCase& given, IntakeOutcome& outcome) const {
  const auto reference = reference_();
  NewCase input = given;
  if (!given.component.empty()) {
    auto resolved = with_component(given, *reference);
    if (!resolved) return resolved.status();
    input = std::move(resolved).value();
  }
  auto draft = resolve_report(input, *reference, input.reported_at.value_or(clock_.now()),
                              settings_.warn_share);
  if (!draft) return draft.status();
  if (input.component.empty())
    outcome.component_suggestions = suggest_components(*draft, *reference);
  const Due due = reference->calendar().add(draft->step_started_at, draft->step_limit);
  outcome.warnings = calendar_warnings(due.unpublished_years);
  const auto since = draft->reported_at - std::chrono::days(settings_.duplicate_window_days);
  outcome.duplicates =
      duplicates_.find(draft->category, draft->location, settings_.duplicate_radius_m, since,
                       settings_.duplicate_limit);
  return draft;
}

Result<IntakeOutcome> IntakeService::preview(const NewCase& input) const {
  IntakeOutcome outcome;
  auto draft = prepare(input, outcome);
  if (!draft) return draft.status();
  outcome.created = std::move(draft).value();
  return outcome;
}

void IntakeService::report_async(const NewCase& input, const std::string& actor, Done done) {
  auto outcome = std::make_shared<IntakeOutcome>();
  auto draft = prepare(input, *outcome);
  if (!draft) return done(draft.status());
  // What a retry must repeat: the same key with another report is a client's mistake.
  auto sent = std::make_shared<Case>(*draft);
  store_.create_case_async(
      std::move(draft).value(), settings_.district_code, actor,
      [this, outcome, sent, done = std::move(done)](Result<store::CreateOutcome> created) {
        done(complete(*outcome, *sent, created));
      });
}

Result<IntakeOutcome> IntakeService::complete(IntakeOutcome& outcome, const Case& sent,
                                              Result<store::CreateOutcome>& created) {
  if (!created.is_ok()) return created.status();
  if (created->replayed && !same_report(sent, created->created)) {
    return Status(
        ErrorKind::kConflict, "idempotency_key_reused",
        "this Idempotency-Key was first used for another report, case " + created->created.number,
        "Idempotency-Key");
  }
  finish(outcome, std::move(*created));
  return std::move(outcome);
}

Result<IntakeOutcome> IntakeService::report(const NewCase& input, const std::string& actor) {
  std::promise<Result<IntakeOutcome>> finished;
  auto result = finished.get_future();
  report_async(input, actor,
               [&finished](Result<IntakeOutcome> r) { finished.set_value(std::move(r)); });
  return result.get();
}

void IntakeService::finish(IntakeOutcome& outcome, store::CreateOutcome created) {
  outcome.created = std::move(created.created);
  outcome.replayed = created.replayed;
  if (outcome.replayed) {
    // The first answer is what a retry must see: a case cannot be its own duplicate, and
    // cases reported after it were not there to be offered.
    // Within one second, the later number is the later case.
    const auto& first = outcome.created;
    std::erase_if(outcome.duplicates, [&](const auto& d) {
      return d.number == first.number || d.reported_at > first.reported_at ||
             (d.reported_at == first.reported_at && d.number > first.number);
    });
  } else {
    const auto& c = outcome.created;
    duplicates_.add(c.category, c.number, c.location, c.reported_at);
    spdlog::info("case {} reported via {} in grid {}, routed to {} (due {})", c.number,
                 to_string(c.channel), c.unit_grid, c.department, format_rfc3339(c.due_at));
  }
}

}  // namespace cityops::services
