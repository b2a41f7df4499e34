#include "api/openapi.h"

namespace cityops::api {

namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.1.0",
  "info": {"title": "CityOps API", "version": "1"},
  "components": {
    "schemas": {
      "Problem": {
        "type": "object",
        "properties": {
          "status": {"type": "integer"}, "code": {"type": "string"},
          "title": {"type": "string"}, "field": {"type": "string"},
          "request_id": {"type": "string"}
        }
      },
      "Location": {
        "type": "object", "required": ["lon", "lat"],
        "properties": {
          "lon": {"type": "number"}, "lat": {"type": "number"},
          "datum": {"enum": ["wgs84", "gcj02", "bd09", "cgcs2000"]}
        }
      },
      "NewCase": {
        "type": "object", "additionalProperties": false,
        "required": ["category", "description", "location", "channel"],
        "properties": {
          "category": {"type": "string", "examples": ["06015"]},
          "description": {"type": "string"},
          "location": {"$ref": "#/components/schemas/Location"},
          "address": {"type": "string"},
          "channel": {"enum": ["hotline", "web", "mobile_app", "grid_patrol", "inspection",
                               "video_analytics", "sensor", "open311", "transfer",
                               "leader_instruction"]},
          "urgency": {"enum": ["normal", "urgent"]},
          "reporter": {"type": "object", "properties": {
            "name": {"type": "string"}, "phone": {"type": "string"},
            "anonymous": {"type": "boolean"}}},
          "photos": {"type": "array", "items": {"type": "string"}}
        }
      },
      "Case": {
        "type": "object",
        "properties": {
          "number": {"type": "string", "examples": ["130304-20261204-000017"]},
          "state": {"type": "string"}, "version": {"type": "integer"},
          "unit_grid": {"type": "string"}, "street": {"type": "string"},
          "governance_grid": {"type": "string"}, "department": {"type": "string"},
          "due_at": {"type": "string", "format": "date-time"},
          "light": {"enum": ["green", "yellow", "red", "none"]}
        }
      }
    },
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer",
                 "description": "a token from POST /api/v1/sessions"}
    }
  },
  "paths": {
    "/api/v1/cases": {
      "post": {
        "summary": "Report a case from any channel",
        "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {
          "schema": {"$ref": "#/components/schemas/NewCase"}}}},
        "responses": {"201": {"description": "The new case, with duplicates and warnings"},
                      "400": {"description": "Bad input", "content": {
                        "application/problem+json": {
                          "schema": {"$ref": "#/components/schemas/Problem"}}}},
                      "422": {"description": "Outside the district"}}
      },
      "get": {
        "summary": "List cases, newest first",
        "parameters": [
          {"name": "state", "in": "query", "description": "comma-separated states"},
          {"name": "category", "in": "query"}, {"name": "channel", "in": "query"},
          {"name": "street", "in": "query"}, {"name": "grid", "in": "query"},
          {"name": "department", "in": "query"},
          {"name": "from", "in": "query", "description": "RFC 3339 or date, inclusive"},
          {"name": "to", "in": "query", "description": "RFC 3339 or date, exclusive"},
          {"name": "bbox", "in": "query", "description": "min_lon,min_lat,max_lon,max_lat"},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                      "maximum": 100}},
          {"name": "cursor", "in": "query"}],
        "responses": {"200": {"description": "{items, next_cursor}"}}
      }
    },
    "/api/v1/cases/{number}": {"get": {"summary": "One case",
      "responses": {"200": {"description": "The case"}, "404": {"description": "No such case"}}}},
    "/api/v1/cases/{number}/events": {"get": {"summary": "The case's history, in order"}},
    "/api/v1/categories": {"get": {"summary": "Categories; q searches code, name, keywords"}},
    "/api/v1/categories/{ref}": {"get": {"summary": "One category"}},
    "/api/v1/departments": {"get": {"summary": "Departments"}},
    "/api/v1/regions": {"get": {"summary": "Regions of a layer as GeoJSON",
      "parameters": [{"name": "layer", "in": "query"}, {"name": "datum", "in": "query"},
                     {"name": "parent", "in": "query"},
                     {"name": "at", "in": "query", "description": "date or time: versions then"}]}},
    "/api/v1/regions/locate": {"get": {"summary": "Resolve a point to its regions"}},
    "/api/v1/regions/{code}": {"get": {"summary": "A region, its parents and its children"},
      "post": {"summary": "Here {code} names a layer: replace it with a FeatureCollection",
        "security": [{"bearer": []}]}},
    "/api/v1/regions/{code}/history": {"get": {"summary": "A region's versions, oldest first"}},
    "/api/v1/regions/{layer}/{code}": {"put": {
      "summary": "A new boundary from valid_from (admin); cases keep the grid they were filed in",
      "security": [{"bearer": []}],
      "parameters": [{"name": "datum", "in": "query"}, {"name": "valid_from", "in": "query"}],
      "responses": {"200": {"description": "The new version"},
                    "400": {"description":
                      "invalid_geojson, invalid_geometry, valid_from_too_early"}}}},
    "/api/v1/staff": {"get": {"summary": "Grid staff (grid=, team=, role=, q=, limit, offset)",
      "security": [{"bearer": []}]}},
    "/api/v1/staff/{staff_no}": {"get": {"summary": "One staff member, grids and leaders",
      "security": [{"bearer": []}]}},
    "/api/v1/staff/import": {"post": {"summary": "Import grid staff from CSV (admin)",
      "security": [{"bearer": []}],
      "requestBody": {"content": {"text/csv": {}}},
      "responses": {"200": {"description":
        "{imported, updated, rejected: [{line, field, code, message}]}"}}}},
    "/api/v1/geo/convert": {"get": {"summary": "A point from one datum to another",
      "parameters": [{"name": "lon", "in": "query", "required": true},
                     {"name": "lat", "in": "query", "required": true},
                     {"name": "from", "in": "query", "required": true,
                      "description": "wgs84, gcj02, bd09 or cgcs2000"},
                     {"name": "to", "in": "query", "required": true}],
      "responses": {"200": {"description": "{lon, lat} in the datum asked for"},
                    "400": {"description": "missing_parameter, out_of_range, unknown_datum"}}}},
    "/api/v1/geo/places": {"get": {"summary": "Named places, roads and areas for a picker",
      "parameters": [{"name": "q", "in": "query", "required": true,
                      "description": "part of a name or alias"},
                     {"name": "limit", "in": "query", "schema": {"type": "integer",
                      "minimum": 1, "maximum": 50}}],
      "responses": {
        "200": {"description": "{items: [{name, kind, aliases, code, lon, lat}]} in WGS84"},
        "400": {"description": "missing_parameter, invalid_limit, unknown_parameter"}}}},
    "/api/v1/geo/resolve": {"get": {"summary": "Resolve a Chinese address string to a point",
      "parameters": [{"name": "address", "in": "query", "required": true,
                      "description": "海宁路12号 or 海宁路与东经路交叉口"}],
      "responses": {
        "200": {"description":
          "{name, kind, precision, matched, lon, lat, street, community, unit_grid} in WGS84"},
        "400": {"description": "unresolved_address (field address), missing_parameter"}}}},
    "/api/v1/calendar/due": {"get": {"summary": "Deadline calculator",
      "parameters": [{"name": "start", "in": "query"}, {"name": "amount", "in": "query"},
                     {"name": "unit", "in": "query",
                      "schema": {"enum": ["working_hours", "working_days", "natural_hours"]}}]}},
    "/api/v1/sessions": {"post": {"summary": "Sign in with username and password",
      "requestBody": {"content": {"application/json": {"schema": {"type": "object",
        "additionalProperties": false, "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
      "responses": {"201": {"description": "{token, token_type, expires_at, user}"},
                    "401": {"description": "invalid_credentials or user_disabled"}}}},
    "/api/v1/sessions/current": {"delete": {"summary": "Sign out; the token stops working",
      "security": [{"bearer": []}],
      "responses": {"204": {"description": "Signed out"}, "401": {"description": "No session"}}}},
    "/api/v1/me": {"get": {"summary": "The signed-in principal", "security": [{"bearer": []}]}},
    "/api/v1/users": {
      "get": {"summary": "Accounts (admin)", "security": [{"bearer": []}]},
      "post": {"summary": "Create an account (admin)", "security": [{"bearer": []}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object",
          "additionalProperties": false, "required": ["username", "role", "password"],
          "properties": {"username": {"type": "string"}, "display_name": {"type": "string"},
            "role": {"enum": ["admin", "intake_clerk", "shift_lead", "dispatcher",
                              "department_handler", "inspector", "grid_worker", "supervisor",
                              "viewer"]},
            "department": {"type": "string"},
            "grids": {"type": "array", "items": {"type": "string"}},
            "password": {"type": "string", "minLength": 8}}}}}},
        "responses": {"201": {"description": "The account"},
                      "403": {"description": "Not an admin"},
                      "409": {"description": "username_taken"}}}},
    "/api/v1/photos": {"post": {"summary": "Upload a JPEG, PNG or WebP photo",
      "description": "The raw image as the body, or multipart/form-data with a part photo",
      "security": [{"bearer": []}],
      "responses": {
        "201": {"description": "The photo's record (see meta) and existed: sent before"},
        "400": {"description": "empty_media, broken_image, broken_exif (field photo)"},
        "413": {"description": "media_too_large, image_too_large"},
        "415": {"description": "not_an_image"}}}},
    "/api/v1/photos/{name}": {"get": {"summary": "The photo, cacheable by its ETag",
      "security": [{"bearer": []}],
      "responses": {"200": {"description": "The image"}, "304": {"description": "Unchanged"},
                    "404": {"description": "unknown_photo, also when not the caller's to see"}}}},
    "/api/v1/photos/{name}/thumbnail": {"get": {"summary": "A JPEG of at most 320 px",
      "security": [{"bearer": []}]}},
    "/api/v1/photos/{name}/meta": {"get": {"summary":
      "{name, url, thumbnail_url, content_type, size, width, height, taken_at, location}",
      "security": [{"bearer": []}]}},
    "/api/v1/patrols": {
      "get": {"summary": "A worker's patrols (worker=, date=)", "security": [{"bearer": []}]},
      "post": {"summary": "Start a patrol (grid_worker, inspector)", "security": [{"bearer": []}],
        "responses": {"201": {"description": "The patrol"},
                      "409": {"description": "patrol_open, with patrol_id"}}}},
    "/api/v1/patrols/{id}/end": {"post": {"summary": "End the patrol",
      "security": [{"bearer": []}]}},
    "/api/v1/patrols/{id}/track": {
      "get": {"summary": "The patrol's track as GeoJSON (datum=)", "security": [{"bearer": []}]},
      "post": {"summary": "Add GPS fixes: {points: [{t, lon, lat, datum, accuracy}]}",
        "security": [{"bearer": []}],
        "responses": {"200": {"description": "accepted, duplicates, rejected by index"}}}},
    "/api/v1/patrols/{id}/reports": {"post": {
      "summary": "A problem found on patrol, as a grid_patrol case; handled_on_spot for 自处置",
      "security": [{"bearer": []}],
      "parameters": [{"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}]}},
    "/api/v1/patrols/tracks": {"get": {"summary": "A worker's tracks of a day as GeoJSON",
      "security": [{"bearer": []}]}},
    "/api/v1/patrols/coverage": {"get": {
      "summary": "A worker's day: time, distance, assigned unit grids visited and not",
      "security": [{"bearer": []}]}},
    "/api/v1/grids/visits": {"get": {"summary": "When each grid was last visited on patrol",
      "security": [{"bearer": []}]}},
    "/api/v1/components": {"get": {"summary": "Components by box, circle or nearest",
      "security": [{"bearer": []}],
      "parameters": [{"name": "bbox", "in": "query"}, {"name": "near", "in": "query",
                      "description": "lon,lat in WGS84"},
                     {"name": "radius", "in": "query"}, {"name": "nearest", "in": "query"},
                     {"name": "category", "in": "query"}, {"name": "status", "in": "query"},
                     {"name": "limit", "in": "query"}, {"name": "offset", "in": "query"},
                     {"name": "format", "in": "query", "schema": {"enum": ["json", "geojson"]}}],
      "responses": {"200": {"description": "{items, next_offset} or a FeatureCollection"}}}},
    "/api/v1/components.geojson": {"get": {"summary": "Components as GeoJSON, for the map",
      "security": [{"bearer": []}]}},
    "/api/v1/components/nearest": {"get": {"summary": "The n components nearest a point",
      "security": [{"bearer": []}]}},
    "/api/v1/components/import": {"post": {"summary": "Import components (admin)",
      "security": [{"bearer": []}],
      "requestBody": {"content": {"text/csv": {}, "application/geo+json": {}}},
      "responses": {"200": {"description":
        "{imported, updated, rejected: [{line or feature, field, code, message}]}"}}}},
    "/api/v1/components/{id}": {
      "get": {"summary": "One component", "security": [{"bearer": []}]},
      "patch": {"summary": "Change a component's status", "security": [{"bearer": []}]}},
    "/api/v1/stats/case-counts": {"get": {"summary": "Cases per grid, area or category",
      "security": [{"bearer": []}],
      "parameters": [{"name": "by", "in": "query", "required": true}, {"name": "from",
                      "in": "query", "required": true}, {"name": "to", "in": "query",
                      "required": true}, {"name": "category", "in": "query"},
                     {"name": "state", "in": "query", "schema": {"enum": ["open"]}}],
      "responses": {"200": {"description": "{by, items: [{key, count}]}"}}}},
    "/api/v1/stats/dashboard": {"get": {"summary": "Dashboard counters and charts, in scope",
      "security": [{"bearer": []}],
      "responses": {"200": {"description": "counters, hourly intake, classes, overdue, lights"}}}},
    "/api/v1/cases/similar": {"get": {"summary": "Open cases a report would duplicate",
      "security": [{"bearer": []}],
      "parameters": [{"name": "lon", "in": "query", "required": true}, {"name": "lat",
                      "in": "query", "required": true}, {"name": "category", "in": "query",
                      "required": true}, {"name": "description", "in": "query"},
                     {"name": "datum", "in": "query"}],
      "responses": {"200": {"description": "{items: [{number, distance_m, description, ...}]}"}}}},
    "/api/v1/public/cases/{number}": {"get": {"summary": "A case's progress, no personal data",
      "parameters": [{"name": "number", "in": "path", "required": true}],
      "responses": {"200": {"description": "{number, state, light, due_at, history, ...}"},
        "400": {"description": "invalid_number"}, "404": {"description": "case_not_found"}}}},
    "/api/v1/reports": {"post": {"summary": "Report a problem with photos from a phone",
      "security": [{}, {"bearer": []}],
      "parameters": [{"name": "Idempotency-Key", "in": "header"}],
      "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object",
        "required": ["category", "description", "lon", "lat"],
        "properties": {"category": {"type": "string"}, "description": {"type": "string"},
          "lon": {"type": "number"}, "lat": {"type": "number"}, "datum": {"type": "string"},
          "address": {"type": "string"}, "phone": {"type": "string"},
          "name": {"type": "string"}, "photo": {"type": "array", "maxItems": 4,
          "items": {"type": "string", "format": "binary"}}}}}}},
      "responses": {"201": {"description": "{number, state, lookup_url, photos}"},
        "429": {"description": "rate_limited (anonymous callers, per address)"}}}},
    "/api/v1/client-config": {"get": {"summary": "District outline and base map for the pages",
      "responses": {"200": {"description":
        "{district: {code, name, center, bounds}, map: {tile_url, tile_datum, ...}}"}}}},
    "/api/v1/live": {"get": {"summary": "Case events as Server-Sent Events",
      "security": [{"bearer": []}],
      "parameters": [{"name": "access_token", "in": "query"},
                     {"name": "after", "in": "query", "schema": {"type": "integer"}},
                     {"name": "backlog", "in": "query", "schema": {"maximum": 100}},
                     {"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer"}}],
      "responses": {
        "200": {"description": "hello {last_event_id}; case {id, number, type, state, light, ...}",
                "content": {"text/event-stream": {}}},
        "400": {"description": "invalid_after, invalid_backlog, unknown_parameter"},
        "401": {"description": "missing_token, invalid_token"}}}},
    "/healthz": {"get": {"summary": "Liveness"}},
    "/readyz": {"get": {"summary": "Readiness"}},
    "/metrics": {"get": {"summary": "Prometheus metrics"}}
  }
})json";

}  // namespace

std::string_view openapi_document() { return kDocument; }

}  // namespace cityops::api
