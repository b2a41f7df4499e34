// The settings the web pages read before they draw anything.
#include <cmath>

#include "api/problem.h"
#include "api/web_api.h"
#include "geo/geojson.h"

namespace cityops::api {

namespace {

using nlohmann::json;

double round7(double v) { return std::round(v * 1e7) / 1e7; }

// Centre and bounds of the district's outline; nulls when the store holds none. The region
// with the configured code wins; any district region serves when none has it.
Result<json> district_of(ApiContext& ctx, const ClientSettings& settings) {
  json out = {{"code", settings.district_code},
              {"name", settings.district_name},
              {"center", nullptr},
              {"bounds", nullptr}};
  auto regions = ctx.store.regions("district");
  if (!regions) return regions.status();
  const store::RegionRecord* chosen = nullptr;
  for (const auto& region : *regions) {
    if (!chosen || region.code == settings.district_code) chosen = &region;
  }
  if (!chosen) return out;
  auto features = geo::parse_features(chosen->geometry);
  if (!features || features->empty()) return out;
  const auto box = geo::bounding_box(features->front().geometry);
  const double west = box.min_corner().x(), south = box.min_corner().y();
  const double east = box.max_corner().x(), north = box.max_corner().y();
  if (!(west <= east && south <= north)) return out;  // an empty outline
  out["center"] = {round7((west + east) / 2), round7((south + north) / 2)};
  out["bounds"] = {round7(west), round7(south), round7(east), round7(north)};
  return out;
}

}  // namespace

void add_client_config_routes(Router& router, ApiContext& ctx, ClientSettings settings) {
  router.add("GET", "/api/v1/client-config",
             [&ctx, settings = std::move(settings)](http::Request& req, const PathParams&) {
               CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
               auto district = district_of(ctx, settings);
               if (!district) return problem(district.status(), req);
               json map = {{"tile_url", nullptr},
                           {"tile_datum", settings.tile_datum},
                           {"attribution", settings.attribution},
                           {"max_zoom", settings.max_zoom},
                           {"subdomains", settings.subdomains}};
               if (settings.tile_url) map["tile_url"] = *settings.tile_url;
               auto res = json_response(200, {{"district", *district}, {"map", map}});
               res.headers.emplace_back("Cache-Control", "no-cache");
               return res;
             });
}

}  // namespace cityops::api
