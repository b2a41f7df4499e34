#include "api/open311_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cityops::api::open311_detail {

std::optional<std::string> Params::get(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [key, value] : fields) {
    if (key == name) found = value;
  }
  return found;
}

Status Params::check_names(std::initializer_list<std::string_view> allowed, bool attributes) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& key = fields[i].first;
    if (attributes && key.starts_with("attribute[")) continue;
    // Names are echoed in the answer: a few dozen characters say which one it was.
    const std::string shown = key.size() > 64 ? key.substr(0, 64) + "..." : key;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return invalid("unknown_parameter", "parameter '" + shown + "' is not understood here",
                     shown);
    }
    for (size_t j = 0; j < i; ++j) {
      if (fields[j].first == key) {
        return invalid("repeated_parameter", "parameter '" + shown + "' is given twice", shown);
      }
    }
  }
  return Status::ok();
}

Result<Params> read_params(const http::Request& req, Format format) {
  Params params;
  params.format = format;
  params.fields = req.query;
  if (req.method != "POST" || req.body.empty()) return params;
  const std::string type(req.header("content-type").value_or(""));
  if (http::is_multipart(type)) {
    auto parts = http::parse_multipart(type, req.body);
    if (!parts) return parts.status();
    for (auto& part : *parts) {
      if (part.filename) {
        params.files.push_back(std::move(part));
      } else {
        params.fields.emplace_back(part.name, std::move(part.data));
      }
    }
    return params;
  }
  // The specification posts forms; a missing content type is read as one too, as curl -d does.
  if (!type.empty() && !http::is_form_content_type(type)) {
    return Status(ErrorKind::kUnsupportedMedia, "unsupported_content_type",
                  "post application/x-www-form-urlencoded or multipart/form-data", "Content-Type");
  }
  std::vector<std::pair<std::string, std::string>> form;
  if (!http::parse_urlencoded_form(req.body, form)) {
    return invalid("malformed_form", "the form body has a malformed % escape", "body");
  }
  params.fields.insert(params.fields.end(), form.begin(), form.end());
  return params;
}

Status check_jurisdiction(const Open311Context& ctx, const Params& params) {
  const auto given = params.get("jurisdiction_id");
  if (!given || *given == ctx.settings.jurisdiction_id) return Status::ok();
  return Status(ErrorKind::kNotFound, "unknown_jurisdiction",
                "jurisdiction_id '" + *given + "' was not found; this server answers for '" +
                    ctx.settings.jurisdiction_id + "'",
                "jurisdiction_id");
}

Status check_only_jurisdiction(const Open311Context& ctx, const http::Request& req, Format format) {
  auto params = read_params(req, format);
  if (!params) return params.status();
  CITYOPS_RETURN_IF_ERROR(params->check_names({"jurisdiction_id"}, false));
  return check_jurisdiction(ctx, *params);
}

std::string base_url(const http::Request& req) {
  const auto host = req.header("host");
  // A Host header is text a client chose: keep only characters a host and port can have.
  std::string clean;
  for (const char c : host.value_or("")) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
        c == '[' || c == ']') {
      clean += c;
    }
  }
  return "http://" + (clean.empty() ? std::string("localhost") : clean);
}

http::Response refused(Format format, const services::ApiKeyAdmission& admission) {
  auto res = error(format, admission.key.status());
  if (admission.key.status().kind() == ErrorKind::kRateLimited) {
    res.headers.emplace_back("Retry-After", std::to_string(admission.retry_after.count()));
  }
  return res;
}

Result<double> read_number(const Params& params, const char* name, double min, double max) {
  const std::string text = params.get(name).value_or("");
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value) || value < min || value > max) {
    return invalid("invalid_number",
                   fmt::format("{} must be a number from {} to {}", name, min, max), name);
  }
  return value;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

Status apply_status(const Params& params, store::CaseQuery& q) {
  const auto text = params.get("status");
  if (!text) return Status::ok();
  for (const auto& part : split_commas(*text)) {
    using S = CaseState;
    if (part == "open") {
      q.states.insert(q.states.end(),
                      {S::kReported, S::kRegistered, S::kDispatched, S::kInProgress, S::kHandled});
    } else if (part == "closed") {
      q.states.insert(q.states.end(), {S::kClosed, S::kRejected, S::kMerged, S::kCancelled});
    } else {
      return invalid("invalid_status", "status is open, closed or both", "status");
    }
  }
  return Status::ok();
}

Status apply_area(const Params& params, store::CaseQuery& q) {
  if (auto box = params.get("bbox")) {
    const auto parts = split_commas(*box);
    double v[4];
    bool ok = parts.size() == 4;
    for (size_t i = 0; ok && i < 4; ++i) {
      const auto& part = parts[i];
      const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), v[i]);
      ok = !part.empty() && error == std::errc{} && end == part.data() + part.size() &&
           std::isfinite(v[i]);
    }
    if (!ok || v[0] > v[2] || v[1] > v[3] || v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90) {
      return invalid("invalid_bbox", "bbox is min_long,min_lat,max_long,max_lat", "bbox");
    }
    q.bbox = store::CaseQuery::Box{v[0], v[1], v[2], v[3]};
  }
  if (params.get("radius")) {
    auto lat = read_number(params, "lat", -90, 90);
    if (!lat) return lat.status();
    auto lon = read_number(params, "long", -180, 180);
    if (!lon) return lon.status();
    auto radius = read_number(params, "radius", 1, 50000);
    if (!radius) return radius.status();
    q.near = store::CaseQuery::Circle{*lon, *lat, *radius};
  } else if (params.get("lat") || params.get("long")) {
    return invalid("missing_radius", "a search around lat and long needs a radius in metres",
                   "radius");
  }
  return Status::ok();
}

Result<Window> read_window(const Params& params, Timestamp now, std::chrono::seconds span) {
  constexpr auto kMaxWindow = std::chrono::days{90};
  std::optional<Timestamp> from, to;
  for (const auto& [name, slot] : {std::pair{"start_date", &from}, std::pair{"end_date", &to}}) {
    if (auto text = params.get(name)) {
      auto t = parse_rfc3339(*text);
      if (!t) {
        return invalid("invalid_date", std::string(name) + " must be ISO 8601 with an offset",
                       name);
      }
      *slot = *t;
    }
  }
  if (!from && !to) to = now;
  if (!from) from = *to - span;
  if (!to) to = *from + kMaxWindow;
  if (*to < *from) return invalid("invalid_window", "end_date is before start_date", "end_date");
  if (*to - *from > kMaxWindow) {
    return invalid("window_too_long", "start_date to end_date spans at most 90 days", "end_date");
  }
  return Window{*from, *to};
}

}  // namespace cityops::api::open311_detail
