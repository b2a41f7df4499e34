#include "api/photos_api.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "api/problem.h"
#include "http/form.h"

namespace cityops::api {
namespace {

using nlohmann::json;

// Photos are named by their bytes, so a name's content never changes; private because each
// answer depends on who asks.
constexpr std::string_view kCacheControl = "private, max-age=31536000, immutable";

// A problem, with the challenge RFC 6750 asks of every 401 to a bearer-token client.
http::Response photo_problem(const Status& status, const http::Request& req) {
  auto res = problem(status, req);
  if (res.status == 401) res.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"cityops\"");
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

json photo_json(const services::PhotoRecord& p) {
  const std::string url = "/api/v1/photos/" + p.name;
  json out = {{"name", p.name},
              {"url", url},
              {"thumbnail_url", url + "/thumbnail"},
              {"content_type", p.content_type},
              {"size", p.bytes},
              {"width", p.width},
              {"height", p.height},
              {"taken_at", nullptr},
              {"location", nullptr},
              {"uploaded_by", p.uploaded_by},
              {"uploaded_at", format_rfc3339(p.uploaded_at)}};
  if (p.taken_at) out["taken_at"] = format_rfc3339(*p.taken_at);
  if (p.location) out["location"] = {{"lon", p.location->lon}, {"lat", p.location->lat}};
  return out;
}

// The image bytes of an upload: the body itself, or the part named "photo" of a form.
Result<std::string> upload_bytes(http::Request& req) {
  const auto type = req.header("content-type").value_or("");
  if (!http::is_multipart(type)) return std::move(req.body);
  auto parts = http::parse_multipart(type, req.body);
  if (!parts) return parts.status();
  for (auto& part : *parts) {
    if (part.name == "photo") return std::move(part.data);
  }
  return invalid("missing_field", "the form needs a part named photo", "photo");
}

http::Response upload(ApiContext& ctx, services::PhotoService& photos, http::Request& req) {
  auto principal = require_principal(ctx, req);
  if (!principal) return photo_problem(principal.status(), req);
  CITYOPS_RETURN_PROBLEM(check_query_names(req, {}), req);
  auto bytes = upload_bytes(req);
  if (!bytes) return photo_problem(bytes.status(), req);
  auto stored = photos.store(*bytes, principal->username);
  if (!stored) return photo_problem(stored.status(), req);
  json out = photo_json(stored->photo);
  out["existed"] = stored->existed;
  auto res = json_response(201, out);
  res.headers.emplace_back("Location", out["url"].get<std::string>());
  return res;
}

// The photo named in the path when the signed-in user may see it; a 404 problem both when it
// does not exist and when it is not theirs to see, so that a refusal reveals nothing.
Result<services::PhotoRecord> visible_photo(ApiContext& ctx, services::PhotoService& photos,
                                            const http::Request& req, const std::string& name) {
  auto principal = require_principal(ctx, req);
  if (!principal) return principal.status();
  CITYOPS_RETURN_IF_ERROR(check_query_names(req, {}));
  auto found = photos.find(name);
  if (!found) return found.status();
  const Status unknown = not_found("unknown_photo", "no photo " + name);
  if (!*found) return unknown;
  auto allowed = photos.may_see(*principal, **found);
  if (!allowed) return allowed.status();
  if (!*allowed) return unknown;
  return std::move(**found);
}

bool etag_matches(const http::Request& req, const std::string& etag) {
  const auto header = req.header("if-none-match");
  if (!header) return false;
  std::string_view list = *header;
  // A list of tags, each possibly weak (W/"..."); "*" matches any.
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view tag = list.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

http::Response file_response(const http::Request& req, const std::filesystem::path& path,
                             const std::string& name, const std::string& content_type) {
  http::Response res;
  const std::string etag = "\"" + name + "\"";
  res.headers.emplace_back("ETag", etag);
  res.headers.emplace_back("Cache-Control", std::string(kCacheControl));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (etag_matches(req, etag)) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) {
    return photo_problem(internal_error("cannot read stored photo " + name), req);
  }
  res.content_type = content_type;
  res.body = std::move(bytes).str();
  return res;
}

}  // namespace

void add_photo_routes(Router& router, ApiContext& ctx, services::PhotoService& photos) {
  // Decoding and the fsyncs of the files and the record take a while: a pool thread waits for
  // them, so the I/O thread is free meanwhile.
  router.add("POST", "/api/v1/photos", [&ctx, &photos](http::Request& req, const PathParams&) {
    std::string body = std::move(req.body);
    auto job = std::make_shared<http::Request>(req);
    job->body = std::move(body);
    http::Response res;
    res.deferred = [&ctx, &photos, job](http::Reply reply) {
      ctx.blocking.post([&ctx, &photos, job, reply] {
        auto done = std::make_shared<http::Response>(upload(ctx, photos, *job));
        reply([done] { return std::move(*done); });
      });
    };
    return res;
  });
  router.add(
      "GET", "/api/v1/photos/{name}", [&ctx, &photos](http::Request& req, const PathParams& p) {
        auto photo = visible_photo(ctx, photos, req, p.at("name"));
        if (!photo) return photo_problem(photo.status(), req);
        return file_response(req, photos.original_path(*photo), photo->name, photo->content_type);
      });
  router.add("GET", "/api/v1/photos/{name}/thumbnail",
             [&ctx, &photos](http::Request& req, const PathParams& p) {
               auto photo = visible_photo(ctx, photos, req, p.at("name"));
               if (!photo) return photo_problem(photo.status(), req);
               return file_response(req, photos.thumbnail_path(*photo), photo->thumbnail,
                                    "image/jpeg");
             });
  router.add("GET", "/api/v1/photos/{name}/meta",
             [&ctx, &photos](http::Request& req, const PathParams& p) {
               auto photo = visible_photo(ctx, photos, req, p.at("name"));
               if (!photo) return photo_problem(photo.status(), req);
               auto res = json_response(200, photo_json(*photo));
               res.headers.emplace_back("Cache-Control", "private, no-cache");
               res.headers.emplace_back("X-Content-Type-Options", "nosniff");
               return res;
             });
}

}  // namespace cityops::api
