// Endpoints for the web pages: the settings they start with and the live feed of case events.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/context.h"

namespace cityops::services {
class LiveFeed;
}

namespace cityops::api {

// What GET /api/v1/client-config tells the pages besides the district outline.
struct ClientSettings {
  std::string district_code;
  std::string district_name;
  std::optional<std::string> tile_url;
  std::string tile_datum = "wgs84";
  std::string attribution;
  int max_zoom = 18;
  std::vector<std::string> subdomains;
};

// GET /api/v1/client-config, public: the district with its WGS84 centre and bounds (null when
// no district region is stored) and the base map settings.
void add_client_config_routes(Router& router, ApiContext& ctx, ClientSettings settings);

// The data of a live "case" message: the event's id, type and time with the case as it is at
// `now` (state, light: green, yellow, red or null when no step is timed), its WGS84 location,
// category with name and 2-digit class, department and governance grid.
nlohmann::json live_case_json(const CaseEvent& event, const Case& current,
                              const services::ReferenceData& reference, Timestamp now);

// GET /api/v1/live: Server-Sent Events of the case events the signed-in caller may see.
void add_live_routes(Router& router, ApiContext& ctx, services::LiveFeed& feed);

}  // namespace cityops::api
