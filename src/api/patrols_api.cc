// Patrols for grid workers' phones: start and end, track uploads, tracks as GeoJSON for the map,
// a worker's coverage of a day, and when each grid was last visited.
#include <cmath>

#include "api/patrol_context.h"
#include "api/problem.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr auto kPatrolRoles = {Role::kGridWorker, Role::kInspector};

// Patrol writes wait for their commit on a pool thread, as workflow actions do.
RouteHandler on_pool(PatrolContext& ctx, RouteHandler handler) {
  return [&ctx, handler](http::Request& req, const PathParams& p) {
    http::Response res;
    res.deferred = [&ctx, handler, req, p](http::Reply reply) {
      ctx.api.blocking.post([handler, req, p, reply]() mutable {
        auto done = std::make_shared<http::Response>(handler(req, p));
        reply([done] { return std::move(*done); });
      });
    };
    return res;
  };
}

http::Response start_patrol(PatrolContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto worker = require_role(ctx.api, req, kPatrolRoles);
  if (!worker) return problem(worker.status(), req);
  auto started = ctx.patrols.start(*worker);
  if (started) return json_response(201, encode_patrol(*started));
  auto res = problem(started.status(), req);
  if (started.status().code() == "patrol_open") {
    // Name the open patrol, so the phone can end it or carry on with it.
    auto open = ctx.api.store.patrols_between(worker->username, Timestamp{},
                                              ctx.api.clock.now() + std::chrono::days{1});
    if (open) {
      for (const auto& p : *open) {
        if (p.ended_at) continue;
        auto body = json::parse(res.body);
        body["patrol_id"] = p.id;
        res.body = body.dump();
      }
    }
  }
  return res;
}

http::Response end_patrol(PatrolContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto worker = require_role(ctx.api, req, kPatrolRoles);
  if (!worker) return problem(worker.status(), req);
  auto id = patrol_id_param(params.at("id"));
  if (!id) return problem(id.status(), req);
  auto ended = ctx.patrols.end(*worker, *id);
  if (!ended) return problem(ended.status(), req);
  return json_response(200, encode_patrol(*ended));
}

// The worker a leader asks about (the caller by default), if the caller may see them.
Result<std::string> visible_worker(PatrolContext& ctx, const Principal& viewer,
                                   const http::Request& req) {
  const std::string worker = query_value(req, "worker").value_or(viewer.username);
  auto visible = ctx.patrols.may_see_patrols(viewer, worker);
  if (!visible) return visible.status();
  if (!*visible) {
    return Status(ErrorKind::kPermissionDenied, "forbidden",
                  "you may not see the patrols of " + worker, "worker");
  }
  return worker;
}

// The local day named by `date`, or all time when it is absent and optional.
Result<std::pair<Timestamp, Timestamp>> day_param(PatrolContext& ctx, const http::Request& req,
                                                  bool required) {
  const auto text = query_value(req, "date");
  if (!text) {
    if (required) return invalid("missing_parameter", "date is required", "date");
    return std::pair{Timestamp{}, ctx.api.clock.now() + std::chrono::days{1}};
  }
  const auto date = parse_date(*text);
  if (!date) return invalid("invalid_date", "date is YYYY-MM-DD", "date");
  return services::local_day(*date);
}

http::Response list_patrols(PatrolContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"worker", "date"}), req);
  auto viewer = require_principal(ctx.api, req);
  if (!viewer) return problem(viewer.status(), req);
  auto worker = visible_worker(ctx, *viewer, req);
  if (!worker) return problem(worker.status(), req);
  auto day = day_param(ctx, req, false);
  if (!day) return problem(day.status(), req);
  auto patrols = ctx.api.store.patrols_between(*worker, day->first, day->second);
  if (!patrols) return problem(patrols.status(), req);
  json items = json::array();
  for (const auto& p : *patrols) items.push_back(encode_patrol(p));
  return json_response(200, {{"items", std::move(items)}});
}

