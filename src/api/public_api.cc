// GET /api/v1/public/cases/{number}: what a citizen may learn of a case by its number, with no
// sign-in: where it stands and when it moved. Nothing that names or locates a person is shown:
// no reporter, description, address, notes, actors, photos or coordinates; the place is given
// only as street and community.
#include "api/case_json.h"
#include "api/context.h"
#include "api/problem.h"

namespace cityops::api {

using nlohmann::json;

namespace {

// "130304-20261204-000017": district, local date, daily sequence.
bool well_formed_number(const std::string& number) {
  const auto digits = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (number[i] < '0' || number[i] > '9') return false;
    }
    return true;
  };
  return number.size() >= 22 && number.size() <= 30 && digits(0, 6) && number[6] == '-' &&
         digits(7, 15) && number[15] == '-' && digits(16, number.size());
}

http::Response public_case(ApiContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  const auto& number = params.at("number");
  if (!well_formed_number(number)) {
    return problem(
        invalid("invalid_number", "a case number reads like 130304-20261204-000017", "number"),
        req);
  }
  auto found = ctx.store.find_case(number);
  if (!found) return problem(found.status(), req);
  if (!*found) return problem(not_found("case_not_found", "no case numbered " + number), req);
  auto events = ctx.store.case_events(number);
  if (!events) return problem(events.status(), req);

  const Case& c = **found;
  const auto reference = ctx.reference();
  const auto now = ctx.clock.now();
  const Category* category = reference->taxonomy().find(c.category);
  const auto* street = reference->region(c.street);
  const auto* community = reference->region(c.community);
  json history = json::array();
  json closed_at = nullptr;
  for (const auto& e : *events) {
    history.push_back(
        {{"at", format_rfc3339(e.at)}, {"type", e.action}, {"state", to_string(e.to_state)}});
    if (e.to_state == CaseState::kClosed) closed_at = format_rfc3339(e.at);
  }
  if (c.state != CaseState::kClosed) closed_at = nullptr;
  const bool running = is_open(c.state) && !c.steps.empty() && !c.steps.back().finished_at;
  return json_response(
      200, {{"number", c.number},
            {"category", c.category},
            {"category_name", category ? category->name : ""},
            {"state", to_string(c.state)},
            {"light", step_light(reference->calendar(), c, now)},
            {"reported_at", format_rfc3339(c.reported_at)},
            {"closed_at", closed_at},
            {"street", street ? street->name : ""},
            {"community", community ? community->name : ""},
            {"due_at", running ? json(format_rfc3339(c.steps.back().due_at)) : json(nullptr)},
            {"history", std::move(history)}});
}

}  // namespace

void add_public_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/public/cases/{number}",
             [&ctx](http::Request& req, const PathParams& p) { return public_case(ctx, req, p); });
}

}  // namespace cityops::api
