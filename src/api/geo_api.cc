// Named places for clients: a search for place pickers and the resolution of an address
// string to a point, both over the gazetteer of the reference snapshot in force; and datum
// conversion of a point.
#include "api/context.h"
#include "api/problem.h"
#include "common/utf8.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr size_t kDefaultPlaces = 10;
constexpr size_t kMaxPlaces = 50;

// A required text parameter: present, UTF-8, and not blank.
Result<std::string> text_param(const http::Request& req, const std::string& name) {
  auto value = query_value(req, name);
  if (value && !is_valid_utf8(*value)) {
    return invalid("invalid_encoding", name + " is not UTF-8", name);
  }
  if (!value || geo::fold_address(*value).empty()) {
    return invalid("missing_parameter", name + " is required and not blank", name);
  }
  return std::move(*value);
}

http::Response search_places(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"q", "limit"}), req);
  auto q = text_param(req, "q");
  if (!q) return problem(q.status(), req);
  auto limit = parse_limit(req, kDefaultPlaces, kMaxPlaces);
  if (!limit) return problem(limit.status(), req);

  const auto reference = ctx.reference();
  json items = json::array();
  for (const geo::Entry* entry : reference->gazetteer().search(*q, *limit)) {
    json item = {{"name", entry->name},     {"kind", entry->kind},     {"aliases", entry->aliases},
                 {"lon", entry->point.lon}, {"lat", entry->point.lat}, {"datum", "wgs84"}};
    if (!entry->code.empty()) item["code"] = entry->code;
    items.push_back(std::move(item));
  }
  return json_response(200, {{"items", std::move(items)}});
}

http::Response resolve_address(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"address"}), req);
  auto address = text_param(req, "address");
  if (!address) return problem(address.status(), req);

  const auto reference = ctx.reference();
  auto place = reference->gazetteer().resolve(*address);
  if (!place) {
    // The gazetteer names the Open311 field; here the parameter is called address.
    const Status& s = place.status();
    return problem(Status(s.kind(), s.code(), s.message(), "address"), req);
  }
  const auto placement = reference->place(place->point);
  json body = {{"address", *address},
               {"name", place->name},
               {"kind", place->kind},
               {"precision", geo::to_string(place->precision)},
               {"matched", place->matched},
               {"lon", place->point.lon},
               {"lat", place->point.lat},
               {"datum", "wgs84"},
               {"street", placement.street},
               {"community", placement.community},
               {"unit_grid", placement.unit_grid}};
  if (!place->code.empty()) body["code"] = place->code;
  return json_response(200, body);
}

// A point from one datum to another, for clients that draw on a map of another datum.
http::Response convert_point(http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"lon", "lat", "from", "to"}), req);
  auto point = lonlat_params(req);
  if (!point) return problem(point.status(), req);
  auto from = datum_param(req, "from", std::nullopt);
  if (!from) return problem(from.status(), req);
  auto to = datum_param(req, "to", std::nullopt);
  if (!to) return problem(to.status(), req);
  const auto out = geo::convert(*point, *from, *to);
  return json_response(200, {{"lon", out.lon}, {"lat", out.lat}});
}

}  // namespace

void add_geo_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/geo/convert",
             [](http::Request& req, const PathParams&) { return convert_point(req); });
  router.add("GET", "/api/v1/geo/places",
             [&ctx](http::Request& req, const PathParams&) { return search_places(ctx, req); });
  router.add("GET", "/api/v1/geo/resolve",
             [&ctx](http::Request& req, const PathParams&) { return resolve_address(ctx, req); });
}

}  // namespace cityops::api
