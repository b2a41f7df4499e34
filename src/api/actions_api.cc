// POST /api/v1/cases/{number}/{action}: every workflow action, for a signed-in user.
#include <set>

#include "api/case_json.h"
#include "api/context.h"
#include "api/problem.h"
#include "domain/workflow.h"
#include "services/workflow.h"

namespace cityops::api {

using nlohmann::json;

namespace {

Result<std::string> text_field(const json& body, const char* key, size_t max_bytes) {
  if (!body.contains(key) || body[key].is_null()) return std::string();
  if (!body[key].is_string()) {
    return invalid("invalid_type", std::string(key) + " must be a string", key);
  }
  auto value = body[key].get<std::string>();
  if (value.size() > max_bytes) {
    return invalid("too_long", std::string(key) + " is too long", key);
  }
  return value;
}

Result<std::vector<std::string>> list_field(const json& body, const char* key) {
  std::vector<std::string> out;
  if (!body.contains(key) || body[key].is_null()) return out;
  if (!body[key].is_array())
    return invalid("invalid_type", std::string(key) + " must be a list", key);
  for (const auto& item : body[key]) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      return invalid("invalid_type", std::string(key) + " holds non-empty strings", key);
    }
    out.push_back(item.get<std::string>());
  }
  if (out.size() > 20) return invalid("too_many", std::string(key) + " holds at most 20", key);
  return out;
}

Result<ActionRequest> decode_action(Action action, const json& body) {
  if (!body.is_object()) return invalid("invalid_body", "the body must be a JSON object", "body");
  static const std::set<std::string> kKnown = {
      "version", "note",   "reason", "department", "co_departments",
      "target",  "photos", "result", "until",      "satisfaction"};
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.count(key)) return invalid("unknown_field", "unknown field " + key, key);
  }
  ActionRequest r;
  r.action = action;
  if (!body.contains("version")) return invalid("missing_field", "version is required", "version");
  if (!body["version"].is_number_integer() ||
      (body["version"].is_number_unsigned() &&
       body["version"].get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
    return invalid("invalid_type", "version must be an integer", "version");
  }
  r.version = body["version"].get<int64_t>();

  struct TextField {
    const char* key;
    std::string* target;
    size_t max;
  };
  for (auto [key, target, max] :
       {TextField{"note", &r.note, 2000}, TextField{"reason", &r.reason, 2000},
        TextField{"department", &r.department, 64}, TextField{"target", &r.target, 64},
        TextField{"result", &r.result, 16}, TextField{"satisfaction", &r.satisfaction, 32}}) {
    auto value = text_field(body, key, max);
    if (!value) return value.status();
    *target = std::move(value).value();
  }
  auto co = list_field(body, "co_departments");
  if (!co) return co.status();
  r.co_departments = std::move(co).value();
  auto photos = list_field(body, "photos");
  if (!photos) return photos.status();
  r.photos = std::move(photos).value();

  auto until = text_field(body, "until", 40);
  if (!until) return until.status();
  if (!until->empty()) {
    r.until = parse_rfc3339(*until);
    if (!r.until) return invalid("invalid_time", "until must be RFC 3339 with an offset", "until");
  }
  return r;
}

http::Response run_action(ApiContext& ctx, http::Request& req, const PathParams& params) {
  auto principal = require_principal(ctx, req);
  if (!principal) return problem(principal.status(), req);
  const auto action = parse_action(params.at("action"));
  if (!action) {
    return problem(invalid("unknown_action", "no action named " + params.at("action"), "action"),
                   req);
  }
  auto body = parse_json_body(req);
  if (!body) return problem(body.status(), req);
  auto request = decode_action(*action, *body);
  if (!request) return problem(request.status(), req);
  if (ctx.check_photos) {
    CITYOPS_RETURN_PROBLEM(ctx.check_photos(&*principal, request->photos, "photos"), req);
  }

  auto outcome = ctx.workflow.act(params.at("number"), *request, *principal);
  if (!outcome) {
    auto res = problem(outcome.status(), req);
    if (outcome.status().code() == "invalid_state") {
      // Tell the client what it may do instead.
      auto found = ctx.store.find_case(params.at("number"));
      if (found && *found) {
        auto problem_body = json::parse(res.body);
        problem_body["allowed_actions"] = json::array();
        for (Action a : allowed_actions(**found, *principal)) {
          problem_body["allowed_actions"].push_back(to_string(a));
        }
        problem_body["state"] = to_string((*found)->state);
        res.body = problem_body.dump();
      }
    }
    return res;
  }
  const auto reference = ctx.reference();
  // Personal data is shown in clear only by a case read, which records it.
  json out = encode_case(outcome->after, *reference, ctx.clock.now());
  out["event"] = encode_event(outcome->event);
  out["allowed_actions"] = json::array();
  for (Action a : allowed_actions(outcome->after, *principal)) {
    out["allowed_actions"].push_back(to_string(a));
  }
  return json_response(200, out);
}

}  // namespace

void add_action_routes(Router& router, ApiContext& ctx) {
  // An action waits for its group commit; it waits on a pool thread, so reads go on meanwhile.
  router.add("POST", "/api/v1/cases/{number}/{action}",
             [&ctx](http::Request& req, const PathParams& p) {
               http::Response res;
               res.deferred = [&ctx, req, p](http::Reply reply) {
                 ctx.blocking.post([&ctx, req, p, reply]() mutable {
                   auto done = std::make_shared<http::Response>(run_action(ctx, req, p));
                   reply([done] { return std::move(*done); });
                 });
               };
               return res;
             });
}

}  // namespace cityops::api
