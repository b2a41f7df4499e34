#include "app/static_site.h"

#include <array>
#include <fstream>
#include <sstream>

#include "api/problem.h"

namespace cityops::app {

namespace fs = std::filesystem;

namespace {

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<ContentType, 16> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".woff2", "font/woff2"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".wasm", "application/wasm"},
}};

// Hashed names under /assets/ never change content; everything else may change on a rebuild.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

constexpr std::string_view kNotBuiltPage =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>CityOps</title></head><body>"
    "<h1>CityOps</h1><p>The web pages are not built. Run <code>scripts/setup-web.sh</code> "
    "and reload; the API answers under <code>/api/v1/</code>.</p></body></html>\n";

std::optional<std::string> read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(out).str();
}

// True when `inner` lies within `outer`; both canonical.
bool contains(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

http::Response file_response(std::string body, std::string_view name, std::string_view cache) {
  http::Response res{200, std::string(static_content_type(name)), std::move(body), {}, {}};
  res.headers.emplace_back("Cache-Control", std::string(cache));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

}  // namespace

std::optional<fs::path> static_file_path(const fs::path& root, std::string_view url_path) {
  fs::path out = root;
  size_t start = 0;
  while (start <= url_path.size()) {
    const size_t slash = url_path.find('/', start);
    const auto segment =
        url_path.substr(start, slash == url_path.npos ? url_path.npos : slash - start);
    if (!segment.empty()) {
      // A leading dot also covers "." and "..", which would climb out of the root.
      if (segment.front() == '.') return std::nullopt;
      for (char c : segment) {
        if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
      }
      out /= fs::path(std::string(segment));
    }
    if (slash == url_path.npos) break;
    start = slash + 1;
  }
  return out;
}

std::string_view static_content_type(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  const size_t slash = file_name.rfind('/');
  if (dot == file_name.npos || (slash != file_name.npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string extension(file_name.substr(dot));
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& entry : kContentTypes) {
    if (entry.extension == extension) return entry.type;
  }
  return "application/octet-stream";
}

bool has_extension(std::string_view url_path) {
  const size_t slash = url_path.rfind('/');
  const auto last = slash == url_path.npos ? url_path : url_path.substr(slash + 1);
  const size_t dot = last.rfind('.');
  return dot != last.npos && dot > 0 && dot + 1 < last.size();
}

bool is_api_path(std::string_view url_path) {
  constexpr std::array<std::string_view, 5> kPrefixes{"/api", "/open311", "/healthz", "/readyz",
                                                      "/metrics"};
  for (const auto prefix : kPrefixes) {
    if (url_path.starts_with(prefix) &&
        (url_path.size() == prefix.size() || url_path[prefix.size()] == '/')) {
      return true;
    }
  }
  return false;
}

http::Response StaticSite::serve(const http::Request& req) const {
  const auto path = static_file_path(root_, req.path);
  if (!path) {
    return api::problem(invalid("invalid_path", "the path names no file of the web app", "path"),
                        req);
  }

  // A symbolic link may point anywhere; only what resolves inside the root is served.
  std::error_code ec;
  const auto real_root = fs::canonical(root_, ec);
  if (!ec) {
    const auto real = fs::canonical(*path, ec);
    if (!ec && contains(real_root, real) && fs::is_regular_file(real, ec)) {
      const bool asset = req.path.starts_with("/assets/");
      if (auto body = read_whole(real)) {
        return file_response(std::move(*body), path->filename().string(),
                             asset ? kImmutable : kRevalidate);
      }
    }
  }

  if (has_extension(req.path)) {
    return api::problem(not_found("file_not_found", "no file at " + req.path), req);
  }
  // A client-side route: the app reads the path itself.
  if (auto index = read_whole(root_ / "index.html")) {
    return file_response(std::move(*index), "index.html", kRevalidate);
  }
  return file_response(std::string(kNotBuiltPage), "index.html", kRevalidate);
}

}  // namespace cityops::app
