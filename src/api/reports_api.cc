// POST /api/v1/reports: the phone reporting page. A citizen (anonymous) or a grid worker or
// inspector (signed in) sends a problem with up to four photos in one multipart request. The
// form is checked as POST /api/v1/cases checks its JSON, and every photo as /api/v1/photos
// checks it, before anything is kept; then the photos and the case are stored.
#include <cmath>
#include <functional>
#include <memory>

#include "api/case_json.h"
#include "api/context.h"
#include "api/photos_api.h"
#include "api/problem.h"
#include "http/form.h"
#include "services/rate_limiter.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr size_t kMaxPhotos = 4;
// Anonymous callers share nothing but their address: a burst of ten reports, then one every
// ten seconds, is far beyond a person with a phone and well below a script.
constexpr int kAnonymousBurst = 10;
constexpr int kAnonymousPerMinute = 6;

// The form's fields as names of the page, from the names decode_new_case gives them.
std::string form_field(const std::string& field) {
  if (field == "location" || field == "location.lon") return "lon";
  if (field == "location.lat") return "lat";
  if (field == "location.datum") return "datum";
  if (field.rfind("reporter.", 0) == 0) return field.substr(9);
  return field;
}

Status at_form_field(const Status& s) {
  return Status(s.kind(), s.code(), s.message(), form_field(s.field()));
}

// The form as the JSON body of POST /api/v1/cases, so both are checked by one decoder.
struct Form {
  json body = json::object();
  std::vector<std::string> photos;
};

Result<Form> read_form(const http::Request& req) {
  const auto type = req.header("content-type").value_or("");
  if (!http::is_multipart(type)) {
    return Status(ErrorKind::kUnsupportedMedia, "unsupported_media_type",
                  "send the report as multipart/form-data", "body");
  }
  auto parts = http::parse_multipart(type, req.body);
  if (!parts) return parts.status();
  Form form;
  json location = json::object(), reporter = json::object();
  for (auto& part : *parts) {
    const std::string& name = part.name;
    if (name == "photo") {
      form.photos.push_back(std::move(part.data));
    } else if (name == "lon" || name == "lat") {
      // A number, or a string that decode_new_case refuses with the field's name.
      char* end = nullptr;
      const double value = std::strtod(part.data.c_str(), &end);
      const bool number = !part.data.empty() && end == part.data.c_str() + part.data.size();
      if (!number) return invalid("invalid_type", name + " must be a number", name);
      location[name] = value;
    } else if (name == "datum") {
      location[name] = part.data;
    } else if (name == "phone" || name == "name") {
      if (!part.data.empty()) reporter[name] = part.data;
    } else if (name == "category" || name == "description" || name == "address") {
      form.body[name] = part.data;
    } else {
      return invalid("unknown_field", "field '" + name + "' is not part of a report", name);
    }
  }
  if (!location.empty()) form.body["location"] = location;
  if (!reporter.empty()) form.body["reporter"] = reporter;
  if (form.photos.size() > kMaxPhotos) {
    return invalid("too_many_photos", "a report carries at most 4 photos", "photo");
  }
  return form;
}

struct ReportsContext {
  ReportsContext(ApiContext& api, services::PhotoService& photos)
      : api(api), photos(photos), limiter(api.clock, kAnonymousPerMinute, kAnonymousBurst) {}
  ApiContext& api;
  services::PhotoService& photos;
  services::RateLimiter limiter;
};

http::Response reported(ApiContext& ctx, const Result<services::IntakeOutcome>& outcome,
                        const http::Request& req) {
  if (!outcome) return problem(at_form_field(outcome.status()), req);
  const Case& c = outcome->created;
  auto res = json_response(201, {{"number", c.number},
                                 {"state", to_string(c.state)},
                                 {"lookup_url", "/lookup/" + c.number},
                                 // The case's own: a replay answers the first report's photos.
                                 {"photos", c.photos}});
  res.headers.emplace_back("Location", "/api/v1/public/cases/" + c.number);
  if (outcome->replayed) {
    res.headers.emplace_back("Idempotent-Replayed", "true");
  } else {
    ctx.metrics.increment("cityops_cases_reported_total",
                          {{"channel", std::string(to_string(c.channel))}});
  }
  return res;
}

http::Response report(ReportsContext& ctx, http::Request& req) {
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto principal = optional_principal(ctx.api, req);
  if (!principal) return problem(principal.status(), req);
  std::string actor = "public";
  Channel channel = Channel::kMobileApp;
  if (*principal) {
    const Role role = (*principal)->role;
    if (role != Role::kGridWorker && role != Role::kInspector) {
      return problem({ErrorKind::kPermissionDenied, "forbidden",
                      "role " + std::string(to_string(role)) + " reports through /api/v1/cases"},
                     req);
    }
    actor = (*principal)->username;
    channel = role == Role::kGridWorker ? Channel::kGridPatrol : Channel::kInspection;
  } else {
    const auto wait =
        ctx.limiter.charge(static_cast<int64_t>(std::hash<std::string>{}(req.remote_address)));
    if (wait.count() > 0) {
      auto res = problem({ErrorKind::kRateLimited, "rate_limited",
                          "too many reports from this address; try again later"},
                         req);
      res.headers.emplace_back("Retry-After", std::to_string(wait.count()));
      return res;
    }
  }

  auto form = read_form(req);
  if (!form) return problem(form.status(), req);
  form->body["channel"] = to_string(channel);
  auto input = decode_new_case(form->body);
  if (!input) return problem(at_form_field(input.status()), req);
  auto key = idempotency_key(req, actor);
  if (!key) return problem(key.status(), req);
  input->idempotency_key = *key;
  if (*principal) {
    const auto& p = **principal;
    input->reporter = {p.display_name.empty() ? p.username : p.display_name, "", false};
  }
  // Everything intake would refuse (category, a point outside the district) and every photo
  // are checked before a photo or the case is kept.
  auto preview = ctx.api.intake.preview(*input);
  if (!preview) return problem(at_form_field(preview.status()), req);
  for (const auto& bytes : form->photos) CITYOPS_RETURN_PROBLEM(ctx.photos.check(bytes), req);
  std::vector<std::string> names;
  for (const auto& bytes : form->photos) {
    auto stored = ctx.photos.store(bytes, actor);
    if (!stored) return problem(stored.status(), req);
    names.push_back(stored->photo.name);
  }
  input->photos = names;
  return reported(ctx.api, ctx.api.intake.report(*input, actor), req);
}

}  // namespace

void add_report_routes(Router& router, ApiContext& ctx, services::PhotoService& photos) {
  auto shared = std::make_shared<ReportsContext>(ctx, photos);
  // Photos are decoded and the case waits for its commit, on a pool thread.
  router.add("POST", "/api/v1/reports", [shared](http::Request& req, const PathParams&) {
    http::Response res;
    res.deferred = [shared, req](http::Reply reply) {
      shared->api.blocking.post([shared, req, reply]() mutable {
        auto done = std::make_shared<http::Response>(report(*shared, req));
        reply([done] { return std::move(*done); });
      });
    };
    return res;
  });
}

}  // namespace cityops::api
