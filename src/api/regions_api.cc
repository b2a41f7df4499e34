// /api/v1/regions: region layers as GeoJSON (any date, any datum), one region with its parents
// and children, its versions, boundary edits and whole-layer imports. Edits rebuild the
// reference snapshot at once, so the next report is placed with the new boundary; cases
// already filed keep the grid codes they were given.
#include "api/context.h"
#include "api/problem.h"
#include "geo/geojson.h"
#include "services/region_import.h"

namespace cityops::api {

using nlohmann::json;

namespace {

const Status kUnknownLayer = invalid(
    "unknown_layer", "layer is district, street, community, unit_grid or governance_grid", "layer");

json time_or_null(const std::optional<Timestamp>& t) {
  return t ? json(format_rfc3339(*t)) : json(nullptr);
}

json region_feature(const store::Store::RegionVersion& v, geo::Datum datum) {
  const auto& r = v.region;
  auto parsed = geo::parse_features(r.geometry);
  json geometry = nullptr;
  if (parsed && !parsed->empty()) {
    geometry =
        geo::to_geojson(geo::convert_datum(parsed->front().geometry, geo::Datum::kWgs84, datum));
  }
  return {{"type", "Feature"},
          {"id", r.code},
          {"properties",
           {{"code", r.code},
            {"name", r.name},
            {"layer", r.layer},
            {"parent", r.parent},
            {"datum", geo::to_string(datum)},
            {"valid_from", format_rfc3339(v.valid_from)},
            {"valid_to", time_or_null(v.valid_to)}}},
          {"geometry", std::move(geometry)}};
}

// "YYYY-MM-DD" (the start of that day in China) or an RFC 3339 instant.
Result<Timestamp> instant_param(std::string_view text, const std::string& field) {
  if (const auto date = parse_date(text)) return from_local(*date, std::chrono::seconds{0});
  if (const auto t = parse_rfc3339(text)) return *t;
  return invalid("invalid_time", field + " is a date (YYYY-MM-DD) or an RFC 3339 time", field);
}

http::Response list_regions(ApiContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"layer", "datum", "parent", "at"}), req);
  const auto layer = query_value(req, "layer").value_or("street");
  if (!services::parse_region_layer(layer)) return problem(kUnknownLayer, req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  const auto parent = query_value(req, "parent");
  Timestamp at = ctx.clock.now();
  if (const auto text = query_value(req, "at")) {
    auto parsed = instant_param(*text, "at");
    if (!parsed) return problem(parsed.status(), req);
    at = *parsed;
  }

  auto versions = ctx.store.regions_at(layer, at);
  if (!versions) return problem(versions.status(), req);
  json features = json::array();
  for (const auto& v : *versions) {
    if (parent && v.region.parent != *parent) continue;
    features.push_back(region_feature(v, *datum));
  }
  return json_response(200, {{"type", "FeatureCollection"}, {"features", std::move(features)}});
}

http::Response region_history(ApiContext& ctx, http::Request& req, const PathParams& p) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"datum"}), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  auto versions = ctx.store.region_history(p.at("code"));
  if (!versions) return problem(versions.status(), req);
  if (versions->empty()) {
    return problem(not_found("unknown_region", "no region " + p.at("code")), req);
  }
  json features = json::array();
  for (const auto& v : *versions) features.push_back(region_feature(v, *datum));
  return json_response(200, {{"type", "FeatureCollection"}, {"features", std::move(features)}});
}

json region_ref(const services::RegionInfo& r) {
  return {{"code", r.code}, {"layer", r.layer}, {"name", r.name}};
}

http::Response get_region(ApiContext& ctx, http::Request& req, const PathParams& p) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"datum"}), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  const auto reference = ctx.reference();
  const auto* region = reference->region(p.at("code"));
  if (!region) return problem(not_found("unknown_region", "no region " + p.at("code")), req);

  // The chain up to the district; the district's own parent (the city) is not stored.
  json parents = json::array();
  for (const auto* up = reference->region(region->parent); up && parents.size() < 8;
       up = reference->region(up->parent)) {
    parents.push_back(region_ref(*up));
  }
  json children = json::object();
  for (const auto layer : services::kRegionLayers) {
    json items = json::array();
    for (const auto& child : reference->regions_of(layer)) {
      if (child.parent == region->code) items.push_back(region_ref(child));
    }
    if (!items.empty()) children[std::string(layer)] = std::move(items);
  }

  auto versions = ctx.store.regions_at(region->layer, ctx.clock.now());
  if (!versions) return problem(versions.status(), req);
  json body = {{"code", region->code},
               {"layer", region->layer},
               {"name", region->name},
               {"parent", region->parent}};
  for (const auto& v : *versions) {
    if (v.region.code != region->code) continue;
    body["feature"] = region_feature(v, *datum);
  }
  body["parents"] = std::move(parents);
  body["children"] = std::move(children);
  return json_response(200, body);
}

