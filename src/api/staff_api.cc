// /api/v1/staff: the grid staff directory and its CSV import. Phones reach only the roles that
// may see personal data; everyone else gets them masked.
#include <charconv>

#include "api/context.h"
#include "api/problem.h"
#include "services/grid_staff.h"

namespace cityops::api {

using nlohmann::json;

namespace {

json staff_json(const StaffMember& m, bool clear_phone) {
  return {{"staff_no", m.staff_no},
          {"name", m.name},
          {"role", to_string(m.role)},
          {"phone", clear_phone ? m.phone : mask_phone(m.phone)},
          {"team", m.team},
          {"grids", m.grids},
          {"username", m.username},
          {"active", m.active}};
}

http::Response list_staff(ApiContext& ctx, http::Request& req) {
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"grid", "team", "role", "q", "limit", "offset"}),
                         req);
  store::Store::StaffQuery query;
  query.grid = query_value(req, "grid");
  query.team = query_value(req, "team");
  query.q = query_value(req, "q");
  if (const auto role = query_value(req, "role")) {
    query.role = parse_staff_role(*role);
    if (!query.role) {
      return problem(
          invalid("unknown_role",
                  "role is grid_leader, grid_worker, inspector or auxiliary_inspector", "role"),
          req);
    }
  }
  auto limit = parse_limit(req, 50, 1000);
  if (!limit) return problem(limit.status(), req);
  auto offset = count_param(req, "offset", 0, 1000000);
  if (!offset) return problem(offset.status(), req);
  query.limit = static_cast<int>(*limit);
  query.offset = *offset;

  auto page = ctx.store.list_staff(query);
  if (!page) return problem(page.status(), req);
  const bool clear = may_see_personal_data(principal->role);
  json items = json::array();
  for (const auto& m : page->items) items.push_back(staff_json(m, clear));
  return json_response(200, {{"items", std::move(items)},
                             {"total", page->total},
                             {"limit", *limit},
                             {"offset", *offset}});
}

http::Response get_staff(ApiContext& ctx, http::Request& req, const PathParams& p) {
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto found = ctx.store.find_staff(p.at("staff_no"));
  if (!found) return problem(found.status(), req);
  if (!*found) return problem(not_found("unknown_staff", "no staff " + p.at("staff_no")), req);
  auto leaders = services::leaders_of(ctx.store, **found);
  if (!leaders) return problem(leaders.status(), req);
  const bool clear = may_see_personal_data(principal->role);
  json body = staff_json(**found, clear);
  json led_by = json::array();
  for (const auto& l : *leaders) {
    led_by.push_back({{"staff_no", l.staff_no}, {"name", l.name}, {"grids", l.grids}});
  }
  body["leaders"] = std::move(led_by);
  return json_response(200, body);
}

http::Response import_staff(ApiContext& ctx, http::Request& req) {
  auto principal = require_role(ctx, req, {Role::kAdmin});
  if (!principal) return problem(principal.status(), req);
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  const auto type = req.header("content-type").value_or("");
  if (type.substr(0, 8) != "text/csv") {
    return problem({ErrorKind::kUnsupportedMedia, "unsupported_media_type",
                    "send the staff file as text/csv", "Content-Type"},
                   req);
  }
  auto done = services::import_staff_csv(ctx.store, *ctx.reference(), req.body, ctx.clock.now());
  if (!done) return problem(done.status(), req);
  json rejected = json::array();
  for (const auto& r : done->rejected) {
    rejected.push_back(
        {{"line", r.line}, {"field", r.field}, {"code", r.code}, {"message", r.message}});
  }
  return json_response(200, {{"imported", done->inserted},
                             {"updated", done->updated},
                             {"rejected", std::move(rejected)}});
}

}  // namespace

void add_staff_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/staff",
             [&ctx](http::Request& req, const PathParams&) { return list_staff(ctx, req); });
  router.add("POST", "/api/v1/staff/import",
             [&ctx](http::Request& req, const PathParams&) { return import_staff(ctx, req); });
  router.add("GET", "/api/v1/staff/{staff_no}",
             [&ctx](http::Request& req, const PathParams& p) { return get_staff(ctx, req, p); });
}

}  // namespace cityops::api
