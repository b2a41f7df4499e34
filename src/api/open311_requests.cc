// /open311/v2/requests and tokens: partners file requests and read them back.
#include <fmt/format.h>
#include <sodium.h>

#include <charconv>
#include <cmath>

#include "api/open311_common.h"
#include "common/utf8.h"
#include "open311/request_view.h"

namespace cityops::api::open311_detail {

namespace {

constexpr size_t kMaxDescription = 4000;
constexpr int kMaxPageSize = 1000;

Result<int> read_count(const Params& params, const char* name, int min, int max, int fallback) {
  const auto text = params.get(name);
  if (!text) return fallback;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || error != std::errc{} || end != text->data() + text->size() || value < min ||
      value > max) {
    return invalid("invalid_number",
                   fmt::format("{} must be a whole number from {} to {}", name, min, max), name);
  }
  return value;
}

Result<std::string> read_text(const Params& params, const char* name, size_t max_bytes) {
  std::string text = params.get(name).value_or("");
  if (!open311::is_xml_text(text)) {
    return invalid("invalid_text",
                   std::string(name) + " must be UTF-8 text without control characters", name);
  }
  if (text.size() > max_bytes) {
    return invalid("too_long", fmt::format("{} is longer than {} bytes", name, max_bytes), name);
  }
  return text;
}

// How cases record the matter: the catalogue holds copies, so ask the taxonomy for its own.
std::string matter_ref(const services::ReferenceData& reference, const Category& matter) {
  const auto& taxonomy = reference.taxonomy();
  const Category* own = taxonomy.find(CategoryKind::kMatter, matter.code);
  return own ? taxonomy.ref_of(*own) : "matter:" + matter.code;
}

// "attribute[code]" or "attribute[code][]" -> code; empty for any other name.
std::string attribute_code(const std::string& name) {
  if (!name.starts_with("attribute[")) return {};
  std::string rest = name.substr(10);
  if (rest.ends_with("[]")) rest.resize(rest.size() - 2);
  if (rest.size() < 2 || rest.back() != ']') return {};
  rest.pop_back();
  return rest;
}

Status check_media_url(const std::string& url) {
  const bool scheme = url.starts_with("http://") || url.starts_with("https://");
  const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>';
  });
  if (!scheme || !clean || url.size() > 2000) {
    return invalid("invalid_media_url", "media_url must be an http(s) URL", "media_url");
  }
  return Status::ok();
}

std::string new_token() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::string token_key(const std::string& token) { return "open311:token:" + token; }

// Everything a POST says about the request, checked, as a report for intake.
Result<services::NewCase> read_report(Open311Context& ctx, const Params& params,
                                      const open311::Catalogue& catalogue,
                                      const std::string& service_code) {
  services::NewCase report;
  const Category* category = catalogue.find(service_code);
  if (!category) {
    return invalid("unknown_service", "no service '" + service_code + "'", "service_code");
  }
  const auto reference = ctx.api.reference();
  report.category = matter_ref(*reference, *category);
  report.channel = Channel::kOpen311;

  auto description = read_text(params, "description", kMaxDescription);
  if (!description) return description.status();
  // Open311 makes the description optional; the case still says what it is about.
  report.description = description->find_first_not_of(" \t\r\n") == std::string::npos
                           ? category->name
                           : *description;
  auto address = read_text(params, "address_string", 500);
  if (!address) return address.status();
  report.address = *address;
  if (params.get("lat") || params.get("long")) {
    auto lat = read_number(params, "lat", -90, 90);
    if (!lat) return lat.status();
    auto lon = read_number(params, "long", -180, 180);
    if (!lon) return lon.status();
    report.location = {*lon, *lat};
  } else if (!report.address.empty()) {
    auto place = ctx.resolve_address(report.address);
    if (!place) return place.status();
    report.location = place->wgs84;
  } else {
    return invalid("missing_location", "give lat and long, or an address_string", "lat");
  }
  report.datum = geo::Datum::kWgs84;

  auto first = read_text(params, "first_name", 100);
  auto last = read_text(params, "last_name", 100);
  auto phone = read_text(params, "phone", 40);
  if (!first) return first.status();
  if (!last) return last.status();
  if (!phone) return phone.status();
  // Chinese names run family name first, without a space; others as the form gives them.
  const bool latin = std::none_of(first->begin(), first->end(), [](char c) { return c & 0x80; }) &&
                     std::none_of(last->begin(), last->end(), [](char c) { return c & 0x80; });
  report.reporter.name =
      latin && !first->empty() && !last->empty() ? *first + " " + *last : *last + *first;
  report.reporter.phone = *phone;
  report.reporter.anonymous = report.reporter.name.empty() && report.reporter.phone.empty();

  if (auto url = params.get("media_url"); url && !url->empty()) {
    CITYOPS_RETURN_IF_ERROR(check_media_url(*url));
    report.photos.push_back(*url);
  }
  open311::RawAnswers raw;
  for (const auto& [name, value] : params.fields) {
    if (!name.starts_with("attribute[")) continue;
    const std::string code = attribute_code(name);
    if (code.empty()) return invalid("invalid_attribute", "malformed name " + name, name);
    raw.emplace_back(code, value);
  }
  auto answers = catalogue.check(category->code, raw);
  if (!answers) return answers.status();
  report.attributes = std::move(answers).value();
  return report;
}

