#include "api/open311_common.h"

#include <algorithm>

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
