// /api/v1/sessions, /api/v1/me and /api/v1/users: signing in and out with bearer tokens, the
// signed-in principal, and account management for admins.
#include <algorithm>
#include <cctype>

#include "api/context.h"
#include "api/problem.h"

namespace cityops::api {

using nlohmann::json;

namespace {

// The token of an "Authorization: Bearer <token>" header; the scheme is case-insensitive
// (RFC 9110), the token is taken as sent.
std::optional<std::string> bearer_token(const http::Request& req) {
  const auto header = req.header("authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>((*header)[i])) != kScheme[i]) return std::nullopt;
  }
  std::string_view token = header->substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

// A problem, with the challenge RFC 6750 asks of every 401 to a bearer-token client.
http::Response auth_problem(const Status& status, const http::Request& req) {
  auto res = problem(status, req);
  if (res.status == 401) res.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"cityops\"");
  return res;
}

json principal_json(const Principal& p) {
  return {{"username", p.username},
          {"display_name", p.display_name},
          {"role", to_string(p.role)},
          {"department", p.department},
          {"grids", p.grids}};
}

json account_json(const services::Account& account) {
  json out = principal_json(account.principal);
  out["disabled"] = account.disabled;
  out["created_at"] = format_rfc3339(account.created_at);
  out["updated_at"] = format_rfc3339(account.updated_at);
  return out;
}

// Refuses a body that is not an object or has a field outside `allowed`.
Status check_fields(const json& body, std::initializer_list<std::string_view> allowed) {
  if (!body.is_object()) return invalid("invalid_body", "the body must be a JSON object", "");
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return invalid("unknown_field", "field '" + key + "' is not understood here", key);
    }
  }
  return Status::ok();
}

// A string field; absent gives `fallback` unless the field is required.
Result<std::string> string_field(const json& body, const std::string& name, bool required,
                                 std::string fallback = {}) {
  if (!body.contains(name)) {
    if (required) return invalid("missing_field", name + " is required", name);
    return fallback;
  }
  if (!body[name].is_string()) return invalid("invalid_type", name + " must be a string", name);
  return body[name].get<std::string>();
}

Result<std::vector<std::string>> grids_field(const json& body) {
  std::vector<std::string> grids;
  if (!body.contains("grids")) return grids;
  const auto& list = body["grids"];
  if (!list.is_array()) return invalid("invalid_type", "grids must be an array", "grids");
  for (const auto& grid : list) {
    if (!grid.is_string()) return invalid("invalid_type", "grids holds strings", "grids");
    grids.push_back(grid.get<std::string>());
  }
  return grids;
}

http::Response sign_in(ApiContext& ctx, const http::Request& req) {
  auto body = parse_json_body(req);
  if (!body) return problem(body.status(), req);
  CITYOPS_RETURN_PROBLEM(check_fields(*body, {"username", "password"}), req);
  auto username = string_field(*body, "username", true);
  if (!username) return problem(username.status(), req);
  auto password = string_field(*body, "password", true);
  if (!password) return problem(password.status(), req);

  auto signed_in = ctx.accounts.login(*username, *password);
  if (!signed_in) return auth_problem(signed_in.status(), req);
  return json_response(201, {{"token", signed_in->token},
                             {"token_type", "Bearer"},
                             {"expires_at", format_rfc3339(signed_in->expires_at)},
                             {"user", principal_json(signed_in->principal)}});
}

http::Response create_account(ApiContext& ctx, const http::Request& req) {
  auto admin = require_role(ctx, req, {Role::kAdmin});
  if (!admin) return auth_problem(admin.status(), req);
  auto body = parse_json_body(req);
  if (!body) return problem(body.status(), req);
  CITYOPS_RETURN_PROBLEM(
      check_fields(*body, {"username", "display_name", "role", "department", "grids", "password"}),
      req);
  auto username = string_field(*body, "username", true);
  if (!username) return problem(username.status(), req);
  auto display_name = string_field(*body, "display_name", false);
  if (!display_name) return problem(display_name.status(), req);
  auto role_name = string_field(*body, "role", true);
  if (!role_name) return problem(role_name.status(), req);
  const auto role = parse_role(*role_name);
  if (!role) return problem(invalid("unknown_role", "no role named " + *role_name, "role"), req);
  auto department = string_field(*body, "department", false);
  if (!department) return problem(department.status(), req);
  auto grids = grids_field(*body);
  if (!grids) return problem(grids.status(), req);
  auto password = string_field(*body, "password", true);
  if (!password) return problem(password.status(), req);

  auto created =
      ctx.accounts.create_user(*username, *display_name, *role, *department, *grids, *password);
  if (!created) return problem(created.status(), req);
  auto res = json_response(201, account_json(*created));
  res.headers.emplace_back("Location", "/api/v1/users/" + *username);
  return res;
}

}  // namespace

Result<Principal> require_principal(ApiContext& ctx, const http::Request& req) {
  const auto token = bearer_token(req);
  if (!token) {
    return Status(ErrorKind::kUnauthenticated, "missing_token",
                  "sign in and send 'Authorization: Bearer <token>'");
  }
  return ctx.accounts.authenticate(*token);
}

Result<Principal> require_role(ApiContext& ctx, const http::Request& req,
                               std::initializer_list<Role> roles) {
  auto principal = require_principal(ctx, req);
  if (!principal) return principal;
  if (std::find(roles.begin(), roles.end(), principal->role) == roles.end()) {
    return Status(ErrorKind::kPermissionDenied, "forbidden",
                  "the role " + std::string(to_string(principal->role)) + " may not do this");
  }
  return principal;
}

void add_session_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/sessions",
             [&ctx](http::Request& req, const PathParams&) { return sign_in(ctx, req); });

  router.add("DELETE", "/api/v1/sessions/current", [&ctx](http::Request& req, const PathParams&) {
    const auto token = bearer_token(req);
    if (!token) return auth_problem(require_principal(ctx, req).status(), req);
    const auto status = ctx.accounts.logout(*token);
    if (!status.is_ok()) return auth_problem(status, req);
    return http::Response{204, "", "", {}, {}};
  });

  router.add("GET", "/api/v1/me", [&ctx](http::Request& req, const PathParams&) {
    auto principal = require_principal(ctx, req);
    if (!principal) return auth_problem(principal.status(), req);
    json body = principal_json(*principal);
    body["street"] = principal->street.empty() ? json(nullptr) : json(principal->street);
    body["may_see_personal_data"] = may_see_personal_data(principal->role);
    return json_response(200, body);
  });

  router.add("GET", "/api/v1/users", [&ctx](http::Request& req, const PathParams&) {
    auto admin = require_role(ctx, req, {Role::kAdmin});
    if (!admin) return auth_problem(admin.status(), req);
    CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
    auto accounts = ctx.accounts.list();
    if (!accounts) return problem(accounts.status(), req);
    json items = json::array();
    for (const auto& account : *accounts) items.push_back(account_json(account));
    return json_response(200, {{"items", items}});
  });

  router.add("POST", "/api/v1/users",
             [&ctx](http::Request& req, const PathParams&) { return create_account(ctx, req); });
}

}  // namespace cityops::api