Document request_list(const std::vector<Case>& cases, Open311Context& ctx,
                      const open311::ViewOptions& options) {
  const auto reference = ctx.api.reference();
  Document list = Document::array();
  for (const auto& c : cases) {
    std::vector<CaseEvent> events;
    if (options.extensions) {
      auto read = ctx.api.store.case_events(c.number);
      if (read) events = std::move(read).value();
    }
    list.push_back(open311::encode_request(c, *reference, options, events));
  }
  return list;
}

Result<bool> read_extensions(const Params& params) {
  const auto text = params.get("extensions");
  if (!text || *text == "false") return false;
  if (*text == "true") return true;
  return invalid("invalid_flag", "extensions is true or false", "extensions");
}

}  // namespace

http::Response post_request(Open311Context& ctx, http::Request& req, Format format) {
  auto params = read_params(req, format);
  if (!params) return error(format, params.status());
  if (auto s =
          params->check_names({"jurisdiction_id", "api_key", "service_code", "lat", "long",
                               "address_string", "address_id", "email", "device_id", "account_id",
                               "first_name", "last_name", "phone", "description", "media_url"},
                              true);
      !s.is_ok()) {
    return error(format, s);
  }
  if (auto s = check_jurisdiction(ctx, *params); !s.is_ok()) return error(format, s);
  auto admission = ctx.keys.authenticate_and_charge(params->get("api_key").value_or(""));
  if (!admission.key) return refused(format, admission);
  const auto& key = admission.key;
  const auto service_code = params->get("service_code");
  if (!service_code || service_code->empty()) {
    return error(format, invalid("missing_field", "service_code is required", "service_code"));
  }
  auto catalogue = ctx.catalogue();
  if (!catalogue) return error(format, catalogue.status());
  auto report = read_report(ctx, *params, **catalogue, *service_code);
  if (!report) return error(format, report.status());
  if (params->files.size() > 1) {
    return error(format, invalid("too_many_files", "upload at most one media file", "media"));
  }
  if (!params->files.empty()) {
    // A photo is kept only for a request intake will take: resolve it as intake will first.
    auto resolved = services::resolve_report(*report, *ctx.api.reference(), ctx.api.clock.now(),
                                             ctx.api.intake.settings().warn_share);
    if (!resolved) return error(format, resolved.status());
  }
  for (const auto& file : params->files) {
    if (file.name != "media") {
      return error(format, invalid("unknown_parameter", "upload the photo as 'media'", file.name));
    }
    auto stored = ctx.media.put(file.data);
    if (!stored) return error(format, stored.status());
    report->photos.push_back(stored->name);
  }
  const std::string token = new_token();
  report->idempotency_key = token_key(token);

  const std::string actor = "apikey:" + key->name;
  http::Response res;
  res.deferred = [&ctx, report = std::move(*report), actor, token, format](http::Reply reply) {
    ctx.api.intake.report_async(report, actor, [&ctx, reply, token, format](auto outcome) {
      auto shared = std::make_shared<Result<services::IntakeOutcome>>(std::move(outcome));
      reply([&ctx, shared, token, format] {
        if (!*shared) return error(format, shared->status());
        const Case& c = (*shared)->created;
        ctx.api.metrics.increment("cityops_cases_reported_total", {{"channel", "open311"}});
        const auto reference = ctx.api.reference();
        const auto* category = reference->taxonomy().find(c.category);
        Document item = {{"service_request_id", c.number},
                         {"token", token},
                         {"service_notice", nullptr},
                         {"account_id", nullptr}};
        if (category) item["service_notice"] = open311::service_notice(*category, c.urgency);
        return open311::render(format, 201, "service_requests", Document::array({item}));
      });
    });
  };
  return res;
}