// One decoded fix, or why it cannot be read.
Result<services::FixInput> decode_fix(const json& point, size_t index) {
  if (!point.is_object()) return invalid("invalid_type", "a point is a JSON object", "points");
  for (const auto& [key, value] : point.items()) {
    if (key != "t" && key != "lon" && key != "lat" && key != "datum" && key != "accuracy") {
      return invalid("unknown_field", "unknown field " + key, key);
    }
  }
  services::FixInput fix;
  fix.index = index;
  if (!point.contains("t") || !point["t"].is_string()) {
    return invalid("missing_field", "t is an RFC 3339 time with an offset", "t");
  }
  const auto at = parse_rfc3339(point["t"].get<std::string>());
  if (!at) return invalid("invalid_time", "t is an RFC 3339 time with an offset", "t");
  fix.at = *at;
  for (const char* key : {"lon", "lat"}) {
    if (!point.contains(key) || !point[key].is_number()) {
      return invalid("missing_field", std::string(key) + " is a number", key);
    }
  }
  fix.location = {point["lon"].get<double>(), point["lat"].get<double>()};
  if (point.contains("datum")) {
    const auto datum = point["datum"].is_string()
                           ? geo::parse_datum(point["datum"].get<std::string>())
                           : std::nullopt;
    if (!datum) return invalid("unknown_datum", "datum is wgs84, gcj02, bd09 or cgcs2000", "datum");
    fix.datum = *datum;
  }
  if (point.contains("accuracy") && !point["accuracy"].is_null()) {
    if (!point["accuracy"].is_number() || !(point["accuracy"].get<double>() >= 0)) {
      return invalid("out_of_range", "accuracy is metres, 0 or more", "accuracy");
    }
    fix.accuracy_m = point["accuracy"].get<double>();
  }
  return fix;
}

json encode_rejection(const services::FixRejection& r) {
  return {{"index", r.index},
          {"code", r.status.code()},
          {"field", r.status.field()},
          {"message", r.status.message()}};
}

http::Response upload_track(PatrolContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto worker = require_role(ctx.api, req, kPatrolRoles);
  if (!worker) return problem(worker.status(), req);
  auto id = patrol_id_param(params.at("id"));
  if (!id) return problem(id.status(), req);
  auto body = parse_json_body(req);
  if (!body) return problem(body.status(), req);
  if (!body->is_object() || !body->contains("points") || !(*body)["points"].is_array()) {
    return problem(invalid("missing_field", "the body is {\"points\": [...]}", "points"), req);
  }
  for (const auto& [key, value] : body->items()) {
    if (key != "points") return problem(invalid("unknown_field", "unknown field " + key, key), req);
  }
  std::vector<services::FixInput> fixes;
  std::vector<services::FixRejection> rejected;
  const auto& points = (*body)["points"];
  for (size_t i = 0; i < points.size(); ++i) {
    auto fix = decode_fix(points[i], i);
    if (fix) {
      fixes.push_back(*fix);
    } else {
      rejected.push_back({i, fix.status()});
    }
  }
  auto outcome = ctx.patrols.upload(*worker, *id, std::move(fixes), std::move(rejected));
  if (!outcome) return problem(outcome.status(), req);
  json out = {{"accepted", outcome->accepted},
              {"duplicates", outcome->duplicates},
              {"rejected", json::array()}};
  for (const auto& r : outcome->rejected) out["rejected"].push_back(encode_rejection(r));
  return json_response(200, out);
}

// One patrol as a GeoJSON feature: a LineString of its fixes (a Point for one, no geometry
// for none), with the time of each fix in the properties.
Result<json> track_feature(PatrolContext& ctx, const store::PatrolRecord& p, geo::Datum datum,
                           std::optional<std::pair<Timestamp, Timestamp>> day) {
  auto points = ctx.api.store.track_points(p.id);
  if (!points) return points.status();
  json coordinates = json::array();
  json times = json::array();
  std::vector<patrol::Fix> fixes;
  for (const auto& point : *points) {
    if (day && (point.at < day->first || point.at >= day->second)) continue;
    const auto shown = geo::convert(point.location, geo::Datum::kWgs84, datum);
    coordinates.push_back({shown.lon, shown.lat});
    times.push_back(format_rfc3339(point.at));
    fixes.push_back({point.at, point.location});
  }
  json geometry = nullptr;
  if (coordinates.size() == 1) {
    geometry = {{"type", "Point"}, {"coordinates", coordinates[0]}};
  } else if (coordinates.size() > 1) {
    geometry = {{"type", "LineString"}, {"coordinates", coordinates}};
  }
  json properties = encode_patrol(p);
  properties["times"] = std::move(times);
  properties["distance_m"] = std::round(patrol::track_length_m(fixes) * 10) / 10;
  return json{{"type", "Feature"}, {"geometry", geometry}, {"properties", properties}};
}

json feature_collection(json features, geo::Datum datum) {
  return {{"type", "FeatureCollection"},
          {"datum", geo::to_string(datum)},
          {"features", std::move(features)}};
}

http::Response get_track(PatrolContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"datum"}), req);
  auto viewer = require_principal(ctx.api, req);
  if (!viewer) return problem(viewer.status(), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  auto id = patrol_id_param(params.at("id"));
  if (!id) return problem(id.status(), req);
  auto patrol_record = ctx.patrols.visible_patrol(*viewer, *id);
  if (!patrol_record) return problem(patrol_record.status(), req);
  auto feature = track_feature(ctx, *patrol_record, *datum, std::nullopt);
  if (!feature) return problem(feature.status(), req);
  auto res = json_response(200, feature_collection(json::array({*feature}), *datum));
  res.content_type = "application/geo+json";
  return res;
}