Result<std::string> string_property(const json& properties, const std::string& key,
                                    const std::string& fallback) {
  if (!properties.contains(key)) return fallback;
  if (!properties[key].is_string()) {
    return invalid("invalid_type", key + " must be a string", "properties." + key);
  }
  return properties[key].get<std::string>();
}

http::Response put_region(ApiContext& ctx, http::Request& req, const PathParams& p) {
  auto principal = require_role(ctx, req, {Role::kAdmin});
  if (!principal) return problem(principal.status(), req);
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"datum", "valid_from"}), req);
  const std::string& layer = p.at("layer");
  if (!services::parse_region_layer(layer)) return problem(kUnknownLayer, req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  auto features = geo::parse_features(req.body);
  if (!features) return problem(features.status(), req);
  if (features->size() != 1) {
    return problem(invalid("invalid_geojson", "send one Feature or one geometry", "body"), req);
  }
  const auto& feature = features->front();
  const auto wgs84 = geo::convert_datum(feature.geometry, *datum, geo::Datum::kWgs84);
  CITYOPS_RETURN_PROBLEM(services::check_area(wgs84, "geometry"), req);

  Timestamp valid_from = ctx.clock.now();
  std::optional<std::string> from_text = query_value(req, "valid_from");
  if (!from_text && feature.properties.contains("valid_from")) {
    const auto& v = feature.properties["valid_from"];
    if (!v.is_string()) {
      return problem(invalid("invalid_time", "valid_from must be a string", "valid_from"), req);
    }
    from_text = v.get<std::string>();
  }
  if (from_text) {
    auto parsed = instant_param(*from_text, "valid_from");
    if (!parsed) return problem(parsed.status(), req);
    valid_from = *parsed;
  }

  // Name and parent stay as they were unless the feature says otherwise.
  const auto* current = ctx.reference()->region(p.at("code"));
  if (!current || current->layer != layer) {
    return problem(not_found("unknown_region", "no current " + layer + " " + p.at("code")), req);
  }
  auto name = string_property(feature.properties, "name", current->name);
  if (!name) return problem(name.status(), req);
  auto parent = string_property(feature.properties, "parent", current->parent);
  if (!parent) return problem(parent.status(), req);

  const store::RegionRecord record{p.at("code"),
                                   layer,
                                   *name,
                                   *parent,
                                   geo::to_geojson(wgs84).dump(),
                                   std::string(geo::to_string(*datum))};
  CITYOPS_RETURN_PROBLEM(ctx.store.put_region_version(record, valid_from), req);
  CITYOPS_RETURN_PROBLEM(ctx.reload_reference(), req);
  auto versions = ctx.store.region_history(record.code);
  if (!versions) return problem(versions.status(), req);
  json features_out = json::array();
  for (const auto& v : *versions) features_out.push_back(region_feature(v, geo::Datum::kWgs84));
  return json_response(200, {{"type", "FeatureCollection"}, {"features", std::move(features_out)}});
}

http::Response import_layer(ApiContext& ctx, http::Request& req, const PathParams& p) {
  auto principal = require_role(ctx, req, {Role::kAdmin});
  if (!principal) return problem(principal.status(), req);
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"datum"}), req);
  services::RegionImportOptions options;
  options.layer = p.at("layer");
  if (!services::parse_region_layer(options.layer)) return problem(kUnknownLayer, req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  options.datum = *datum;
  const auto& districts = ctx.reference()->regions_of("district");
  const std::string district_code = districts.empty() ? "" : districts.front().code;

  auto records = services::regions_from_geojson(req.body, options, district_code);
  if (!records) return problem(records.status(), req);
  CITYOPS_RETURN_PROBLEM(ctx.store.replace_regions({options.layer}, *records), req);
  CITYOPS_RETURN_PROBLEM(ctx.reload_reference(), req);
  return json_response(200, {{"layer", options.layer}, {"imported", records->size()}});
}

}  // namespace

void add_region_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/regions",
             [&ctx](http::Request& req, const PathParams&) { return list_regions(ctx, req); });
  router.add("GET", "/api/v1/regions/{code}",
             [&ctx](http::Request& req, const PathParams& p) { return get_region(ctx, req, p); });
  router.add("POST", "/api/v1/regions/{layer}",
             [&ctx](http::Request& req, const PathParams& p) { return import_layer(ctx, req, p); });
  router.add(
      "GET", "/api/v1/regions/{code}/history",
      [&ctx](http::Request& req, const PathParams& p) { return region_history(ctx, req, p); });
  router.add("PUT", "/api/v1/regions/{layer}/{code}",
             [&ctx](http::Request& req, const PathParams& p) { return put_region(ctx, req, p); });
}

}  // namespace cityops::api
