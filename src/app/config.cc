#include "app/config.h"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>

namespace cityops::app {

namespace {

// Reads an integer key of `section` into `out` when present; kInvalidArgument "config_invalid"
// with the key's dotted name as the field when it is outside [min, max] or not an integer.
Status read_int(const toml::table& table, std::string_view section, std::string_view key,
                int64_t min, int64_t max, int& out) {
  const auto node = table[section][key];
  if (!node) return Status::ok();
  const std::string name = std::string(section) + "." + std::string(key);
  const auto value = node.value<int64_t>();
  if (!value || *value < min || *value > max) {
    return invalid(
        "config_invalid",
        name + " is an integer from " + std::to_string(min) + " to " + std::to_string(max), name);
  }
  out = static_cast<int>(*value);
  return Status::ok();
}

Status read_open311(const toml::table& table, Open311Config& open311) {
  CITYOPS_RETURN_IF_ERROR(
      read_int(table, "open311", "rate_per_minute", 1, 1'000'000, open311.rate_per_minute));
  CITYOPS_RETURN_IF_ERROR(read_int(table, "open311", "burst", 1, 1'000'000, open311.burst));
  CITYOPS_RETURN_IF_ERROR(
      read_int(table, "open311", "media_max_bytes", 1024, 64 << 20, open311.media_max_bytes));
  if (const auto node = table["open311"]["jurisdiction_id"]) {
    const auto value = node.value<std::string>();
    if (!value || value->empty() || value->size() > 100) {
      return invalid("config_invalid", "open311.jurisdiction_id is a non-empty string",
                     "open311.jurisdiction_id");
    }
    open311.jurisdiction_id = *value;
  }
  return Status::ok();
}

Status read_media(const toml::table& table, MediaConfig& media) {
  CITYOPS_RETURN_IF_ERROR(read_int(table, "media", "max_bytes", 1024, 64 << 20, media.max_bytes));
  return read_int(table, "media", "max_pixels", 1, 500'000'000, media.max_pixels);
}

Status check_tile_datum(const std::string& datum, const std::string& field) {
  if (datum == "wgs84" || datum == "gcj02") return Status::ok();
  return invalid("config_invalid", field + " is wgs84 or gcj02", field);
}

Status read_map(const toml::table& table, MapConfig& map) {
  const auto section = table["map"];
  if (const auto node = section["tile_url"]) {
    const auto value = node.value<std::string>();
    if (!value) return invalid("config_invalid", "map.tile_url is a string", "map.tile_url");
    map.tile_url = value->empty() ? std::nullopt : std::optional<std::string>(*value);
  }
  if (const auto node = section["tile_datum"]) {
    const auto value = node.value<std::string>();
    CITYOPS_RETURN_IF_ERROR(check_tile_datum(value.value_or(""), "map.tile_datum"));
    map.tile_datum = *value;
  }
  if (const auto node = section["attribution"]) {
    const auto value = node.value<std::string>();
    if (!value) return invalid("config_invalid", "map.attribution is a string", "map.attribution");
    map.attribution = *value;
  }
  CITYOPS_RETURN_IF_ERROR(read_int(table, "map", "max_zoom", 1, 24, map.max_zoom));
  if (const auto node = section["subdomains"]) {
    const auto* list = node.as_array();
    std::vector<std::string> out;
    for (size_t i = 0; list && i < list->size(); ++i) {
      const auto item = (*list)[i].value<std::string>();
      if (!item) break;
      out.push_back(*item);
    }
    if (!list || out.size() != list->size()) {
      return invalid("config_invalid", "map.subdomains is a list of strings", "map.subdomains");
    }
    map.subdomains = std::move(out);
  }
  return Status::ok();
}

}  // namespace

Status parse_listen(const std::string& text, Config& config) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return invalid("bad_listen", "listen is ADDRESS:PORT, e.g. 127.0.0.1:8080", "listen");
  }
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(begin, end, port);
  if (error != std::errc{} || ptr != end || port > 65535) {
    return invalid("bad_listen", "the port in '" + text + "' is not 0-65535", "listen");
  }
  std::string address = text.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  config.listen_address = address;
  config.listen_port = static_cast<uint16_t>(port);
  return Status::ok();
}

