// /api/v1/stats: counts of cases for heat maps, grouped in SQL over the cases' plain columns.
#include <chrono>

#include "api/context.h"
#include "api/problem.h"

namespace cityops::api {

using nlohmann::json;

namespace {

// A heat map covers at most a year; longer periods are a report's job, not the map's.
constexpr int kMaxPeriodDays = 366;

Result<std::chrono::sys_days> date_param(const http::Request& req, const std::string& name) {
  const auto text = query_value(req, name);
  if (!text) return invalid("missing_parameter", name + " is required (YYYY-MM-DD)", name);
  const auto date = parse_date(*text);
  if (!date) return invalid("invalid_date", name + " is a date, YYYY-MM-DD", name);
  return std::chrono::sys_days(*date);
}

// Counts of the cases reported from the local day `from` to the local day `to`, both
// included, by unit grid, governance grid, street, community or category.
http::Response case_counts(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"by", "from", "to", "category", "state"}), req);
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  store::CaseCountQuery query;
  query.by = query_value(req, "by").value_or("");
  if (query.by != "unit_grid" && query.by != "governance_grid" && query.by != "street" &&
      query.by != "community" && query.by != "category") {
    return problem(invalid("unknown_grouping",
                           "by is unit_grid, governance_grid, street, community or category", "by"),
                   req);
  }
  auto from = date_param(req, "from");
  if (!from) return problem(from.status(), req);
  auto to = date_param(req, "to");
  if (!to) return problem(to.status(), req);
  const auto days = (*to - *from).count() + 1;
  if (days < 1 || days > kMaxPeriodDays) {
    return problem(invalid("invalid_period", "to is on or after from, at most 366 days on", "to"),
                   req);
  }
  query.from = from_local(std::chrono::year_month_day(*from), std::chrono::seconds{0});
  query.to =
      from_local(std::chrono::year_month_day(*to + std::chrono::days(1)), std::chrono::seconds{0});
  query.category = query_value(req, "category");
  if (auto state = query_value(req, "state")) {
    if (*state != "open") return problem(invalid("unknown_state", "state is open", "state"), req);
    query.open_only = true;
  }
  auto counts = ctx.store.case_counts(query);
  if (!counts) return problem(counts.status(), req);
  json items = json::array();
  for (const auto& c : *counts) items.push_back({{"key", c.key}, {"count", c.count}});
  return json_response(200, {{"by", query.by}, {"items", std::move(items)}});
}

}  // namespace

void add_stats_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/stats/case-counts",
             [&ctx](http::Request& req, const PathParams&) { return case_counts(ctx, req); });
}

}  // namespace cityops::api
