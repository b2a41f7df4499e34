#include <algorithm>
#include <charconv>
#include <cmath>

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

Result<int> count_param(const http::Request& req, std::string_view name, int fallback, int max) {
  const auto text = query_value(req, name);
  if (!text) return fallback;
  int value = -1;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size() || value < 0 || value > max) {
    return invalid("invalid_" + std::string(name),
                   std::string(name) + " is a whole number from 0 to " + std::to_string(max),
                   std::string(name));
  }
  return value;
}

Result<std::optional<std::string>> idempotency_key(const http::Request& req,
                                                   const std::string& owner) {
  const auto key = req.header("idempotency-key");
  if (!key) return std::optional<std::string>{};
  const bool printable =
      std::all_of(key->begin(), key->end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (key->empty() || key->size() > 200 || !printable) {
    return invalid("invalid_idempotency_key", "Idempotency-Key is 1 to 200 characters",
                   "Idempotency-Key");
  }
  return std::optional<std::string>{owner + ":" + std::string(*key)};
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

Result<geo::LonLat> lonlat_params(const http::Request& req) {
  double coords[2];
  const char* names[2] = {"lon", "lat"};
  for (int i = 0; i < 2; ++i) {
    const auto text = query_value(req, names[i]);
    const double bound = i == 0 ? 180 : 90;
    if (!text) {
      return invalid("missing_parameter", std::string(names[i]) + " is required", names[i]);
    }
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), coords[i]);
    if (text->empty() || error != std::errc{} || end != text->data() + text->size() ||
        !std::isfinite(coords[i]) || coords[i] < -bound || coords[i] > bound) {
      return invalid("out_of_range", std::string(names[i]) + " is not a valid coordinate",
                     names[i]);
    }
  }
  return geo::LonLat{coords[0], coords[1]};
}

Result<geo::Datum> datum_param(const http::Request& req, const std::string& name,
                               std::optional<geo::Datum> fallback) {
  const auto text = query_value(req, name);
  if (!text) {
    if (fallback) return *fallback;
    return invalid("missing_parameter", name + " is required", name);
  }
  const auto datum = geo::parse_datum(*text);
  if (!datum) return invalid("unknown_datum", name + " is wgs84, gcj02, bd09 or cgcs2000", name);
  return *datum;
}

}  // namespace cityops::api
