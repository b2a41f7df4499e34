// Configuration layers: the listen address, a TOML file over the defaults, CITYOPS_*
// environment variables over the file, and the values each layer refuses.
#include "app/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace cityops::app {
namespace {

using std::chrono::hours;

// Sets or clears an environment variable for one scope and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Clears every variable apply_environment reads, so the host's settings cannot leak in.
struct CleanEnv {
  ScopedEnv listen{"CITYOPS_LISTEN", nullptr};
  ScopedEnv threads{"CITYOPS_THREADS", nullptr};
  ScopedEnv level{"CITYOPS_LOG_LEVEL", nullptr};
  ScopedEnv hours{"CITYOPS_OFFICE_HOURS", nullptr};
  ScopedEnv reference{"CITYOPS_REFERENCE_DIR", nullptr};
  ScopedEnv web_root{"CITYOPS_WEB_ROOT", nullptr};
  ScopedEnv tile_url{"CITYOPS_MAP_TILE_URL", nullptr};
  ScopedEnv tile_datum{"CITYOPS_MAP_TILE_DATUM", nullptr};
};

OfficeHours hours_of(int start1, int end1, int start2, int end2) {
  return OfficeHours{{{hours{start1}, hours{end1}}, {hours{start2}, hours{end2}}}};
}

std::filesystem::path write_file(const testing::TempDir& dir, const std::string& text) {
  const auto path = dir.path() / "cityops.toml";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(ParseListen, SplitsAddressAndPort) {
  const struct {
    const char* text;
    const char* address;
    uint16_t port;
  } cases[] = {
      {"127.0.0.1:8080", "127.0.0.1", 8080},
      {"0.0.0.0:0", "0.0.0.0", 0},
      {"localhost:65535", "localhost", 65535},
      {"[::1]:9000", "::1", 9000},
      {"[::]:1", "::", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Config config;
    ASSERT_TRUE(parse_listen(c.text, config).is_ok());
    EXPECT_EQ(config.listen_address, c.address);
    EXPECT_EQ(config.listen_port, c.port);
  }
}

TEST(ParseListen, RefusesBadValuesAndKeepsTheConfig) {
  const char* cases[] = {
      "",         "8080",     ":8080",    "127.0.0.1:", "127.0.0.1:65536",           "host:-1",
      "host:+80", "host:80x", "host: 80", "host:0x50",  "host:99999999999999999999",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(std::string("'") + text + "'");
    Config config;
    const Status status = parse_listen(text, config);
    EXPECT_EQ(status.code(), "bad_listen");
    EXPECT_EQ(status.field(), "listen");
    EXPECT_EQ(config.listen_address, "127.0.0.1");
    EXPECT_EQ(config.listen_port, 8080);
  }
}

TEST(ConfigFile, OverridesTheDefaults) {
  const testing::TempDir dir("cityops-config");
  const auto path = write_file(dir, R"toml(
[server]
listen = "127.0.0.1:9090"
threads = 8
body_limit = 65536

[district]
code = "130302"
name = "海港区"

[calendar]
office_hours = "14:00-18:00,09:00-12:00"

[intake]
duplicate_radius_m = 120.5
duplicate_window_days = 7

[log]
level = "debug"

[reference]
dir = "/srv/cityops/reference"

[open311]
rate_per_minute = 600
burst = 50
jurisdiction_id = "haigang.example"
media_max_bytes = 2097152

[media]
max_bytes = 3145728
max_pixels = 24000000
)toml");
  Config config;
  ASSERT_TRUE(load_config_file(path, true, config).is_ok());
  EXPECT_EQ(config.listen_address, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 9090);
  EXPECT_EQ(config.threads, 8);
  EXPECT_EQ(config.body_limit, 65536u);
  EXPECT_EQ(config.district_code, "130302");
  EXPECT_EQ(config.district_name, "海港区");
  EXPECT_EQ(config.office_hours, hours_of(9, 12, 14, 18));
  EXPECT_EQ(config.duplicate_radius_m, 120.5);
  EXPECT_EQ(config.duplicate_window_days, 7);
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.reference_dir, "/srv/cityops/reference");
  EXPECT_EQ(config.open311.rate_per_minute, 600);
  EXPECT_EQ(config.open311.burst, 50);
  EXPECT_EQ(config.open311.jurisdiction_id, "haigang.example");
  EXPECT_EQ(config.open311.media_max_bytes, 2097152);
  EXPECT_EQ(config.media.max_bytes, 3145728);
  EXPECT_EQ(config.media.max_pixels, 24000000);
}

TEST(ConfigFile, AbsentKeysKeepTheDefaults) {
  const testing::TempDir dir("cityops-config");
  const auto path = write_file(dir, "[log]\nlevel = \"warn\"\n");
  Config config;
  ASSERT_TRUE(load_config_file(path, true, config).is_ok());
  EXPECT_EQ(config.log_level, "warn");
  EXPECT_EQ(config.listen_port, 8080);
  EXPECT_EQ(config.threads, 4);
  EXPECT_EQ(config.district_code, "130304");
  EXPECT_EQ(config.district_name, "北戴河区");
  EXPECT_EQ(config.office_hours, OfficeHours::standard());
  EXPECT_EQ(config.duplicate_radius_m, 250);
  EXPECT_EQ(config.duplicate_window_days, 30);
  EXPECT_EQ(config.open311.rate_per_minute, 120);
  EXPECT_EQ(config.open311.burst, 30);
}

TEST(ConfigFile, Open311KeysAreReadOneByOne) {
  const testing::TempDir dir("cityops-config");
  Config config;
  ASSERT_TRUE(load_config_file(write_file(dir, "[open311]\nburst = 1\n"), true, config).is_ok());
  EXPECT_EQ(config.open311.burst, 1);
  EXPECT_EQ(config.open311.rate_per_minute, 120);
}

TEST(ConfigFile, MissingFileIsAnErrorOnlyWhenRequired) {
  const testing::TempDir dir("cityops-config");
  Config config;
  EXPECT_TRUE(load_config_file(dir.path() / "absent.toml", false, config).is_ok());
  EXPECT_EQ(config.listen_port, 8080);
  const Status status = load_config_file(dir.path() / "absent.toml", true, config);
  EXPECT_EQ(status.code(), "config_missing");
  EXPECT_EQ(status.field(), "config");
}

TEST(ConfigFile, RefusesBadValues) {
  const struct {
    const char* label;
    const char* text;
    const char* code;
    const char* field;
  } cases[] = {
      {"not TOML", "[server\nlisten = 1\n", "config_invalid", "config"},
      {"zero threads", "[server]\nthreads = 0\n", "config_invalid", "server.threads"},
      {"257 threads", "[server]\nthreads = 257\n", "config_invalid", "server.threads"},
      {"tiny body limit", "[server]\nbody_limit = 1023\n", "config_invalid", "server.body_limit"},
      {"bad listen", "[server]\nlisten = \"everywhere\"\n", "bad_listen", "listen"},
      {"port out of range", "[server]\nlisten = \"127.0.0.1:70000\"\n", "bad_listen", "listen"},
      {"backwards office hours", "[calendar]\noffice_hours = \"17:00-09:00\"\n", "bad_office_hours",
       "office_hours"},
      {"overlapping office hours", "[calendar]\noffice_hours = \"08:00-12:00,11:00-13:00\"\n",
       "bad_office_hours", "office_hours"},
      {"no rate", "[open311]\nrate_per_minute = 0\n", "config_invalid", "open311.rate_per_minute"},
      {"rate as text", "[open311]\nrate_per_minute = \"fast\"\n", "config_invalid",
       "open311.rate_per_minute"},
      {"rate too high", "[open311]\nrate_per_minute = 1000001\n", "config_invalid",
       "open311.rate_per_minute"},
      {"negative burst", "[open311]\nburst = -5\n", "config_invalid", "open311.burst"},
      {"fractional burst", "[open311]\nburst = 2.5\n", "config_invalid", "open311.burst"},
      {"burst past int", "[open311]\nburst = 9999999999\n", "config_invalid", "open311.burst"},
      {"empty jurisdiction", "[open311]\njurisdiction_id = \"\"\n", "config_invalid",
       "open311.jurisdiction_id"},
      {"tiny media limit", "[open311]\nmedia_max_bytes = 10\n", "config_invalid",
       "open311.media_max_bytes"},
      {"tiny photo limit", "[media]\nmax_bytes = 10\n", "config_invalid", "media.max_bytes"},
      {"no pixels", "[media]\nmax_pixels = 0\n", "config_invalid", "media.max_pixels"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const testing::TempDir dir("cityops-config");
    Config config;
    const Status status = load_config_file(write_file(dir, c.text), true, config);
    EXPECT_FALSE(status.is_ok());
    EXPECT_EQ(status.code(), c.code);
    EXPECT_EQ(status.field(), c.field);
  }
}

TEST(ConfigEnvironment, OverridesTheFile) {
  const CleanEnv clean;
  const testing::TempDir dir("cityops-config");
  const auto path = write_file(dir,
                               "[server]\nlisten = \"127.0.0.1:9090\"\nthreads = 8\n"
                               "[log]\nlevel = \"debug\"\n[district]\ncode = \"130302\"\n");
  const ScopedEnv listen("CITYOPS_LISTEN", "127.0.0.1:7000");
  const ScopedEnv threads("CITYOPS_THREADS", "2");
  const ScopedEnv level("CITYOPS_LOG_LEVEL", "warn");
  const ScopedEnv office("CITYOPS_OFFICE_HOURS", "08:00-12:00,13:00-17:00");
  const ScopedEnv reference("CITYOPS_REFERENCE_DIR", "/opt/cityops/ref");

  Config config;
  ASSERT_TRUE(load_config_file(path, true, config).is_ok());
  ASSERT_TRUE(apply_environment(config).is_ok());
  EXPECT_EQ(config.listen_port, 7000);
  EXPECT_EQ(config.threads, 2);
  EXPECT_EQ(config.log_level, "warn");
  EXPECT_EQ(config.office_hours, hours_of(8, 12, 13, 17));
  EXPECT_EQ(config.reference_dir, "/opt/cityops/ref");
  EXPECT_EQ(config.district_code, "130302");  // no variable for it: the file's value stays
}

TEST(ConfigFile, WebAndMapSections) {
  const CleanEnv clean;
  const testing::TempDir dir("cityops-config");
  Config defaults;
  EXPECT_EQ(defaults.web_root, std::filesystem::path(source_dir()) / "web" / "dist");
  EXPECT_FALSE(defaults.map.tile_url.has_value());
  EXPECT_EQ(defaults.map.tile_datum, "wgs84");

  Config config;
  const auto path = write_file(dir,
                               "[web]\nroot = \"/srv/cityops/web\"\n"
                               "[map]\ntile_url = \"https://{s}.tiles.test/{z}/{x}/{y}.png\"\n"
                               "tile_datum = \"gcj02\"\nattribution = \"© test\"\n"
                               "max_zoom = 17\nsubdomains = [\"a\", \"b\"]\n");
  ASSERT_TRUE(load_config_file(path, true, config).is_ok());
  EXPECT_EQ(config.web_root, "/srv/cityops/web");
  EXPECT_EQ(config.map.tile_url, "https://{s}.tiles.test/{z}/{x}/{y}.png");
  EXPECT_EQ(config.map.tile_datum, "gcj02");
  EXPECT_EQ(config.map.attribution, "© test");
  EXPECT_EQ(config.map.max_zoom, 17);
  EXPECT_EQ(config.map.subdomains, (std::vector<std::string>{"a", "b"}));

  // The environment wins; an empty tile URL means no base layer.
  const ScopedEnv root("CITYOPS_WEB_ROOT", "/tmp/dist");
  const ScopedEnv url("CITYOPS_MAP_TILE_URL", "");
  const ScopedEnv datum("CITYOPS_MAP_TILE_DATUM", "wgs84");
  ASSERT_TRUE(apply_environment(config).is_ok());
  EXPECT_EQ(config.web_root, "/tmp/dist");
  EXPECT_FALSE(config.map.tile_url.has_value());
  EXPECT_EQ(config.map.tile_datum, "wgs84");

  for (const auto* text : {"[map]\ntile_datum = \"bd09\"\n", "[map]\nmax_zoom = 30\n",
                           "[map]\nsubdomains = [1, 2]\n", "[web]\nroot = 3\n"}) {
    SCOPED_TRACE(text);
    Config refused;
    const Status status = load_config_file(write_file(dir, text), true, refused);
    EXPECT_EQ(status.code(), "config_invalid");
    EXPECT_TRUE(status.field().starts_with("map.") || status.field() == "web.root");
  }
}

TEST(ConfigEnvironment, NoVariablesChangeNothing) {
  const CleanEnv clean;
  Config config;
  ASSERT_TRUE(apply_environment(config).is_ok());
  EXPECT_EQ(config.listen_address, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 8080);
  EXPECT_EQ(config.threads, 4);
  EXPECT_EQ(config.log_level, "info");
}

TEST(ConfigEnvironment, RefusesBadValues) {
  const struct {
    const char* variable;
    const char* value;
    const char* code;
    const char* field;
  } cases[] = {
      {"CITYOPS_THREADS", "0", "bad_env", "CITYOPS_THREADS"},
      {"CITYOPS_THREADS", "257", "bad_env", "CITYOPS_THREADS"},
      {"CITYOPS_THREADS", "many", "bad_env", "CITYOPS_THREADS"},
      {"CITYOPS_THREADS", "-3", "bad_env", "CITYOPS_THREADS"},
      {"CITYOPS_LISTEN", "127.0.0.1", "bad_listen", "listen"},
      {"CITYOPS_LISTEN", "127.0.0.1:http", "bad_listen", "listen"},
      {"CITYOPS_OFFICE_HOURS", "nine to five", "bad_office_hours", "office_hours"},
      {"CITYOPS_MAP_TILE_DATUM", "bd09", "config_invalid", "CITYOPS_MAP_TILE_DATUM"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.variable) + "=" + c.value);
    const CleanEnv clean;
    const ScopedEnv variable(c.variable, c.value);
    Config config;
    const Status status = apply_environment(config);
    EXPECT_FALSE(status.is_ok());
    EXPECT_EQ(status.code(), c.code);
    EXPECT_EQ(status.field(), c.field);
  }
}

}  // namespace
}  // namespace cityops::app
