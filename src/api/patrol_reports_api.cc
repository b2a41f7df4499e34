// POST /api/v1/patrols/{id}/reports: a problem a grid worker found on patrol becomes a case on
// channel grid_patrol, with the worker as reporter and photos; with handled_on_spot the worker
// handles it at once (自处置, the self_handle action) with after photos, for an inspector to
// verify. Multipart/form-data from the phone's camera, or JSON naming photos stored before.
#include <cmath>
#include <cstdlib>

#include "api/case_json.h"
#include "api/patrol_context.h"
#include "api/problem.h"
#include "common/utf8.h"
#include "http/form.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr size_t kMaxText = 4000;
constexpr size_t kMaxPhotos = 20;
// Case attributes that tie a case to the patrol it was found on.
constexpr const char* kPatrolIdAttribute = "patrol_id";
constexpr const char* kOutsideAttribute = "outside_assigned_grids";

// What the worker reported, before any photo is stored.
struct PatrolReport {
  std::string category, description, address, note;
  std::string lon, lat, datum = "wgs84";
  bool handled_on_spot = false;
  std::vector<std::string> photos;        // names of stored photos
  std::vector<std::string> after_photos;  // names of stored photos
  std::vector<std::string> photo_bytes, after_photo_bytes;
};

Status set_text(PatrolReport& r, const std::string& name, const std::string& value) {
  if (value.size() > kMaxText || !is_valid_utf8(value)) {
    return invalid("invalid_text", name + " is UTF-8 text of at most 4000 bytes", name);
  }
  if (has_control_characters(value)) {
    return invalid("invalid_characters", name + " holds control characters", name);
  }
  if (name == "category") {
    r.category = value;
  } else if (name == "description") {
    r.description = value;
  } else if (name == "address") {
    r.address = value;
  } else if (name == "note") {
    r.note = value;
  } else if (name == "lon") {
    r.lon = value;
  } else if (name == "lat") {
    r.lat = value;
  } else if (name == "datum") {
    r.datum = value;
  } else if (name == "handled_on_spot") {
    if (value != "true" && value != "false") {
      return invalid("invalid_type", "handled_on_spot is true or false", name);
    }
    r.handled_on_spot = value == "true";
  } else {
    return invalid("unknown_field", "unknown field " + name, name);
  }
  return Status::ok();
}

Result<PatrolReport> read_multipart(const http::Request& req) {
  auto parts = http::parse_multipart(req.header("content-type").value_or(""), req.body);
  if (!parts) return parts.status();
  PatrolReport r;
  for (auto& part : *parts) {
    if (part.name == "photo" || part.name == "after_photo") {
      (part.name == "photo" ? r.photo_bytes : r.after_photo_bytes).push_back(std::move(part.data));
      continue;
    }
    CITYOPS_RETURN_IF_ERROR(set_text(r, part.name, part.data));
  }
  return r;
}

Result<std::vector<std::string>> names_field(const json& value, const std::string& key) {
  std::vector<std::string> out;
  if (!value.is_array()) return invalid("invalid_type", key + " is a list of photo names", key);
  for (const auto& item : value) {
    if (!item.is_string()) return invalid("invalid_type", key + " holds photo names", key);
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<PatrolReport> read_json(const http::Request& req) {
  auto body = parse_json_body(req);
  if (!body) return body.status();
  if (!body->is_object()) return invalid("invalid_body", "the body must be a JSON object", "body");
  PatrolReport r;
  for (const auto& [key, value] : body->items()) {
    if (key == "photos" || key == "after_photos") {
      auto names = names_field(value, key);
      if (!names) return names.status();
      (key == "photos" ? r.photos : r.after_photos) = std::move(names).value();
    } else if (key == "handled_on_spot") {
      if (!value.is_boolean()) return invalid("invalid_type", "handled_on_spot is a boolean", key);
      r.handled_on_spot = value.get<bool>();
    } else if (value.is_number() && (key == "lon" || key == "lat")) {
      CITYOPS_RETURN_IF_ERROR(set_text(r, key, json(value.get<double>()).dump()));
    } else if (value.is_string()) {
      CITYOPS_RETURN_IF_ERROR(set_text(r, key, value.get<std::string>()));
    } else {
      return invalid(key == "lon" || key == "lat" ? "invalid_type" : "unknown_field",
                     "field " + key + " has the wrong type or is unknown", key);
    }
  }
  return r;
}

Result<double> coordinate(const std::string& text, const char* name, double limit) {
  if (text.empty()) return invalid("missing_field", std::string(name) + " is required", name);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value) || std::abs(value) > limit) {
    return invalid("out_of_range", std::string(name) + " is a number within range", name);
  }
  return value;
}

