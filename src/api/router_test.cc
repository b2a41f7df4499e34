// Routing: literal and placeholder segments, 404 for unknown paths and 405 with Allow for known
// paths asked with the wrong method.
#include "api/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace cityops::api {
namespace {

using nlohmann::json;

// A handler that answers with its name and the parameters it was given.
RouteHandler named(const std::string& name) {
  return [name](http::Request&, const PathParams& params) {
    json body = {{"route", name}, {"params", params}};
    return http::Response{200, "application/json", body.dump(), {}, {}};
  };
}

Router make_router() {
  Router router;
  router.add("GET", "/healthz", named("health"));
  router.add("GET", "/api/v1/cases", named("list"));
  router.add("POST", "/api/v1/cases", named("create"));
  router.add("GET", "/api/v1/cases/{number}", named("show"));
  router.add("GET", "/api/v1/cases/{number}/events", named("events"));
  router.add("POST", "/api/v1/cases/{number}/events/{action}", named("act"));
  router.add("DELETE", "/api/v1/regions/{layer}", named("drop"));
  return router;
}

http::Request request(std::string method, std::string path) {
  http::Request req;
  req.method = std::move(method);
  req.path = std::move(path);
  req.target = req.path;
  req.request_id = "req-1";
  return req;
}

std::string allow_header(const http::Response& res) {
  for (const auto& [name, value] : res.headers) {
    if (name == "Allow") return value;
  }
  return "(none)";
}

TEST(Router, MatchesLiteralsAndPlaceholders) {
  const Router router = make_router();
  const struct {
    const char* method;
    const char* path;
    const char* route;
    const char* pattern;
    json params;
  } cases[] = {
      {"GET", "/healthz", "health", "/healthz", json::object()},
      {"GET", "/api/v1/cases", "list", "/api/v1/cases", json::object()},
      {"POST", "/api/v1/cases", "create", "/api/v1/cases", json::object()},
      {"GET", "/api/v1/cases/", "list", "/api/v1/cases", json::object()},
      {"GET",
       "/api/v1/cases/130304-20261205-000001",
       "show",
       "/api/v1/cases/{number}",
       {{"number", "130304-20261205-000001"}}},
      {"GET",
       "/api/v1/cases/130304-20261205-000001/events",
       "events",
       "/api/v1/cases/{number}/events",
       {{"number", "130304-20261205-000001"}}},
      {"POST",
       "/api/v1/cases/130304-20261205-000002/events/dispatch",
       "act",
       "/api/v1/cases/{number}/events/{action}",
       {{"number", "130304-20261205-000002"}, {"action", "dispatch"}}},
      {"DELETE",
       "/api/v1/regions/unit_grid",
       "drop",
       "/api/v1/regions/{layer}",
       {{"layer", "unit_grid"}}},
      {"HEAD", "/healthz", "health", "/healthz", json::object()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    auto req = request(c.method, c.path);
    std::string pattern;
    const auto res = router.dispatch(req, pattern);
    ASSERT_EQ(res.status, 200) << res.body;
    const auto body = json::parse(res.body);
    EXPECT_EQ(body["route"], c.route);
    EXPECT_EQ(body["params"], c.params);
    EXPECT_EQ(pattern, c.pattern);
  }
}

TEST(Router, UnknownPathsAreNotFound) {
  const Router router = make_router();
  const char* paths[] = {"/",
                         "/health",
                         "/healthz/extra",
                         "/api/v1",
                         "/api/v1/cases/x/events/dispatch/more",
                         "/API/V1/CASES"};
  for (const char* path : paths) {
    SCOPED_TRACE(path);
    auto req = request("GET", path);
    std::string pattern = "before";
    const auto res = router.dispatch(req, pattern);
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.content_type, "application/problem+json");
    EXPECT_EQ(pattern, "unmatched");
    EXPECT_EQ(allow_header(res), "(none)");
    const auto body = json::parse(res.body);
    EXPECT_EQ(body["code"], "no_such_route");
    EXPECT_EQ(body["status"], 404);
    EXPECT_EQ(body["instance"], path);
  }
}

TEST(Router, WrongMethodIsNotAllowedAndSaysWhatIs) {
  const Router router = make_router();
  const struct {
    const char* method;
    const char* path;
    const char* allow;
  } cases[] = {
      {"POST", "/healthz", "GET"},
      {"DELETE", "/api/v1/cases", "GET, POST"},
      {"PUT", "/api/v1/cases/130304-20261205-000001", "GET"},
      {"GET", "/api/v1/cases/130304-20261205-000001/events/dispatch", "POST"},
      {"HEAD", "/api/v1/regions/street", "DELETE"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    auto req = request(c.method, c.path);
    std::string pattern;
    const auto res = router.dispatch(req, pattern);
    EXPECT_EQ(res.status, 405);
    EXPECT_EQ(res.content_type, "application/problem+json");
    EXPECT_EQ(allow_header(res), c.allow);
    EXPECT_EQ(pattern, "unmatched");
    const auto body = json::parse(res.body);
    EXPECT_EQ(body["code"], "method_not_allowed");
    // The problem document states the same status as the response line.
    EXPECT_EQ(body["status"], 405);
  }
}

}  // namespace
}  // namespace cityops::api
