// /api/v1/cases: report, read, list and history.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/case_json.h"
#include "api/context.h"
#include "api/problem.h"
#include "api/spatial_params.h"
#include "domain/workflow.h"

namespace cityops::api {

using nlohmann::json;

// The signed-in user when the request carries a token; none for anonymous readers and
// reporters (citizens). A token that does not authenticate is refused, never ignored.
Result<std::optional<Principal>> optional_principal(ApiContext& ctx, const http::Request& req) {
  if (!req.header("authorization")) return std::optional<Principal>{};
  auto principal = require_principal(ctx, req);
  if (!principal) return principal.status();
  return std::optional<Principal>{std::move(principal).value()};
}

// What a list may show this user: everything, or the department's, street's or grids' cases.
std::optional<store::CaseQuery::Scope> scope_of(const Principal& p) {
  switch (p.role) {
    case Role::kDepartmentHandler: {
      store::CaseQuery::Scope scope;
      if (!p.department.empty()) scope.department = p.department;
      if (!p.street.empty()) scope.street = p.street;
      return scope;
    }
    case Role::kGridWorker:
    case Role::kInspector:
      return store::CaseQuery::Scope{std::nullopt, std::nullopt, p.grids};
    default:
      return std::nullopt;
  }
}

namespace {

constexpr int kMaxPageSize = 100;
constexpr double kUnboundedRadiusM = 100000;

// Cursors are opaque to clients: "<reported_at epoch>_<number>" of the last item seen.
std::string encode_cursor(const store::CaseQuery::Cursor& cursor) {
  return fmt::format("{}_{}", cursor.reported_at.time_since_epoch().count(), cursor.number);
}

std::optional<store::CaseQuery::Cursor> decode_cursor(std::string_view text) {
  const size_t sep = text.find('_');
  if (sep == std::string_view::npos || sep == 0 || sep + 1 >= text.size()) return std::nullopt;
  int64_t epoch = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + sep, epoch);
  if (error != std::errc{} || end != text.data() + sep) return std::nullopt;
  return store::CaseQuery::Cursor{Timestamp{std::chrono::seconds{epoch}},
                                  std::string(text.substr(sep + 1))};
}

Result<Timestamp> parse_instant(const std::string& text, const std::string& field) {
  if (auto t = parse_rfc3339(text)) return *t;
  if (auto d = parse_date(text)) return from_local(*d, std::chrono::seconds{0});
  return invalid("invalid_time", field + " must be RFC 3339 or YYYY-MM-DD", field);
}

Status apply_filter(store::CaseQuery& q, const std::string& name, const std::string& value) {
  if (name == "state") {
    size_t start = 0;
    while (start <= value.size()) {
      const size_t comma = value.find(',', start);
      const auto part =
          value.substr(start, comma == std::string::npos ? value.npos : comma - start);
      const auto state = parse_case_state(part);
      if (!state) return invalid("unknown_state", "no case state named '" + part + "'", "state");
      q.states.push_back(*state);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (name == "category") {
    q.category = value;
  } else if (name == "channel") {
    const auto channel = parse_channel(value);
    if (!channel) return invalid("unknown_channel", "no channel named '" + value + "'", "channel");
    q.channel = *channel;
  } else if (name == "street") {
    q.street = value;
  } else if (name == "grid") {
    // Unit grid ids are 15 digits; anything else names a governance grid.
    const bool unit =
        value.size() == 15 && value.find_first_not_of("0123456789") == std::string::npos;
    (unit ? q.unit_grid : q.governance_grid) = value;
  } else if (name == "department") {
    q.department = value;
  } else if (name == "from" || name == "to") {
    auto t = parse_instant(value, name);
    if (!t) return t.status();
    (name == "from" ? q.reported_from : q.reported_to) = *t;
  } else if (name == "bbox") {
    auto box = parse_bbox(value);
    if (!box) return box.status();
    q.bbox = store::CaseQuery::Box{box->min_lon, box->min_lat, box->max_lon, box->max_lat};
  } else if (name == "limit") {
    int limit = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), limit);
    if (error != std::errc{} || end != value.data() + value.size() || limit < 1 ||
        limit > kMaxPageSize) {
      return invalid("invalid_limit", "limit is a whole number from 1 to 100", "limit");
    }
    q.limit = limit;
  } else if (name == "light") {
    if (value != "red" && value != "yellow" && value != "green") {
      return invalid("unknown_light", "light is red, yellow or green", "light");
    }
    q.light = value;
  } else if (name == "sort") {
    if (value != "due_at" && value != "-reported_at") {
      return invalid("unknown_sort", "sort is due_at or -reported_at", "sort");
    }
    q.by_due = value == "due_at";
  } else if (name == "suspended" || name == "escalated") {
    if (value != "true") return invalid("invalid_flag", name + " takes the value true", name);
    (name == "suspended" ? q.suspended_only : q.escalated_only) = true;
  } else if (name == "near") {
    auto point = parse_point(value, "near");
    if (!point) return point.status();
    // Until a radius or a count narrows it, the circle holds the whole district and beyond.
    const double radius = q.near ? q.near->radius_m : kUnboundedRadiusM;
    q.near = store::CaseQuery::Circle{point->lon, point->lat, radius};
  } else if (name == "radius") {
    auto radius = parse_number(value, "radius", 1, kUnboundedRadiusM);
    if (!radius) return radius.status();
    if (!q.near) q.near = store::CaseQuery::Circle{0, 0, 0};
    q.near->radius_m = *radius;
  } else if (name == "nearest") {
    auto count = parse_number(value, "nearest", 1, kMaxPageSize);
    if (!count || *count != std::floor(*count)) {
      return invalid("invalid_nearest", "nearest is a whole number from 1 to 100", "nearest");
    }
    q.nearest = static_cast<int>(*count);
    q.limit = q.nearest;
  } else if (name == "cursor") {
    q.after = decode_cursor(value);
    if (!q.after) return invalid("invalid_cursor", "cursor is not one this server gave", "cursor");
  }
  return Status::ok();
}

http::Response created_response(ApiContext& ctx, const Result<services::IntakeOutcome>& outcome,
                                const http::Request& req) {
  if (!outcome) return problem(outcome.status(), req);
  const auto reference = ctx.reference();
  json out = encode_case(outcome->created, *reference, ctx.clock.now());
  out["component_suggestions"] = json::array();
  for (const auto& s : outcome->component_suggestions) {
    out["component_suggestions"].push_back(
        {{"id", s.id}, {"name", s.name}, {"distance_m", std::round(s.distance_m * 10) / 10}});
  }
  out["duplicates"] = json::array();
  for (const auto& d : outcome->duplicates) {
    out["duplicates"].push_back({{"number", d.number},
                                 {"distance_m", std::round(d.distance_m * 10) / 10},
                                 {"reported_at", format_rfc3339(d.reported_at)}});
  }
  out["warnings"] = outcome->warnings;
  auto res = json_response(201, out);
  res.headers.emplace_back("Location", "/api/v1/cases/" + outcome->created.number);
  if (outcome->replayed) res.headers.emplace_back("Idempotent-Replayed", "true");
  if (!outcome->replayed)
    ctx.metrics.increment("cityops_cases_reported_total",
                          {{"channel", std::string(to_string(outcome->created.channel))}});
  return res;
}

http::Response create_case(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto body = parse_json_body(req);
  if (!body) return problem(body.status(), req);
  auto input = decode_new_case(*body);
  if (!input) return problem(input.status(), req);

  auto principal = optional_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  std::string actor = "public";
  if (*principal) {
    const Role role = (*principal)->role;
    if (role == Role::kAdmin || role == Role::kViewer) {
      return problem({ErrorKind::kPermissionDenied, "forbidden",
                      "role " + std::string(to_string(role)) + " does not report cases"},
                     req);
    }
    actor = (*principal)->username;
  }
  if (ctx.check_photos && !input->photos.empty()) {
    const Principal* who = *principal ? &**principal : nullptr;
    CITYOPS_RETURN_PROBLEM(ctx.check_photos(who, input->photos, "photos"), req);
  }
  auto key = idempotency_key(req, actor);
  if (!key) return problem(key.status(), req);
  input->idempotency_key = *key;
  // Answered once the case is durable; the server's thread takes other requests meanwhile.
  http::Response res;
  res.deferred = [&ctx, input = std::move(*input), actor, req](http::Reply reply) {
    ctx.intake.report_async(input, actor, [&ctx, reply, req](auto outcome) {
      auto shared = std::make_shared<Result<services::IntakeOutcome>>(std::move(outcome));
      reply([&ctx, shared, req] { return created_response(ctx, *shared, req); });
    });
  };
  return res;
}

http::Response list_cases(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(
      check_query_names(req, {"state", "category", "channel", "street", "grid", "department",
                              "from", "to", "bbox", "limit", "cursor", "light", "sort", "suspended",
                              "escalated", "near", "radius", "nearest"}),
      req);
  auto principal = optional_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  store::CaseQuery query;
  query.now = ctx.clock.now();
  // The sort must be known before a cursor is read, whatever the parameters' order.
  for (const auto& [name, value] : req.query) {
    if (name == "sort") CITYOPS_RETURN_PROBLEM(apply_filter(query, name, value), req);
  }
  for (const auto& [name, value] : req.query) {
    if (name != "sort") CITYOPS_RETURN_PROBLEM(apply_filter(query, name, value), req);
  }
  const bool has_near = query_value(req, "near").has_value();
  if (!has_near && (query.near || query.nearest > 0)) {
    return problem(invalid("missing_parameter", "radius and nearest need near=lon,lat", "near"),
                   req);
  }
  if (query.nearest > 0) query.limit = query.nearest;
  if (*principal) query.scope = scope_of(**principal);
  auto page = ctx.store.list_cases(query);
  if (!page) return problem(page.status(), req);

  const auto reference = ctx.reference();
  const auto now = ctx.clock.now();
  json items = json::array();
  for (const auto& c : page->items) {
    items.push_back(encode_case(c, *reference, now));
    if (query.near) {
      const double d = geo::distance_m({query.near->lon, query.near->lat}, c.location);
      items.back()["distance_m"] = std::round(d * 10) / 10;
    }
  }
  json out = {{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page->next) out["next_cursor"] = encode_cursor(*page->next);
  return json_response(200, out);
}

http::Response get_case(ApiContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  const auto& number = params.at("number");
  auto found = ctx.store.find_case(number);
  if (!found) return problem(found.status(), req);
  if (!*found) return problem(not_found("case_not_found", "no case numbered " + number), req);
  auto principal = optional_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  const Case& c = **found;
  bool personal = false;
  if (*principal) {
    if (!in_scope(**principal, c)) {
      return problem({ErrorKind::kPermissionDenied, "out_of_scope",
                      "case " + number + " is outside your department or grids"},
                     req);
    }
    // Reading a reporter's data in clear is recorded before it is shown.
    personal = may_see_personal_data((*principal)->role) &&
               (!c.reporter.name.empty() || !c.reporter.phone.empty());
    if (personal) {
      CITYOPS_RETURN_PROBLEM(
          ctx.store.log_personal_data_access(number, (*principal)->username, ctx.clock.now()), req);
    }
  }
  auto out = encode_case(c, *ctx.reference(), ctx.clock.now(), personal);
  if (*principal) {
    out["allowed_actions"] = json::array();
    for (Action a : allowed_actions(c, **principal)) {
      out["allowed_actions"].push_back(to_string(a));
    }
  }
  return json_response(200, out);
}

http::Response get_events(ApiContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  const auto& number = params.at("number");
  auto principal = optional_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  if (*principal) {
    auto found = ctx.store.find_case(number);
    if (!found) return problem(found.status(), req);
    if (*found && !in_scope(**principal, **found)) {
      return problem({ErrorKind::kPermissionDenied, "out_of_scope",
                      "case " + number + " is outside your department or grids"},
                     req);
    }
  }
  auto events = ctx.store.case_events(number);
  if (!events) return problem(events.status(), req);
  if (events->empty())
    return problem(not_found("case_not_found", "no case numbered " + number), req);
  auto accesses = ctx.store.personal_data_accesses(number);
  if (!accesses) return problem(accesses.status(), req);
  // Case events and reads of personal data, merged in time order (events first on a tie).
  json items = json::array();
  size_t next_access = 0;
  for (const auto& e : *events) {
    while (next_access < accesses->size() && (*accesses)[next_access].second < e.at) {
      const auto& [user, at] = (*accesses)[next_access++];
      items.push_back({{"action", "view_personal_data"},
                       {"actor", user},
                       {"at", format_rfc3339(at)},
                       {"version", nullptr}});
    }
    items.push_back(encode_event(e));
  }
  for (; next_access < accesses->size(); ++next_access) {
    const auto& [user, at] = (*accesses)[next_access];
    items.push_back({{"action", "view_personal_data"},
                     {"actor", user},
                     {"at", format_rfc3339(at)},
                     {"version", nullptr}});
  }
  return json_response(200, {{"number", number}, {"items", std::move(items)}});
}

}  // namespace

void add_case_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/cases",
             [&ctx](http::Request& req, const PathParams&) { return create_case(ctx, req); });
  router.add("GET", "/api/v1/cases",
             [&ctx](http::Request& req, const PathParams&) { return list_cases(ctx, req); });
  router.add("GET", "/api/v1/cases/{number}",
             [&ctx](http::Request& req, const PathParams& p) { return get_case(ctx, req, p); });
  router.add("GET", "/api/v1/cases/{number}/events",
             [&ctx](http::Request& req, const PathParams& p) { return get_events(ctx, req, p); });
}

}  // namespace cityops::api