// Checks everything that can be checked before a photo is stored or a case written.
Status check_report(const PatrolReport& r) {
  if (r.category.empty()) return invalid("missing_field", "category is required", "category");
  if (r.description.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid("missing_field", "description must not be blank", "description");
  }
  if (r.photos.empty() && r.photo_bytes.empty()) {
    return invalid("missing_photos", "a patrol report carries at least one photo", "photo");
  }
  if (r.photos.size() + r.photo_bytes.size() > kMaxPhotos ||
      r.after_photos.size() + r.after_photo_bytes.size() > kMaxPhotos) {
    return invalid("too_many", "at most 20 photos of each kind", "photo");
  }
  const bool has_after = !r.after_photos.empty() || !r.after_photo_bytes.empty();
  if (r.handled_on_spot && !has_after) {
    return invalid("missing_photos", "handling on the spot needs after photos", "after_photo");
  }
  if (!r.handled_on_spot && (has_after || !r.note.empty())) {
    return invalid("not_handled_on_spot", "after photos and a note need handled_on_spot=true",
                   has_after ? "after_photo" : "note");
  }
  if (r.handled_on_spot && r.note.find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid("missing_note", "say what was done on the spot", "note");
  }
  return Status::ok();
}

// Stores uploaded photos and checks named ones (which the worker must be allowed to see),
// answering their records in order.
Result<std::vector<services::PhotoRecord>> store_photos(PatrolContext& ctx, const Principal& worker,
                                                        const std::vector<std::string>& names,
                                                        const std::vector<std::string>& uploads,
                                                        const char* field) {
  std::vector<services::PhotoRecord> out;
  const auto at_field = [field](const Status& s) {
    return Status(s.kind(), s.code(), s.message(), field);
  };
  for (const auto& name : names) {
    auto found = ctx.patrols.find_photo(worker, name);
    if (!found) return at_field(found.status());
    if (!*found) return invalid("unknown_photo", "no stored photo " + name, field);
    out.push_back(std::move(**found));
  }
  for (const auto& bytes : uploads) {
    auto stored = ctx.patrols.store_photo(bytes, worker.username);
    if (!stored) return at_field(stored.status());
    out.push_back(std::move(stored).value());
  }
  return out;
}

std::vector<std::string> names_of(const std::vector<services::PhotoRecord>& photos) {
  std::vector<std::string> names;
  for (const auto& photo : photos) names.push_back(photo.name);
  return names;
}

// Where the report was made: the point the phone sent, or else where the first photo that
// carries EXIF GPS was taken (WGS84, as receivers record it).
struct ReportPoint {
  geo::LonLat point{};
  geo::Datum datum = geo::Datum::kWgs84;
};
Result<ReportPoint> report_point(const PatrolReport& r,
                                 const std::vector<services::PhotoRecord>& photos) {
  if (r.lon.empty() && r.lat.empty()) {
    for (const auto& photo : photos) {
      if (photo.location) return ReportPoint{*photo.location, geo::Datum::kWgs84};
    }
    return invalid("missing_location", "send lon and lat, or a photo with EXIF GPS", "lon");
  }
  auto lon = coordinate(r.lon, "lon", 180);
  if (!lon) return lon.status();
  auto lat = coordinate(r.lat, "lat", 90);
  if (!lat) return lat.status();
  const auto datum = geo::parse_datum(r.datum);
  if (!datum) return invalid("unknown_datum", "datum is wgs84, gcj02, bd09 or cgcs2000", "datum");
  return ReportPoint{{*lon, *lat}, *datum};
}

