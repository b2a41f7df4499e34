// Maps a method and a path to a handler. Patterns are literal segments and `{name}`
// placeholders, e.g. "/api/v1/cases/{number}". An unknown path answers 404, a known path with
// the wrong method 405 with Allow, both as problems.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace cityops::api {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<http::Response(http::Request&, const PathParams&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, RouteHandler handler);

  // Finds and calls the handler; `matched_pattern` receives the pattern (for metrics) or
  // "unmatched".
  http::Response dispatch(http::Request& req, std::string& matched_pattern) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace cityops::api
