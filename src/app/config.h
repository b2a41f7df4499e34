// Server configuration: defaults, then the TOML file, then CITYOPS_* environment variables,
// then command-line flags, each overriding the one before.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/source_dir.h"

#include "common/status.h"
#include "domain/calendar.h"

namespace cityops::app {

// The Open311 GeoReport endpoints that partner systems call with an API key.
struct Open311Config {
  // Each key's allowance: `rate_per_minute` requests a minute on average, up to `burst` at once.
  int rate_per_minute = 120;
  int burst = 30;
  // Requests naming another jurisdiction_id are answered 404.
  std::string jurisdiction_id = "130304";
  // The largest photo a client may upload, in bytes.
  int media_max_bytes = 8 << 20;
};

// Photos uploaded to /api/v1/photos and with the reports that carry them.
struct MediaConfig {
  // The largest photo, in bytes.
  int max_bytes = 8 << 20;
  // The most pixels a photo may have; larger ones are refused before they are decoded.
  int max_pixels = 50'000'000;
};

// The base map the web pages draw, as GET /api/v1/client-config tells them.
struct MapConfig {
  // An XYZ tile URL template ("https://{s}.example/{z}/{x}/{y}.png"); none for no base layer.
  std::optional<std::string> tile_url;
  // The datum the tiles are drawn in: "wgs84", or "gcj02" for most maps published in China.
  std::string tile_datum = "wgs84";
  std::string attribution;
  int max_zoom = 18;
  std::vector<std::string> subdomains;
};

struct Config {
  std::filesystem::path data_dir = "var";
  // Where the project's own reference files live (taxonomy, calendar, demo geography).
  std::filesystem::path reference_dir = std::filesystem::path(source_dir()) / "data";

  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 8080;
  int threads = 4;
  // Workflow actions wait for their group commit on these, not on the I/O threads.
  int blocking_threads = 16;
  size_t body_limit = 1 << 20;

  std::string district_code = "130304";
  std::string district_name = "北戴河区";
  OfficeHours office_hours = OfficeHours::standard();

  double duplicate_radius_m = 250;
  int duplicate_window_days = 30;

  // The share of a step's limit after which it turns yellow and its unit is urged.
  double warn_share = 0.8;
  int timer_interval_seconds = 5;

  std::string log_level = "info";

  Open311Config open311;
  MediaConfig media;
  MapConfig map;
  // The built web app that `serve` answers for every path outside the API.
  std::filesystem::path web_root = std::filesystem::path(source_dir()) / "web" / "dist";

  std::filesystem::path database_path() const { return data_dir / "cityops.db"; }
  // The gazetteer's places and roads (format in docs/geography.md).
  std::filesystem::path places_path() const {
    return reference_dir / "gazetteer" / "beidaihe-places.csv";
  }
};

// Reads `path` over `config`. A missing file is not an error when `required` is false.
Status load_config_file(const std::filesystem::path& path, bool required, Config& config);
// Applies CITYOPS_LISTEN, CITYOPS_THREADS, CITYOPS_LOG_LEVEL, CITYOPS_OFFICE_HOURS,
// CITYOPS_REFERENCE_DIR, CITYOPS_WEB_ROOT, CITYOPS_MAP_TILE_URL (empty for none),
// CITYOPS_MAP_TILE_DATUM.
Status apply_environment(Config& config);
// "127.0.0.1:8080" into address and port.
Status parse_listen(const std::string& text, Config& config);

}  // namespace cityops::app
