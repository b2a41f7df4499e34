// The web app's files: which URL paths name a file, the types they are sent as, their cache
// headers, the fallback to index.html for client-side routes, and paths that must never
// reach outside the root.
#include "app/static_site.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace cityops::app {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string header(const http::Response& res, const std::string& name) {
  for (const auto& [key, value] : res.headers) {
    if (key == name) return value;
  }
  return "";
}

http::Response get(const StaticSite& site, const std::string& path) {
  http::Request req;
  req.method = "GET";
  req.target = path;
  req.path = path;
  return site.serve(req);
}

TEST(StaticFilePath, JoinsSafeSegmentsAndRefusesTheRest) {
  const fs::path root = "/srv/web";
  EXPECT_EQ(static_file_path(root, "/"), root);
  EXPECT_EQ(static_file_path(root, "/index.html"), root / "index.html");
  EXPECT_EQ(static_file_path(root, "//assets///x.js"), root / "assets" / "x.js");
  EXPECT_EQ(static_file_path(root, "/cases/130304-20261204-000017"),
            root / "cases" / "130304-20261204-000017");
  for (const char* bad : {"/..", "/../etc/passwd", "/assets/../../x", "/./index.html", "/.env",
                          "/a/.git/config", "/a\\..\\b", "/a\nb", "/x\x7f"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(static_file_path(root, bad).has_value());
  }
}

TEST(StaticContentType, ByExtension) {
  const struct {
    const char* name;
    const char* type;
  } cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"app.1a2b.js", "text/javascript; charset=utf-8"},
      {"worker.mjs", "text/javascript; charset=utf-8"},
      {"style.CSS", "text/css; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"a.png", "image/png"},
      {"a.jpg", "image/jpeg"},
      {"a.webp", "image/webp"},
      {"favicon.ico", "image/x-icon"},
      {"data.json", "application/json"},
      {"font.woff2", "font/woff2"},
      {"app.js.map", "application/json"},
      {"robots.txt", "text/plain; charset=utf-8"},
      {"site.webmanifest", "application/manifest+json"},
      {"archive.tar", "application/octet-stream"},
      {"README", "application/octet-stream"},
      {"dir.d/README", "application/octet-stream"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(static_content_type(c.name), c.type);
  }
}

TEST(StaticPaths, ExtensionsAndApiPrefixes) {
  EXPECT_TRUE(has_extension("/assets/x.js"));
  EXPECT_FALSE(has_extension("/cases/130304-20261204-000017"));
  EXPECT_FALSE(has_extension("/lookup/"));
  EXPECT_FALSE(has_extension("/.hidden"));
  EXPECT_FALSE(has_extension("/dir.d/page"));
  for (const char* api : {"/api", "/api/v1/nothing", "/open311/v2/x", "/healthz", "/readyz",
                          "/metrics", "/metrics/x"}) {
    EXPECT_TRUE(is_api_path(api)) << api;
  }
  for (const char* page : {"/", "/apiary", "/cases/1", "/metricsx", "/report"}) {
    EXPECT_FALSE(is_api_path(page)) << page;
  }
}

TEST(StaticSite, ServesFilesWithTypesAndCacheHeaders) {
  const testing::TempDir dir("static-site");
  write(dir.path() / "index.html", "<html>app</html>");
  write(dir.path() / "assets" / "x.js", "console.log(1)");
  write(dir.path() / "favicon.ico", "ico");
  const StaticSite site(dir.path());

  const auto asset = get(site, "/assets/x.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_EQ(asset.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(asset, "Cache-Control"), "public, max-age=31536000, immutable");

  const auto icon = get(site, "/favicon.ico");
  EXPECT_EQ(icon.body, "ico");
  EXPECT_EQ(header(icon, "Cache-Control"), "no-cache");

  // The root and client-side routes get the app; a missing file with an extension does not.
  for (const char* route : {"/", "/index.html", "/cases/130304-20261204-000017", "/lookup/"}) {
    SCOPED_TRACE(route);
    const auto page = get(site, route);
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "<html>app</html>");
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(page, "Cache-Control"), "no-cache");
  }
  const auto missing = get(site, "/assets/missing.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  EXPECT_NE(missing.body.find("\"file_not_found\""), std::string::npos);

  const auto traversal = get(site, "/../../etc/passwd");
  EXPECT_EQ(traversal.status, 400);
  EXPECT_NE(traversal.body.find("\"invalid_path\""), std::string::npos);
}

TEST(StaticSite, NeverFollowsALinkOutOfTheRoot) {
  const testing::TempDir dir("static-site");
  write(dir.path() / "outside" / "secret.txt", "secret");
  write(dir.path() / "web" / "index.html", "<html>app</html>");
  write(dir.path() / "web" / "inside.txt", "inside");
  fs::create_symlink(dir.path() / "outside" / "secret.txt", dir.path() / "web" / "secret.txt");
  fs::create_symlink(dir.path() / "outside", dir.path() / "web" / "out");
  fs::create_symlink(dir.path() / "web" / "inside.txt", dir.path() / "web" / "alias.txt");
  const StaticSite site(dir.path() / "web");

  EXPECT_EQ(get(site, "/secret.txt").status, 404);
  EXPECT_EQ(get(site, "/out/secret.txt").status, 404);
  EXPECT_EQ(get(site, "/alias.txt").body, "inside");  // a link that stays inside is fine
}

TEST(StaticSite, SaysHowToBuildWhenTheAppIsMissing) {
  const testing::TempDir dir("static-site");
  const StaticSite site(dir.path() / "absent");
  const auto page = get(site, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("scripts/setup-web.sh"), std::string::npos);
  EXPECT_EQ(get(site, "/assets/x.js").status, 404);
}

}  // namespace
}  // namespace cityops::app
