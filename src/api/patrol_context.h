// What the patrol handlers need: the common API context and the patrol service.
#pragma once

#include <nlohmann/json.hpp>

#include "api/context.h"
#include "services/patrol.h"

namespace cityops::api {

struct PatrolContext {
  ApiContext& api;
  services::PatrolService& patrols;
};

// Patrols, track uploads, tracks as GeoJSON, coverage and grid visits (patrols_api.cc).
void add_patrol_routes(Router& router, PatrolContext& ctx);
// Problems found on patrol, reported as cases and handled on the spot (patrol_reports_api.cc).
void add_patrol_report_routes(Router& router, PatrolContext& ctx);

// {id, worker, started_at, ended_at}.
nlohmann::json encode_patrol(const store::PatrolRecord& patrol);
// The patrol id of a path, or "invalid_patrol_id".
Result<int64_t> patrol_id_param(const std::string& text);

}  // namespace cityops::api
