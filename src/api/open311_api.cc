// /open311/v2/: GeoReport v2 discovery, services and service definitions, the routing of every
// path by its format suffix, and the photos clients uploaded.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "api/open311_common.h"
#include "common/time.h"

namespace cityops::api {

using open311::Document;
using open311::Format;
using namespace open311_detail;

namespace {

// Date of the last change to what this server offers, for discovery's changeset.
constexpr std::string_view kChangeset = "2026-12-04T00:00:00+08:00";

Document encode_service(const Category& c, const open311::Catalogue& catalogue) {
  std::string keywords;
  for (const auto& k : c.keywords) keywords += (keywords.empty() ? "" : ",") + k;
  Document s;
  // A number, as the service lists of other cities give it; clients may send it back with or
  // without the leading zeros.
  s["service_code"] = std::stoi(c.code);
  s["service_name"] = c.name;
  s["description"] = c.class_name + "：" + c.name;
  s["metadata"] = !catalogue.attributes(c.code).empty();
  s["type"] = "realtime";
  s["keywords"] = keywords;
  s["group"] = c.class_name;
  return s;
}

http::Response discovery(Open311Context& ctx, const http::Request& req, Format format) {
  if (auto s = check_only_jurisdiction(ctx, req, format); !s.is_ok()) return error(format, s);
  const std::string url = base_url(req) + "/open311/v2/";
  Document endpoint = {{"specification", "http://wiki.open311.org/GeoReport_v2"},
                       {"url", url},
                       {"changeset", kChangeset},
                       {"type", "production"},
                       {"formats", Document::array({"text/xml", "application/json"})}};
  Document doc = {{"changeset", kChangeset},
                  {"contact", ctx.settings.contact},
                  {"key_service", "API keys are issued by the operations centre"},
                  {"endpoints", Document::array({endpoint})}};
  return open311::render(format, 200, "discovery", doc);
}

http::Response services(Open311Context& ctx, const http::Request& req, Format format) {
  if (auto s = check_only_jurisdiction(ctx, req, format); !s.is_ok()) return error(format, s);
  auto catalogue = ctx.catalogue();
  if (!catalogue) return error(format, catalogue.status());
  Document list = Document::array();
  for (const auto& c : (*catalogue)->services()) list.push_back(encode_service(c, **catalogue));
  return open311::render(format, 200, "services", list);
}

http::Response definition(Open311Context& ctx, const http::Request& req, Format format,
                          const std::string& code) {
  if (auto s = check_only_jurisdiction(ctx, req, format); !s.is_ok()) return error(format, s);
  auto catalogue = ctx.catalogue();
  if (!catalogue) return error(format, catalogue.status());
  const Category* c = (*catalogue)->find(code);
  if (!c) return error(format, not_found("unknown_service", "no service " + code));
  Document attributes = Document::array();
  for (const auto& a : (*catalogue)->attributes(c->code)) {
    Document values = Document::array();
    for (const auto& v : a.values) values.push_back({{"key", v.key}, {"name", v.name}});
    attributes.push_back(
        {{"variable", true},
         {"code", a.code},
         {"datatype", open311::to_string(a.datatype)},
         {"required", a.required},
         {"datatype_description",
          a.datatype_description.empty() ? Document(nullptr) : Document(a.datatype_description)},
         {"order", a.order},
         {"description", a.description},
         {"values", std::move(values)}});
  }
  Document doc = {{"service_code", c->code}, {"attributes", std::move(attributes)}};
  return open311::render(format, 200, "service_definition", doc);
}

http::Response media(Open311Context& ctx, const http::Request& req, const std::string& name) {
  auto found = ctx.media.find(name);
  if (!found) return error(Format::kXml, found.status());
  if (!*found) return error(Format::kXml, not_found("unknown_media", "no media " + name));
  const std::string etag = "\"" + name + "\"";
  http::Response res;
  res.headers.emplace_back("ETag", etag);
  // Content-addressed: the name changes whenever the bytes would.
  res.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  if (auto match = req.header("if-none-match"); match && *match == etag) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  std::ifstream in(ctx.media.path_of(**found), std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) {
    return error(Format::kXml, internal_error("cannot read stored media " + name));
  }
  res.content_type = (*found)->content_type;
  res.body = std::move(bytes).str();
  return res;
}

http::Response method_not_allowed(Format format, const std::string& what, const char* allow) {
  Document item = {{"code", 405},
                   {"description", what + " allows " + std::string(allow) + " only"},
                   {"error", "method_not_allowed"}};
  auto res = open311::render(format, 405, "errors", Document::array({item}));
  res.headers.emplace_back("Allow", allow);
  return res;
}

// The format a path asked for; unknown suffixes are answered in XML, the mandatory format.
std::pair<std::string, Format> split(const std::string& segment) {
  auto split = open311::split_format(segment);
  if (!split) return {segment, Format::kXml};
  return *split;
}

http::Response unknown(Format format, const std::string& path) {
  return error(format, not_found("unknown_resource", "no Open311 resource at " + path +
                                                         " (resources end in .xml or .json)"));
}

http::Response get_resource(Open311Context& ctx, http::Request& req, const PathParams& p) {
  const auto [name, format] = split(p.at("resource"));
  if (!open311::split_format(p.at("resource"))) return unknown(format, req.path);
  if (name == "discovery") return discovery(ctx, req, format);
  if (name == "services") return services(ctx, req, format);
  if (name == "requests") return get_requests(ctx, req, format);
  if (name == "servicerequestupdates") return get_updates(ctx, req, format);
  return unknown(format, req.path);
}

http::Response post_resource(Open311Context& ctx, http::Request& req, const PathParams& p) {
  const auto [name, format] = split(p.at("resource"));
  if (!open311::split_format(p.at("resource"))) return unknown(format, req.path);
  if (name == "requests") return post_request(ctx, req, format);
  if (name == "servicerequestupdates") return post_update(ctx, req, format);
  if (name == "discovery" || name == "services") return method_not_allowed(format, name, "GET");
  return unknown(format, req.path);
}

http::Response get_item(Open311Context& ctx, http::Request& req, const PathParams& p) {
  const std::string& collection = p.at("collection");
  if (collection == "media") return media(ctx, req, p.at("item"));
  const auto [item, format] = split(p.at("item"));
  if (!open311::split_format(p.at("item"))) return unknown(format, req.path);
  if (collection == "services") return definition(ctx, req, format, item);
  if (collection == "requests") return get_request(ctx, req, format, item);
  if (collection == "tokens") return get_token(ctx, req, format, item);
  return unknown(format, req.path);
}

}  // namespace

Result<std::shared_ptr<const open311::Catalogue>> Open311Context::catalogue() {
  auto reference = api.reference();
  std::lock_guard lock(catalogue_mutex);
  if (catalogue_built && catalogue_reference == reference) return catalogue_built;
  // Before any taxonomy is imported there are no services, and so nothing to ask about.
  const bool empty = reference->taxonomy().all().empty();
  auto built = open311::Catalogue::build(reference->taxonomy(),
                                         empty ? std::vector<open311::Attribute>{} : attributes);
  if (!built) return built.status();
  catalogue_built = std::make_shared<const open311::Catalogue>(std::move(built).value());
  catalogue_reference = std::move(reference);
  return catalogue_built;
}

void add_open311_routes(Router& router, Open311Context& ctx) {
  router.add("GET", "/open311/v2/{resource}",
             [&ctx](http::Request& req, const PathParams& p) { return get_resource(ctx, req, p); });
  router.add("POST", "/open311/v2/{resource}", [&ctx](http::Request& req, const PathParams& p) {
    return post_resource(ctx, req, p);
  });
  router.add("GET", "/open311/v2/{collection}/{item}",
             [&ctx](http::Request& req, const PathParams& p) { return get_item(ctx, req, p); });
  // Everything else under the prefix still answers in the specification's error format.
  const auto index = [](http::Request& req, const PathParams&) {
    return unknown(Format::kXml, req.path);
  };
  router.add("GET", "/open311/v2", index);
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    router.add(method, "/open311/v2/{resource}", [](http::Request&, const PathParams& p) {
      const auto [name, format] = split(p.at("resource"));
      const bool writable = name == "requests" || name == "servicerequestupdates";
      return method_not_allowed(format, name, writable ? "GET, POST" : "GET");
    });
    router.add(method, "/open311/v2/{collection}/{item}",
               [](http::Request& req, const PathParams& p) {
                 return method_not_allowed(split(p.at("item")).second, req.path, "GET");
               });
  }
  router.add("POST", "/open311/v2/{collection}/{item}",
             [](http::Request& req, const PathParams& p) {
               return method_not_allowed(split(p.at("item")).second, req.path, "GET");
             });
}

}  // namespace cityops::api
