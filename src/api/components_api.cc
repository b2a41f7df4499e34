// /api/v1/components: the components inventory (部件) for the map and the intake form — lists
// by box, circle or nearest, one component, status changes and imports.
#include <fmt/format.h>

#include <cmath>

#include "api/context.h"
#include "api/problem.h"
#include "api/spatial_params.h"
#include "services/component_import.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;
constexpr int kMaxNearest = 50;

json location_json(geo::LonLat p, geo::Datum datum) {
  return {{"lon", p.lon}, {"lat", p.lat}, {"datum", geo::to_string(datum)}};
}

json encode_component(const Component& c, const services::ReferenceData& reference) {
  const Category* category = reference.taxonomy().find(CategoryKind::kComponent, c.category);
  return {{"id", c.id},
          {"category", c.category},
          {"category_name", category ? category->name : ""},
          {"name", c.name},
          {"location", location_json(c.location, geo::Datum::kWgs84)},
          {"reported_location", location_json(c.reported_location, c.reported_datum)},
          {"unit_grid", c.unit_grid},
          {"governance_grid", c.governance_grid},
          {"address", c.address},
          {"status", to_string(c.status)},
          {"owner_department", c.owner_department},
          {"maintainer_department", c.maintainer_department},
          {"updated_at", format_rfc3339(c.updated_at)}};
}

double rounded(double metres) { return std::round(metres * 10) / 10; }

// The list's filters, read from the query; a count for `nearest` becomes the limit.
Result<store::ComponentQuery> read_query(const http::Request& req) {
  store::ComponentQuery q;
  q.limit = kDefaultLimit;
  if (auto bbox = query_value(req, "bbox")) {
    auto box = parse_bbox(*bbox);
    if (!box) return box.status();
    q.bbox = store::ComponentQuery::Box{box->min_lon, box->min_lat, box->max_lon, box->max_lat};
  }
  if (auto near = query_value(req, "near")) {
    auto point = parse_point(*near, "near");
    if (!point) return point.status();
    q.near = store::ComponentQuery::Point{point->lon, point->lat};
  }
  if (auto radius = query_value(req, "radius")) {
    auto metres = parse_number(*radius, "radius", 1, 100000);
    if (!metres) return metres.status();
    q.radius_m = *metres;
  }
  if (auto category = query_value(req, "category")) q.category = *category;
  if (auto status = query_value(req, "status")) {
    q.status = parse_component_status(*status);
    if (!q.status) {
      return invalid("unknown_status", "status is intact, damaged, lost or removed", "status");
    }
  }
  auto limit = parse_limit(req, kDefaultLimit, kMaxLimit);
  if (!limit) return limit.status();
  q.limit = static_cast<int>(*limit);
  if (auto offset = query_value(req, "offset")) {
    auto n = parse_number(*offset, "offset", 0, 1e9);
    if (!n || *n != std::floor(*n)) {
      return invalid("invalid_offset", "offset is a whole number from 0", "offset");
    }
    q.offset = static_cast<int>(*n);
  }
  if (auto nearest = query_value(req, "nearest")) {
    auto n = parse_number(*nearest, "nearest", 1, kMaxNearest);
    if (!n || *n != std::floor(*n)) {
      return invalid("invalid_nearest", "nearest is a whole number from 1 to 50", "nearest");
    }
    q.limit = static_cast<int>(*n);
    q.offset = 0;
  }
  if (!q.near && (q.radius_m || query_value(req, "nearest"))) {
    return invalid("missing_parameter", "radius and nearest need near=lon,lat", "near");
  }
  return q;
}

json feature_collection(const std::vector<Component>& items, const store::ComponentQuery& q,
                        const services::ReferenceData& reference) {
  json features = json::array();
  for (const auto& c : items) {
    json props = encode_component(c, reference);
    props.erase("location");
    if (q.near)
      props["distance_m"] = rounded(geo::distance_m({q.near->lon, q.near->lat}, c.location));
    features.push_back(
        {{"type", "Feature"},
         {"id", c.id},
         {"geometry", {{"type", "Point"}, {"coordinates", {c.location.lon, c.location.lat}}}},
         {"properties", std::move(props)}});
  }
  return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

http::Response list_components(ApiContext& ctx, http::Request& req, bool geojson) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"bbox", "near", "radius", "nearest", "category",
                                                 "status", "limit", "offset", "format"}),
                         req);
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  if (auto format = query_value(req, "format")) {
    if (*format != "json" && *format != "geojson") {
      return problem(invalid("unknown_format", "format is json or geojson", "format"), req);
    }
    geojson = geojson || *format == "geojson";
  }
  auto query = read_query(req);
  if (!query) return problem(query.status(), req);
  auto page = ctx.store.list_components(*query);
  if (!page) return problem(page.status(), req);
  const auto reference = ctx.reference();
  if (geojson) {
    auto res = json_response(200, feature_collection(page->items, *query, *reference));
    res.content_type = "application/geo+json";
    return res;
  }
  json items = json::array();
  for (const auto& c : page->items) {
    items.push_back(encode_component(c, *reference));
    if (query->near) {
      items.back()["distance_m"] =
          rounded(geo::distance_m({query->near->lon, query->near->lat}, c.location));
    }
  }
  json out = {{"items", std::move(items)}, {"next_offset", nullptr}};
  if (page->more && !query_value(req, "nearest")) out["next_offset"] = query->offset + query->limit;
  return json_response(200, out);
}