Status load_config_file(const std::filesystem::path& path, bool required, Config& config) {
  if (!std::filesystem::exists(path)) {
    if (required) return invalid("config_missing", "no config file at " + path.string(), "config");
    return Status::ok();
  }
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return invalid("config_invalid", path.string() + ": " + std::string(e.description()), "config");
  }
  if (auto listen = table["server"]["listen"].value<std::string>()) {
    CITYOPS_RETURN_IF_ERROR(parse_listen(*listen, config));
  }
  if (auto threads = table["server"]["threads"].value<int64_t>()) {
    if (*threads < 1 || *threads > 256) {
      return invalid("config_invalid", "server.threads is 1 to 256", "server.threads");
    }
    config.threads = static_cast<int>(*threads);
  }
  if (auto threads = table["server"]["action_threads"].value<int64_t>()) {
    if (*threads < 1 || *threads > 256) {
      return invalid("config_invalid", "server.action_threads is 1 to 256",
                     "server.action_threads");
    }
    config.blocking_threads = static_cast<int>(*threads);
  }
  if (auto limit = table["server"]["body_limit"].value<int64_t>()) {
    if (*limit < 1024)
      return invalid("config_invalid", "server.body_limit too small", "server.body_limit");
    config.body_limit = static_cast<size_t>(*limit);
  }
  if (auto code = table["district"]["code"].value<std::string>()) config.district_code = *code;
  if (auto name = table["district"]["name"].value<std::string>()) config.district_name = *name;
  if (auto hours = table["calendar"]["office_hours"].value<std::string>()) {
    auto parsed = parse_office_hours(*hours);
    if (!parsed) return parsed.status();
    config.office_hours = *parsed;
  }
  if (auto radius = table["intake"]["duplicate_radius_m"].value<double>()) {
    config.duplicate_radius_m = *radius;
  }
  if (auto days = table["intake"]["duplicate_window_days"].value<int64_t>()) {
    config.duplicate_window_days = static_cast<int>(*days);
  }
  if (auto share = table["workflow"]["warn_share"].value<double>()) {
    if (!(*share > 0 && *share < 1)) {
      return invalid("config_invalid", "workflow.warn_share is between 0 and 1",
                     "workflow.warn_share");
    }
    config.warn_share = *share;
  }
  if (auto interval = table["workflow"]["timer_interval_seconds"].value<int64_t>()) {
    if (*interval < 1 || *interval > 3600) {
      return invalid("config_invalid", "workflow.timer_interval_seconds is 1 to 3600",
                     "workflow.timer_interval_seconds");
    }
    config.timer_interval_seconds = static_cast<int>(*interval);
  }
  if (auto level = table["log"]["level"].value<std::string>()) config.log_level = *level;
  if (auto dir = table["reference"]["dir"].value<std::string>()) config.reference_dir = *dir;
  CITYOPS_RETURN_IF_ERROR(read_open311(table, config.open311));
  CITYOPS_RETURN_IF_ERROR(read_media(table, config.media));
  CITYOPS_RETURN_IF_ERROR(read_map(table, config.map));
  if (const auto node = table["web"]["root"]) {
    const auto root = node.value<std::string>();
    if (!root || root->empty()) {
      return invalid("config_invalid", "web.root is a directory path", "web.root");
    }
    config.web_root = *root;
  }
  return Status::ok();
}

Status apply_environment(Config& config) {
  if (const char* listen = std::getenv("CITYOPS_LISTEN")) {
    CITYOPS_RETURN_IF_ERROR(parse_listen(listen, config));
  }
  if (const char* threads = std::getenv("CITYOPS_THREADS")) {
    const int n = std::atoi(threads);
    if (n < 1 || n > 256)
      return invalid("bad_env", "CITYOPS_THREADS is 1 to 256", "CITYOPS_THREADS");
    config.threads = n;
  }
  if (const char* level = std::getenv("CITYOPS_LOG_LEVEL")) config.log_level = level;
  if (const char* hours = std::getenv("CITYOPS_OFFICE_HOURS")) {
    auto parsed = parse_office_hours(hours);
    if (!parsed) return parsed.status();
    config.office_hours = *parsed;
  }
  if (const char* dir = std::getenv("CITYOPS_REFERENCE_DIR")) config.reference_dir = dir;
  if (const char* root = std::getenv("CITYOPS_WEB_ROOT"); root && *root) config.web_root = root;
  if (const char* url = std::getenv("CITYOPS_MAP_TILE_URL")) {
    config.map.tile_url = *url ? std::optional<std::string>(url) : std::nullopt;
  }
  if (const char* datum = std::getenv("CITYOPS_MAP_TILE_DATUM")) {
    CITYOPS_RETURN_IF_ERROR(check_tile_datum(datum, "CITYOPS_MAP_TILE_DATUM"));
    config.map.tile_datum = datum;
  }
  return Status::ok();
}

}  // namespace cityops::app
