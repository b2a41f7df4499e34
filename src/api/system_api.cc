// Liveness, readiness, metrics and the API description.
#include "api/context.h"
#include "api/openapi.h"
#include "api/problem.h"

namespace cityops::api {

void add_system_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/healthz", [](http::Request&, const PathParams&) {
    return http::Response{200, "application/json", R"({"status":"ok"})", {}, {}};
  });
  router.add("GET", "/readyz", [&ctx](http::Request& req, const PathParams&) {
    // Ready when the database answers and reference data is loaded.
    auto count = ctx.store.count_cases();
    if (!count) return problem(count.status(), req);
    const auto reference = ctx.reference();
    const bool loaded = !reference->taxonomy().all().empty() &&
                        reference->regions().size(geo::RegionLayer::kUnitGrid) > 0;
    nlohmann::json body = {{"status", loaded ? "ready" : "not_ready"},
                           {"cases", *count},
                           {"categories", reference->taxonomy().all().size()},
                           {"unit_grids", reference->regions().size(geo::RegionLayer::kUnitGrid)}};
    return json_response(loaded ? 200 : 503, body);
  });
  router.add("GET", "/metrics", [&ctx](http::Request&, const PathParams&) {
    const auto writes = ctx.store.write_stats();
    ctx.metrics.set_gauge("cityops_store_write_batches_total", {},
                          static_cast<double>(writes.batches));
    ctx.metrics.set_gauge("cityops_store_writes_total", {}, static_cast<double>(writes.writes));
    return http::Response{
        200, "text/plain; version=0.0.4; charset=utf-8", ctx.metrics.render(), {}, {}};
  });
  router.add("GET", "/api/v1/openapi.json", [](http::Request&, const PathParams&) {
    return http::Response{200, "application/json", std::string(openapi_document()), {}, {}};
  });
}

}  // namespace cityops::api