http::Response report_problem(PatrolContext& ctx, http::Request& req, const PathParams& params) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto worker = require_role(ctx.api, req, {Role::kGridWorker, Role::kInspector});
  if (!worker) return problem(worker.status(), req);
  auto id = patrol_id_param(params.at("id"));
  if (!id) return problem(id.status(), req);
  auto patrol_record = ctx.patrols.visible_patrol(*worker, *id);
  if (!patrol_record || patrol_record->worker != worker->username) {
    return problem(not_found("patrol_not_found", "no patrol " + params.at("id") + " of yours"),
                   req);
  }
  const auto content_type = req.header("content-type").value_or("");
  auto report = http::is_multipart(content_type) ? read_multipart(req) : read_json(req);
  if (!report) return problem(report.status(), req);
  CITYOPS_RETURN_PROBLEM(check_report(*report), req);
  // Without a point the photos must say where they were taken, so they are stored first.
  std::vector<services::PhotoRecord> before;
  const bool located_by_photo = report->lon.empty() && report->lat.empty();
  if (located_by_photo) {
    auto stored = store_photos(ctx, *worker, report->photos, report->photo_bytes, "photo");
    if (!stored) return problem(stored.status(), req);
    before = std::move(stored).value();
  }
  auto point = report_point(*report, before);
  if (!point) return problem(point.status(), req);

  // Refused before any photo is stored: an unknown category, a point outside the district,
  // and a matter its department must handle reported with handled_on_spot.
  const auto reference = ctx.api.reference();
  const Category* category = reference->taxonomy().find(report->category);
  if (!category) {
    return problem(invalid("unknown_category", "no category " + report->category, "category"), req);
  }
  const auto place = reference->place(geo::convert(point->point, point->datum, geo::Datum::kWgs84));
  if (place.unit_grid.empty()) {
    return problem(Status(ErrorKind::kFailedPrecondition, "outside_district",
                          "the point is outside the district's unit grids", "location"),
                   req);
  }
  if (report->handled_on_spot) {
    if (!reference->self_handling().allows(*category)) {
      return problem(
          Status(ErrorKind::kConflict, "self_handling_not_allowed",
                 "category " + report->category + " must be handled by its department", "category"),
          req);
    }
  }

  services::NewCase input;
  input.category = report->category;
  input.description = report->description;
  input.address = report->address;
  input.location = point->point;
  input.datum = point->datum;
  input.channel = Channel::kGridPatrol;
  input.reporter = {worker->display_name.empty() ? worker->username : worker->display_name, "",
                    false};
  // Reporting outside the assigned grids is allowed, and recorded.
  const auto& grids = worker->grids;
  const bool inside = std::find(grids.begin(), grids.end(), place.unit_grid) != grids.end() ||
                      std::find(grids.begin(), grids.end(), place.governance_grid) != grids.end();
  input.attributes[std::string(kPatrolWorkerAttribute)] = {worker->username};
  input.attributes[kPatrolIdAttribute] = {std::to_string(*id)};
  input.attributes[kOutsideAttribute] = {inside ? "false" : "true"};
  auto key = idempotency_key(req, worker->username);
  if (!key) return problem(key.status(), req);
  input.idempotency_key = *key;
  if (!located_by_photo) {
    auto stored = store_photos(ctx, *worker, report->photos, report->photo_bytes, "photo");
    if (!stored) return problem(stored.status(), req);
    before = std::move(stored).value();
  }
  input.photos = names_of(before);

  auto outcome = ctx.api.intake.report(input, worker->username);
  if (!outcome) return problem(outcome.status(), req);
  Case created = outcome->created;
  bool self_handled = false;
  if (report->handled_on_spot && created.state == CaseState::kReported) {
    auto after =
        store_photos(ctx, *worker, report->after_photos, report->after_photo_bytes, "after_photo");
    if (!after) return problem(after.status(), req);
    ActionRequest action;
    action.action = Action::kSelfHandle;
    action.version = created.version;
    action.note = report->note;
    action.photos = names_of(*after);
    auto handled = ctx.api.workflow.act(created.number, action, *worker);
    if (!handled) {
      // The case stands as reported; the worker learns why it could not be handled.
      json body = {{"case", encode_case(created, *reference, ctx.api.clock.now())},
                   {"outside_assigned_grids", !inside},
                   {"self_handled", false},
                   {"self_handling_refused",
                    {{"code", handled.status().code()}, {"message", handled.status().message()}}}};
      return json_response(201, body);
    }
    created = handled->after;
    self_handled = true;
  }
  json body = {{"case", encode_case(created, *reference, ctx.api.clock.now())},
               {"outside_assigned_grids", !inside},
               {"self_handled", self_handled || created.state == CaseState::kHandled}};
  auto res = json_response(outcome->replayed ? 200 : 201, body);
  if (outcome->replayed) res.headers.emplace_back("Idempotent-Replayed", "true");
  return res;
}

}  // namespace

void add_patrol_report_routes(Router& router, PatrolContext& ctx) {
  // The case write waits for its commit on a pool thread.
  router.add("POST", "/api/v1/patrols/{id}/reports",
             [&ctx](http::Request& req, const PathParams& p) {
               http::Response res;
               res.deferred = [&ctx, req, p](http::Reply reply) {
                 ctx.api.blocking.post([&ctx, req, p, reply]() mutable {
                   auto done = std::make_shared<http::Response>(report_problem(ctx, req, p));
                   reply([done] { return std::move(*done); });
                 });
               };
               return res;
             });
}

}  // namespace cityops::api
