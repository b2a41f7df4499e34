// Reference data for clients: categories, departments, regions as GeoJSON, point lookup and
// the deadline calculator.
#include <charconv>
#include <cmath>

#include "api/context.h"
#include "api/problem.h"
#include "services/intake.h"

namespace cityops::api {

using nlohmann::json;

namespace {

json encode_category(const Taxonomy& taxonomy, const Category& c) {
  json limits = json::object();
  for (auto urgency : {Urgency::kNormal, Urgency::kUrgent}) {
    json steps = json::object();
    for (auto step : {Step::kRegister, Step::kDispatch, Step::kHandle, Step::kVerify}) {
      const auto& limit = c.limit(urgency, step);
      steps[std::string(to_string(step))] = {{"amount", limit.amount},
                                             {"unit", to_string(limit.unit)}};
    }
    limits[std::string(to_string(urgency))] = std::move(steps);
  }
  return {{"ref", taxonomy.ref_of(c)},   {"code", c.code},
          {"kind", to_string(c.kind)},   {"class_code", c.class_code},
          {"class_name", c.class_name},  {"name", c.name},
          {"department", c.department},  {"keywords", c.keywords},
          {"limits", std::move(limits)}, {"reopen_on_dissatisfied", c.reopen_on_dissatisfied}};
}

http::Response list_categories(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"q", "kind", "class", "limit"}), req);
  const auto reference = ctx.reference();
  const auto& taxonomy = reference->taxonomy();
  auto limit = parse_limit(req, 1000, 1000);
  if (!limit) return problem(limit.status(), req);
  const auto kind_text = query_value(req, "kind");
  std::optional<CategoryKind> kind;
  if (kind_text) {
    kind = parse_category_kind(*kind_text);
    if (!kind) return problem(invalid("unknown_kind", "kind is component or matter", "kind"), req);
  }
  const auto class_code = query_value(req, "class");

  std::vector<const Category*> chosen;
  if (const auto q = query_value(req, "q")) {
    chosen = taxonomy.search(*q, taxonomy.all().size());
  } else {
    for (const auto& c : taxonomy.all()) chosen.push_back(&c);
  }
  json items = json::array();
  for (const Category* c : chosen) {
    if (kind && c->kind != *kind) continue;
    if (class_code && c->class_code != *class_code) continue;
    if (items.size() >= *limit) break;
    items.push_back(encode_category(taxonomy, *c));
  }
  return json_response(200, {{"items", std::move(items)}});
}

http::Response get_category(ApiContext& ctx, http::Request& req, const PathParams& p) {
  const auto reference = ctx.reference();
  const Category* c = reference->taxonomy().find(p.at("ref"));
  if (!c) return problem(not_found("unknown_category", "no category " + p.at("ref")), req);
  return json_response(200, encode_category(reference->taxonomy(), *c));
}

http::Response list_departments(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  json items = json::array();
  for (const auto& d : ctx.reference()->departments()) {
    items.push_back({{"code", d.code},
                     {"name", d.name},
                     {"kind", to_string(d.kind)},
                     {"street", d.street_code}});
  }
  return json_response(200, {{"items", std::move(items)}});
}

http::Response locate(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"lon", "lat", "datum"}), req);
  auto point = lonlat_params(req);
  if (!point) return problem(point.status(), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  const auto wgs84 = geo::convert(*point, *datum, geo::Datum::kWgs84);
  const auto placement = ctx.reference()->place(wgs84);
  return json_response(200, {{"lon", wgs84.lon},
                             {"lat", wgs84.lat},
                             {"datum", "wgs84"},
                             {"inside", !placement.unit_grid.empty()},
                             {"district", placement.district},
                             {"street", placement.street},
                             {"community", placement.community},
                             {"unit_grid", placement.unit_grid},
                             {"governance_grid", placement.governance_grid}});
}

http::Response calendar_due(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"start", "amount", "unit"}), req);
  const auto start_text = query_value(req, "start");
  const auto amount_text = query_value(req, "amount");
  const auto unit_text = query_value(req, "unit");
  if (!start_text) return problem(invalid("missing_parameter", "start is required", "start"), req);
  if (!amount_text)
    return problem(invalid("missing_parameter", "amount is required", "amount"), req);
  if (!unit_text) return problem(invalid("missing_parameter", "unit is required", "unit"), req);
  const auto start = parse_rfc3339(*start_text);
  if (!start) {
    return problem(invalid("invalid_time", "start must be RFC 3339 with an offset", "start"), req);
  }
  if (*start < parse_rfc3339("1970-01-01T00:00:00Z").value() ||
      *start > parse_rfc3339("2200-01-01T00:00:00Z").value()) {
    return problem(invalid("out_of_range", "start lies between 1970 and 2200", "start"), req);
  }
  const auto unit = parse_time_unit(*unit_text);
  if (!unit) {
    return problem(
        invalid("unknown_unit", "unit is working_hours, working_days or natural_hours", "unit"),
        req);
  }
  double amount = 0;
  const auto [end, error] =
      std::from_chars(amount_text->data(), amount_text->data() + amount_text->size(), amount);
  const bool whole = amount == std::floor(amount);
  if (error != std::errc{} || end != amount_text->data() + amount_text->size() || !(amount > 0) ||
      amount > 10000 || (*unit == TimeUnit::kWorkingDays && !whole)) {
    return problem(
        invalid("invalid_amount",
                "amount is a positive number up to 10000 (whole for working_days)", "amount"),
        req);
  }
  const auto due = ctx.reference()->calendar().add(*start, TimeLimit{amount, *unit});
  return json_response(200, {{"start", format_rfc3339(*start)},
                             {"amount", amount},
                             {"unit", to_string(*unit)},
                             {"due", format_rfc3339(due.due)},
                             {"unpublished_years", due.unpublished_years},
                             {"warnings", services::calendar_warnings(due.unpublished_years)}});
}

}  // namespace

void add_reference_routes(Router& router, ApiContext& ctx) {
  auto plain = [&ctx](http::Response (*fn)(ApiContext&, http::Request&)) {
    return [&ctx, fn](http::Request& req, const PathParams&) { return fn(ctx, req); };
  };
  router.add("GET", "/api/v1/categories", plain(list_categories));
  router.add("GET", "/api/v1/categories/{ref}",
             [&ctx](http::Request& req, const PathParams& p) { return get_category(ctx, req, p); });
  router.add("GET", "/api/v1/departments", plain(list_departments));
  router.add("GET", "/api/v1/regions/locate", plain(locate));
  router.add("GET", "/api/v1/calendar/due", plain(calendar_due));
}

}  // namespace cityops::api