http::Response get_tracks(PatrolContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"worker", "date", "datum"}), req);
  auto viewer = require_principal(ctx.api, req);
  if (!viewer) return problem(viewer.status(), req);
  auto worker = visible_worker(ctx, *viewer, req);
  if (!worker) return problem(worker.status(), req);
  auto datum = datum_param(req, "datum", geo::Datum::kWgs84);
  if (!datum) return problem(datum.status(), req);
  auto day = day_param(ctx, req, true);
  if (!day) return problem(day.status(), req);
  auto patrols = ctx.api.store.patrols_between(*worker, day->first, day->second);
  if (!patrols) return problem(patrols.status(), req);
  json features = json::array();
  for (const auto& p : *patrols) {
    auto feature = track_feature(ctx, p, *datum, *day);
    if (!feature) return problem(feature.status(), req);
    features.push_back(std::move(feature).value());
  }
  auto res = json_response(200, feature_collection(std::move(features), *datum));
  res.content_type = "application/geo+json";
  return res;
}

http::Response get_coverage(PatrolContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"worker", "date"}), req);
  auto viewer = require_principal(ctx.api, req);
  if (!viewer) return problem(viewer.status(), req);
  auto worker = visible_worker(ctx, *viewer, req);
  if (!worker) return problem(worker.status(), req);
  const auto text = query_value(req, "date");
  if (!text) return problem(invalid("missing_parameter", "date is required", "date"), req);
  const auto date = parse_date(*text);
  if (!date) return problem(invalid("invalid_date", "date is YYYY-MM-DD", "date"), req);
  auto day = ctx.patrols.coverage(*worker, *date);
  if (!day) return problem(day.status(), req);
  return json_response(200, {{"worker", day->worker},
                             {"date", format_date(day->date)},
                             {"patrol_seconds", day->patrol_time.count()},
                             {"distance_m", std::round(day->distance_m * 10) / 10},
                             {"assigned_unit_grids", day->assigned},
                             {"visited", day->grids.visited},
                             {"unvisited", day->grids.unvisited},
                             {"visited_elsewhere", day->grids.elsewhere},
                             {"share", day->grids.share}});
}

http::Response get_grid_visits(PatrolContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {"layer", "grid"}), req);
  auto viewer = require_principal(ctx.api, req);
  if (!viewer) return problem(viewer.status(), req);
  const std::string layer = query_value(req, "layer").value_or("unit_grid");
  auto visits = ctx.api.store.grid_visits(layer, query_value(req, "grid"));
  if (!visits) return problem(visits.status(), req);
  json items = json::array();
  for (const auto& v : *visits) {
    items.push_back(
        {{"grid", v.grid}, {"last_visited_at", format_rfc3339(v.last_at)}, {"worker", v.worker}});
  }
  return json_response(200, {{"layer", layer}, {"items", std::move(items)}});
}

}  // namespace

json encode_patrol(const store::PatrolRecord& p) {
  return {{"id", p.id},
          {"worker", p.worker},
          {"started_at", format_rfc3339(p.started_at)},
          {"ended_at", p.ended_at ? json(format_rfc3339(*p.ended_at)) : json(nullptr)}};
}

Result<int64_t> patrol_id_param(const std::string& text) {
  int64_t id = 0;
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return invalid("invalid_patrol_id", "a patrol id is a whole number", "id");
  }
  id = std::stoll(text);
  return id;
}

void add_patrol_routes(Router& router, PatrolContext& ctx) {
  router.add("POST", "/api/v1/patrols", on_pool(ctx, [&ctx](http::Request& req, const PathParams&) {
               return start_patrol(ctx, req);
             }));
  router.add("GET", "/api/v1/patrols",
             [&ctx](http::Request& req, const PathParams&) { return list_patrols(ctx, req); });
  router.add("POST", "/api/v1/patrols/{id}/end",
             on_pool(ctx, [&ctx](http::Request& req, const PathParams& p) {
               return end_patrol(ctx, req, p);
             }));
  router.add("POST", "/api/v1/patrols/{id}/track",
             on_pool(ctx, [&ctx](http::Request& req, const PathParams& p) {
               return upload_track(ctx, req, p);
             }));
  router.add("GET", "/api/v1/patrols/{id}/track",
             [&ctx](http::Request& req, const PathParams& p) { return get_track(ctx, req, p); });
  router.add("GET", "/api/v1/patrols/tracks",
             [&ctx](http::Request& req, const PathParams&) { return get_tracks(ctx, req); });
  router.add("GET", "/api/v1/patrols/coverage",
             [&ctx](http::Request& req, const PathParams&) { return get_coverage(ctx, req); });
  router.add("GET", "/api/v1/grids/visits",
             [&ctx](http::Request& req, const PathParams&) { return get_grid_visits(ctx, req); });
}

}  // namespace cityops::api
