// What the API handlers need from the rest of the server.
#pragma once

#include <functional>
#include <memory>

#include "api/router.h"
#include "common/metrics.h"
#include "common/time.h"
#include "common/work_pool.h"
#include "domain/role.h"
#include "services/accounts.h"
#include "services/intake.h"
#include "services/reference_data.h"
#include "services/workflow.h"
#include "store/store.h"

namespace cityops::api {

struct ApiContext {
  store::Store& store;
  std::function<std::shared_ptr<const services::ReferenceData>()> reference;
  services::IntakeService& intake;
  services::AccountService& accounts;
  services::WorkflowService& workflow;
  Metrics& metrics;
  const Clock& clock;
  // Where handlers that wait for a durable write run, off the server's I/O threads.
  WorkPool& blocking;
  // Rebuilds the reference snapshot from the store, after an edit of reference data, so the
  // next request already sees it.
  std::function<Status()> reload_reference;
  // Refuses photos a case or an action names unless they are recorded photos the caller (null:
  // anonymous) may see (PhotoService::check_attachable); unset, nothing is checked.
  std::function<Status(const Principal*, const std::vector<std::string>&, const std::string&)>
      check_photos;
};

void add_case_routes(Router& router, ApiContext& ctx);
void add_reference_routes(Router& router, ApiContext& ctx);
void add_system_routes(Router& router, ApiContext& ctx);
// Signing in and out, the signed-in principal, and account management for admins.
void add_session_routes(Router& router, ApiContext& ctx);

// The principal behind the request's "Authorization: Bearer <token>" header. Fails with
// kUnauthenticated: "missing_token" without such a header, otherwise the codes of
// AccountService::authenticate. Every protected handler starts with this.
Result<Principal> require_principal(ApiContext& ctx, const http::Request& req);
// As require_principal, then kPermissionDenied "forbidden" unless the role is one of `roles`.
Result<Principal> require_role(ApiContext& ctx, const http::Request& req,
                               std::initializer_list<Role> roles);
void add_action_routes(Router& router, ApiContext& ctx);
// Place search and address resolution over the gazetteer.
void add_geo_routes(Router& router, ApiContext& ctx);
// Region versions, hierarchy and GeoJSON import; grid staff and their CSV import.
void add_region_routes(Router& router, ApiContext& ctx);
void add_staff_routes(Router& router, ApiContext& ctx);
// The components inventory, and case counts for heat maps.
void add_component_routes(Router& router, ApiContext& ctx);
void add_stats_routes(Router& router, ApiContext& ctx);

// The signed-in user when the request carries a token; none for anonymous readers and
// reporters. A token that does not authenticate is refused, never ignored.
Result<std::optional<Principal>> optional_principal(ApiContext& ctx, const http::Request& req);
// The cases a list or a count shows `p`: every case (nullopt), or the department's, street's
// or grids' (as in_scope decides for one case).
std::optional<store::CaseQuery::Scope> scope_of(const Principal& p);
// The dashboard's counters and charts, and the duplicate candidates of a report not yet made.
void add_dashboard_routes(Router& router, ApiContext& ctx);
// A case's progress by its number, for anyone, without personal data (public_api.cc).
void add_public_routes(Router& router, ApiContext& ctx);

// Parses the body as JSON, or a problem naming the body.
Result<nlohmann::json> parse_json_body(const http::Request& req);
// Refuses any query parameter not in `allowed`, naming it.
Status check_query_names(const http::Request& req, std::initializer_list<std::string_view> allowed);
// The value of a query parameter, if given (the last one wins).
std::optional<std::string> query_value(const http::Request& req, std::string_view name);
// A whole number from 0 to `max` in query parameter `name`; `fallback` when absent, otherwise
// "invalid_<name>" naming it.
Result<int> count_param(const http::Request& req, std::string_view name, int fallback, int max);
// The Idempotency-Key header (1 to 200 printable ASCII characters) as the key stored for
// `owner`: keys are per reporter, so one user's key never returns another's case. Nullopt when
// the header is absent; "invalid_idempotency_key" when it is malformed.
Result<std::optional<std::string>> idempotency_key(const http::Request& req,
                                                   const std::string& owner);
// The "limit" parameter: `fallback` when absent, otherwise a whole number from 1 to `max`, or
// "invalid_limit".
Result<size_t> parse_limit(const http::Request& req, size_t fallback, size_t max);
// The `lon` and `lat` query parameters: both required, finite and within range
// ("missing_parameter", "out_of_range", naming the parameter).
Result<geo::LonLat> lonlat_params(const http::Request& req);
// A datum named by the query parameter `name`; `fallback` when absent, or "missing_parameter"
// when there is none; "unknown_datum" for any name but wgs84, gcj02, bd09 and cgcs2000.
Result<geo::Datum> datum_param(const http::Request& req, const std::string& name,
                               std::optional<geo::Datum> fallback);

}  // namespace cityops::api
