#include <algorithm>

#include "api/context.h"

namespace cityops::api {

Result<nlohmann::json> parse_json_body(const http::Request& req) {
  // The content type is not enforced: clients such as `curl -d` label JSON as a form, and
  // the body either parses as JSON or is refused below.
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded()) return invalid("malformed_json", "the body is not valid JSON", "body");
  return body;
}

Status check_query_names(const http::Request& req,
                         std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return invalid("unknown_parameter", "query parameter '" + name + "' is not understood here",
                     name);
    }
  }
  return Status::ok();
}

std::optional<std::string> query_value(const http::Request& req, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : req.query) {
    if (key == name) found = value;
  }
  return found;
}

}  // namespace cityops::api