http::Response get_requests(Open311Context& ctx, http::Request& req, Format format) {
  auto params = read_params(req, format);
  if (!params) return error(format, params.status());
  if (auto s = params->check_names({"jurisdiction_id", "service_request_id", "service_code",
                                    "start_date", "end_date", "status", "page", "page_size",
                                    "updated_after", "bbox", "lat", "long", "radius", "extensions"},
                                   false);
      !s.is_ok()) {
    return error(format, s);
  }
  if (auto s = check_jurisdiction(ctx, *params); !s.is_ok()) return error(format, s);
  auto extensions = read_extensions(*params);
  if (!extensions) return error(format, extensions.status());
  const open311::ViewOptions options{*extensions, base_url(req)};

  // Asked by number, the other filters do not apply, as the specification says.
  if (auto ids = params->get("service_request_id")) {
    std::vector<Case> cases;
    for (const auto& id : split_commas(*ids)) {
      if (cases.size() == kMaxPageSize) break;
      auto found = ctx.api.store.find_case(id);
      if (!found) return error(format, found.status());
      if (*found) cases.push_back(std::move(**found));
    }
    return open311::render(format, 200, "service_requests", request_list(cases, ctx, options));
  }

  store::CaseQuery q;
  q.now = ctx.api.clock.now();
  auto window = read_window(*params, q.now, std::chrono::days{90});
  if (!window) return error(format, window.status());
  q.reported_from = window->from;
  q.reported_to = window->to + std::chrono::seconds{1};  // end_date is inclusive
  if (auto codes = params->get("service_code")) {
    auto catalogue = ctx.catalogue();
    if (!catalogue) return error(format, catalogue.status());
    const auto reference = ctx.api.reference();
    for (const auto& code : split_commas(*codes)) {
      const Category* category = (*catalogue)->find(code);
      if (!category) {
        return error(format,
                     invalid("unknown_service", "no service '" + code + "'", "service_code"));
      }
      q.categories.push_back(matter_ref(*reference, *category));
    }
  }
  if (auto s = apply_status(*params, q); !s.is_ok()) return error(format, s);
  if (auto s = apply_area(*params, q); !s.is_ok()) return error(format, s);
  if (auto text = params->get("updated_after")) {
    auto t = parse_rfc3339(*text);
    if (!t) {
      return error(format, invalid("invalid_date", "updated_after must be ISO 8601 with an offset",
                                   "updated_after"));
    }
    q.updated_from = *t + std::chrono::seconds{1};
  }
  auto page = read_count(*params, "page", 1, 1000000, 1);
  if (!page) return error(format, page.status());
  auto size = read_count(*params, "page_size", 1, kMaxPageSize, kMaxPageSize);
  if (!size) return error(format, size.status());
  q.limit = *size;
  q.offset = (*page - 1) * *size;
  auto found = ctx.api.store.list_cases(q);
  if (!found) return error(format, found.status());
  return open311::render(format, 200, "service_requests", request_list(found->items, ctx, options));
}

http::Response get_request(Open311Context& ctx, http::Request& req, Format format,
                           const std::string& id) {
  auto params = read_params(req, format);
  if (!params) return error(format, params.status());
  if (auto s = params->check_names({"jurisdiction_id", "extensions"}, false); !s.is_ok()) {
    return error(format, s);
  }
  if (auto s = check_jurisdiction(ctx, *params); !s.is_ok()) return error(format, s);
  auto extensions = read_extensions(*params);
  if (!extensions) return error(format, extensions.status());
  auto found = ctx.api.store.find_case(id);
  if (!found) return error(format, found.status());
  if (!*found) return error(format, not_found("unknown_request", "no service request " + id));
  const open311::ViewOptions options{*extensions, base_url(req)};
  return open311::render(format, 200, "service_requests",
                         request_list({std::move(**found)}, ctx, options));
}

http::Response get_token(Open311Context& ctx, http::Request& req, Format format,
                         const std::string& token) {
  if (auto s = check_only_jurisdiction(ctx, req, format); !s.is_ok()) return error(format, s);
  auto number = ctx.api.store.case_of_key(token_key(token));
  if (!number) return error(format, number.status());
  if (!*number) return error(format, not_found("unknown_token", "no request has token " + token));
  Document item = {{"service_request_id", **number}, {"token", token}};
  return open311::render(format, 200, "service_requests", Document::array({item}));
}

}  // namespace cityops::api::open311_detail
