#include <algorithm>
#include <charconv>

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

Result<size_t> parse_limit(const http::Request& req, size_t fallback, size_t max) {
  const auto text = query_value(req, "limit");
  if (!text) return fallback;
  size_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size() || value < 1 || value > max) {
    return invalid("invalid_limit", "limit is a whole number from 1 to " + std::to_string(max),
                   "limit");
  }
  return value;
}

}  // namespace cityops::api
