#include "api/router.h"

#include "api/problem.h"

namespace cityops::api {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const auto part =
        path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (!part.empty()) parts.emplace_back(part);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           PathParams& params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      params[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(std::string method, std::string pattern, RouteHandler handler) {
  auto segments = split_path(pattern);
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

http::Response Router::dispatch(http::Request& req, std::string& matched_pattern) const {
  const auto path = split_path(req.path);
  std::string allowed;
  for (const auto& route : routes_) {
    PathParams params;
    if (!match(route.segments, path, params)) continue;
    if (route.method != req.method && !(req.method == "HEAD" && route.method == "GET")) {
      allowed += allowed.empty() ? route.method : ", " + route.method;
      continue;
    }
    matched_pattern = route.pattern;
    return route.handler(req, params);
  }
  matched_pattern = "unmatched";
  if (!allowed.empty()) {
    auto res = problem(
        {ErrorKind::kInvalidArgument, "method_not_allowed", req.method + " is not allowed here"},
        req, 405);
    res.headers.emplace_back("Allow", allowed);
    return res;
  }
  return problem(not_found("no_such_route", "no resource at " + req.path), req);
}

}  // namespace cityops::api
