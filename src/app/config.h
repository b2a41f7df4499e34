// Server configuration: defaults, then the TOML file, then CITYOPS_* environment variables,
// then command-line flags, each overriding the one before.
#pragma once

#include <filesystem>
#include <string>
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

  std::filesystem::path database_path() const { return data_dir / "cityops.db"; }
  // The gazetteer's places and roads (format in docs/geography.md).
  std::filesystem::path places_path() const {
    return reference_dir / "gazetteer" / "beidaihe-places.csv";
  }
};

// Reads `path` over `config`. A missing file is not an error when `required` is false.
Status load_config_file(const std::filesystem::path& path, bool required, Config& config);
// Applies CITYOPS_LISTEN, CITYOPS_THREADS, CITYOPS_LOG_LEVEL, CITYOPS_OFFICE_HOURS,
// CITYOPS_REFERENCE_DIR.
Status apply_environment(Config& config);
// "127.0.0.1:8080" into address and port.
Status parse_listen(const std::string& text, Config& config);

}  // namespace cityops::app