// The intake form's helper: the `n` components of a category nearest a point.
http::Response nearest_components(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"lon", "lat", "category", "n", "datum"}), req);
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  auto point = lonlat_params(req);
  if (!point) return problem(point.status(), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  const auto wgs84 = geo::convert(*point, *datum, geo::Datum::kWgs84);
  store::ComponentQuery query;
  query.near = store::ComponentQuery::Point{wgs84.lon, wgs84.lat};
  query.category = query_value(req, "category");
  query.limit = 3;
  if (auto n = query_value(req, "n")) {
    auto count = parse_number(*n, "n", 1, kMaxNearest);
    if (!count || *count != std::floor(*count)) {
      return problem(invalid("invalid_count", "n is a whole number from 1 to 50", "n"), req);
    }
    query.limit = static_cast<int>(*count);
  }
  auto page = ctx.store.list_components(query);
  if (!page) return problem(page.status(), req);
  const auto reference = ctx.reference();
  json items = json::array();
  for (const auto& c : page->items) {
    items.push_back(encode_component(c, *reference));
    items.back()["distance_m"] = rounded(geo::distance_m(wgs84, c.location));
  }
  return json_response(200, {{"items", std::move(items)}});
}

http::Response get_component(ApiContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  const auto& id = params.at("id");
  auto found = ctx.store.find_component(id);
  if (!found) return problem(found.status(), req);
  if (!*found)
    return problem(not_found("component_not_found", "no component has the id " + id), req);
  return json_response(200, encode_component(**found, *ctx.reference()));
}

// Admins change any component's status; a department handler those its department maintains.
http::Response patch_component(ApiContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto principal = require_role(ctx, req, {Role::kAdmin, Role::kDepartmentHandler});
  if (!principal) return problem(principal.status(), req);
  auto body = parse_json_body(req);
  if (!body) return problem(body.status(), req);
  if (!body->is_object() || body->size() != 1 || !body->contains("status") ||
      !(*body)["status"].is_string()) {
    return problem(invalid("invalid_body", "the body is {\"status\": \"...\"}", "status"), req);
  }
  const auto status = parse_component_status((*body)["status"].get<std::string>());
  if (!status) {
    return problem(
        invalid("unknown_status", "status is intact, damaged, lost or removed", "status"), req);
  }
  const auto& id = params.at("id");
  auto found = ctx.store.find_component(id);
  if (!found) return problem(found.status(), req);
  if (!*found)
    return problem(not_found("component_not_found", "no component has the id " + id), req);
  if (principal->role != Role::kAdmin && principal->department != (*found)->maintainer_department) {
    return problem({ErrorKind::kPermissionDenied, "not_maintainer",
                    "component " + id + " is maintained by " + (*found)->maintainer_department},
                   req);
  }
  CITYOPS_RETURN_PROBLEM(ctx.store.set_component_status(id, *status, ctx.clock.now()), req);
  auto updated = ctx.store.find_component(id);
  if (!updated || !*updated) return problem(internal_error("component vanished"), req);
  return json_response(200, encode_component(**updated, *ctx.reference()));
}

json encode_rejection(const services::ComponentRejection& r) {
  json out = {{"field", r.field}, {"code", r.code}, {"message", r.message}};
  out[r.is_feature ? "feature" : "line"] = r.line;
  return out;
}

http::Response import_components(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"datum"}), req);
  auto principal = require_role(ctx, req, {Role::kAdmin});
  if (!principal) return problem(principal.status(), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  const std::string type(req.header("content-type").value_or(""));
  const bool csv = type.starts_with("text/csv");
  const bool geojson =
      type.starts_with("application/geo+json") || type.starts_with("application/json");
  if (!csv && !geojson) {
    return problem({ErrorKind::kUnsupportedMedia, "unsupported_media_type",
                    "send text/csv or application/geo+json", "Content-Type"},
                   req);
  }
  const auto reference = ctx.reference();
  const auto rules =
      services::component_rules(*reference, ctx.intake.settings().district_code, ctx.clock.now());
  auto batch = csv ? services::parse_components_csv(req.body, rules)
                   : services::parse_components_geojson(req.body, *datum, rules);
  if (!batch) return problem(batch.status(), req);
  auto counts = ctx.store.upsert_components(batch->components);
  if (!counts) return problem(counts.status(), req);
  json rejected = json::array();
  for (const auto& r : batch->rejected) rejected.push_back(encode_rejection(r));
  return json_response(200, {{"imported", counts->imported},
                             {"updated", counts->updated},
                             {"rejected", std::move(rejected)}});
}

}  // namespace

void add_component_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/components", [&ctx](http::Request& req, const PathParams&) {
    return list_components(ctx, req, false);
  });
  router.add("GET", "/api/v1/components.geojson", [&ctx](http::Request& req, const PathParams&) {
    return list_components(ctx, req, true);
  });
  router.add("GET", "/api/v1/components/nearest", [&ctx](http::Request& req, const PathParams&) {
    return nearest_components(ctx, req);
  });
  router.add("POST", "/api/v1/components/import",
             [&ctx](http::Request& req, const PathParams&) { return import_components(ctx, req); });
  router.add("GET", "/api/v1/components/{id}", [&ctx](http::Request& req, const PathParams& p) {
    return get_component(ctx, req, p);
  });
  router.add("PATCH", "/api/v1/components/{id}", [&ctx](http::Request& req, const PathParams& p) {
    return patch_component(ctx, req, p);
  });
}

}  // namespace cityops::api
