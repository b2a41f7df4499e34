// The built web app (web/dist) served beside the API: files by path, the app's index.html for
// client-side routes, and safe path handling so that nothing outside the root is ever read.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace cityops::app {

// The file a decoded URL path names under `root`, lexically: nullopt when a segment is "." or
// "..", starts with a dot (hidden files), or holds a backslash or a control byte. Empty
// segments ("//") are skipped. Symbolic links are not resolved here (StaticSite does that).
std::optional<std::filesystem::path> static_file_path(const std::filesystem::path& root,
                                                      std::string_view url_path);

// The Content-Type for a file name by its extension; application/octet-stream when unknown.
std::string_view static_content_type(std::string_view file_name);

// True when the last segment of `url_path` has an extension ("app.js", not "cases" or ".x").
bool has_extension(std::string_view url_path);

// True for the paths that belong to the API and the operator endpoints, never to the pages.
bool is_api_path(std::string_view url_path);

class StaticSite {
 public:
  explicit StaticSite(std::filesystem::path root) : root_(std::move(root)) {}

  // Answers a GET or HEAD that no API route took. Files are read per request, so a rebuilt
  // app is served without a restart. Unsafe paths answer 400 "invalid_path"; a missing file
  // with an extension 404 "file_not_found"; any other missing path the app's index.html (or a
  // page saying how to build the app when the root has none).
  http::Response serve(const http::Request& req) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace cityops::app
