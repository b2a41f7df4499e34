// Helpers shared by the Open311 handlers: reading parameters from the query and the form body,
// the jurisdiction check, and answering in the format the path asked for.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/open311_context.h"
#include "http/form.h"
#include "open311/format.h"

namespace cityops::api::open311_detail {

using open311::Document;
using open311::Format;

struct Params {
  std::vector<std::pair<std::string, std::string>> fields;  // query, then form fields
  std::vector<http::FormPart> files;                        // multipart parts with a filename
  Format format = Format::kXml;

  // The last value given for `name`.
  std::optional<std::string> get(std::string_view name) const;
  // Refuses names outside `allowed`, and outside "attribute[...]" unless `attributes`.
  Status check_names(std::initializer_list<std::string_view> allowed, bool attributes) const;
};

// The query parameters, and for a POST the form body (url-encoded or multipart).
Result<Params> read_params(const http::Request& req, Format format);

// 404 for a jurisdiction_id other than ours.
Status check_jurisdiction(const Open311Context& ctx, const Params& params);
// For the methods that take no parameter but jurisdiction_id: reads and checks it.
Status check_only_jurisdiction(const Open311Context& ctx, const http::Request& req, Format format);

// "http://host" from the Host header, to make media URLs absolute.
std::string base_url(const http::Request& req);

inline http::Response error(Format format, const Status& status) {
  return open311::render_error(format, status);
}

// A key that does not authenticate (403) or has no allowance left (429 with Retry-After).
http::Response refused(Format format, const services::ApiKeyAdmission& admission);

// GET requests/servicerequestupdates time windows: at most 90 days; `span` back from now (or
// from the end given) when no start is given.
struct Window {
  Timestamp from;
  Timestamp to;
};
Result<Window> read_window(const Params& params, Timestamp now, std::chrono::seconds span);

// The parameter as a number from `min` to `max`, or a 400 naming it.
Result<double> read_number(const Params& params, const char* name, double min, double max);
// "a,b,,c" -> {"a", "b", "", "c"}.
std::vector<std::string> split_commas(const std::string& text);
// GET requests filters: `status` (open, closed) into states; `bbox`, or `lat`, `long` and
// `radius` into the query's area.
Status apply_status(const Params& params, store::CaseQuery& q);
Status apply_area(const Params& params, store::CaseQuery& q);

// The handlers behind the paths, each given the format its path's suffix chose.
http::Response post_request(Open311Context& ctx, http::Request& req, Format format);
http::Response get_requests(Open311Context& ctx, http::Request& req, Format format);
http::Response get_request(Open311Context& ctx, http::Request& req, Format format,
                           const std::string& id);
http::Response get_token(Open311Context& ctx, http::Request& req, Format format,
                         const std::string& token);
http::Response get_updates(Open311Context& ctx, http::Request& req, Format format);
http::Response post_update(Open311Context& ctx, http::Request& req, Format format);

}  // namespace cityops::api::open311_detail
