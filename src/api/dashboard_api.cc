// /api/v1/stats/dashboard: the command dashboard's counters and charts, counted in SQL over the
// caller's scope. /api/v1/cases/similar: the open cases intake would offer as duplicates of a
// report, asked before the report is saved.
#include <cmath>

#include "api/context.h"
#include "api/problem.h"
#include "common/utf8.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr int kOnTimeWindowDays = 30;
constexpr size_t kMaxDescription = 4000;

// The day's intake by taxonomy class, most first, then by code.
json by_class(const std::vector<store::KeyCount>& by_category,
              const services::ReferenceData& reference) {
  struct Row {
    std::string code, name;
    int64_t count;
  };
  std::vector<Row> rows;
  for (const auto& item : by_category) {
    const Category* category = reference.taxonomy().find(item.key);
    const std::string code = category ? category->class_code : item.key.substr(0, 2);
    const std::string name = category ? category->class_name : "";
    auto it = std::find_if(rows.begin(), rows.end(),
                           [&](const Row& r) { return r.code == code && r.name == name; });
    if (it == rows.end()) {
      rows.push_back({code, name, item.count});
    } else {
      it->count += item.count;
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.count != b.count ? a.count > b.count : a.code < b.code;
  });
  json out = json::array();
  for (const auto& r : rows)
    out.push_back({{"code", r.code}, {"name", r.name}, {"count", r.count}});
  return out;
}

http::Response dashboard(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  const Timestamp now = ctx.clock.now();
  const auto today = to_local(now).date;
  store::DashboardQuery query;
  query.scope = scope_of(*principal);
  query.now = now;
  query.day_from = from_local(today, std::chrono::seconds{0});
  query.day_to =
      from_local(std::chrono::sys_days(today) + std::chrono::days(1), std::chrono::seconds{0});
  query.steps_from = now - std::chrono::days(kOnTimeWindowDays);
  auto counts = ctx.store.dashboard_counts(query);
  if (!counts) return problem(counts.status(), req);

  const auto reference = ctx.reference();
  int64_t today_intake = 0;
  for (const int64_t n : counts->intake_by_hour) today_intake += n;
  json overdue_by_department = json::array();
  for (const auto& item : counts->red_by_department) {
    const Department* department = reference->department(item.key);
    overdue_by_department.push_back(
        {{"code", item.key}, {"name", department ? department->name : ""}, {"count", item.count}});
  }
  json on_time_rate = nullptr;
  if (counts->steps_finished > 0) {
    on_time_rate =
        static_cast<double>(counts->steps_on_time) / static_cast<double>(counts->steps_finished);
  }
  return json_response(
      200, {{"generated_at", format_rfc3339(now)},
            {"date", format_date(today)},
            {"today_intake", today_intake},
            {"open", counts->open},
            {"overdue", counts->red},
            {"on_time_rate", on_time_rate},
            {"intake_by_hour", counts->intake_by_hour},
            {"by_class", by_class(counts->intake_by_category, *reference)},
            {"overdue_by_department", std::move(overdue_by_department)},
            {"open_by_light",
             {{"green", counts->green}, {"yellow", counts->yellow}, {"red", counts->red}}}});
}

http::Response similar(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"lon", "lat", "category", "description", "datum"}),
                         req);
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  // Whoever may report a case may ask what it would duplicate.
  if (principal->role == Role::kAdmin || principal->role == Role::kViewer) {
    return problem({ErrorKind::kPermissionDenied, "forbidden",
                    "role " + std::string(to_string(principal->role)) + " does not report cases"},
                   req);
  }
  auto point = lonlat_params(req);
  if (!point) return problem(point.status(), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  services::NewCase input;
  input.category = query_value(req, "category").value_or("");
  if (input.category.empty()) {
    return problem(invalid("missing_parameter", "category is required", "category"), req);
  }
  input.description = query_value(req, "description").value_or("");
  if (input.description.size() > kMaxDescription || !is_valid_utf8(input.description)) {
    return problem(
        invalid("invalid_text", "description is UTF-8 text of at most 4000 bytes", "description"),
        req);
  }
  input.location = *point;
  input.datum = *datum;
  auto preview = ctx.intake.preview(input);
  if (!preview) return problem(preview.status(), req);

  const auto reference = ctx.reference();
  json items = json::array();
  for (const auto& candidate : preview->duplicates) {
    auto found = ctx.store.find_case(candidate.number);
    if (!found) return problem(found.status(), req);
    // The index may still hold a case closed a moment ago; and nobody learns of cases outside
    // their own scope here.
    if (!*found || !is_open((*found)->state) || !in_scope(*principal, **found)) continue;
    const Case& c = **found;
    const Category* category = reference->taxonomy().find(c.category);
    items.push_back({{"number", c.number},
                     {"category", c.category},
                     {"category_name", category ? category->name : ""},
                     {"state", to_string(c.state)},
                     {"distance_m", std::round(candidate.distance_m * 10) / 10},
                     {"reported_at", format_rfc3339(c.reported_at)},
                     {"description", c.description}});
  }
  return json_response(200, {{"items", std::move(items)}});
}

}  // namespace

void add_dashboard_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/stats/dashboard",
             [&ctx](http::Request& req, const PathParams&) { return dashboard(ctx, req); });
  router.add("GET", "/api/v1/cases/similar",
             [&ctx](http::Request& req, const PathParams&) { return similar(ctx, req); });
}

}  // namespace cityops::api
