// The `cityops` command: the server and the operator's tools.
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/app.h"
#include "app/bulk_demo.h"
#include "app/component_importer.h"
#include "app/demo.h"
#include "app/importer.h"
#include "cli/apikey_commands.h"
#include "cli/user_commands.h"
#include "http/server.h"
#include "services/grid_staff.h"

namespace {

using namespace cityops;

int fail(const Status& status) {
  std::cerr << "cityops: " << status.message();
  if (!status.field().empty()) std::cerr << " [" << status.field() << "]";
  std::cerr << " (" << status.code() << ")\n";
  return 1;
}

Result<app::Config> load_config(const std::string& data_dir, const std::string& config_file) {
  app::Config config;
  config.data_dir = data_dir;
  const bool explicit_file = !config_file.empty();
  const auto path =
      explicit_file ? std::filesystem::path(config_file) : config.data_dir / "cityops.toml";
  CITYOPS_RETURN_IF_ERROR(app::load_config_file(path, explicit_file, config));
  CITYOPS_RETURN_IF_ERROR(app::apply_environment(config));
  return config;
}

int serve(app::Config config, bool demo) {
  // Signals are taken by one thread with sigwait, so stopping never runs in a signal handler.
  // They are blocked before any thread starts: threads inherit the mask, and one that did not
  // block them would take the signal's default action and end the process mid-write.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SystemClock clock;
  auto opened = app::App::open(config, clock);
  if (!opened) return fail(opened.status());
  auto& application = **opened;

  if (demo) {
    auto empty = app::is_empty(application.store());
    if (!empty) return fail(empty.status());
    if (*empty) {
      spdlog::info("loading the Beidaihe demo data set into {}", config.data_dir.string());
      const auto users = app::load_demo(application, clock, {});
      if (!users) return fail(users.status());
      cityops::cli::print_demo_users(*users, std::cout);
    } else {
      spdlog::info("data directory already holds data; --demo leaves it as it is");
    }
  }

  // Marks warning and due times as they come, and catches up on any missed while stopped.
  application.timer().start(std::chrono::seconds(config.timer_interval_seconds));

  http::ServerOptions options;
  options.address = config.listen_address;
  options.port = config.listen_port;
  options.threads = config.threads;
  options.body_limit = config.body_limit;
  // Open311 posts, photo uploads, patrol reports and phone reports may carry photos: room for
  // the four largest allowed a phone report carries, and the form around them.
  options.upload_prefixes = {"/open311/v2/", "/api/v1/photos", "/api/v1/patrols/",
                             "/api/v1/reports"};
  const int largest_photo = std::max(config.open311.media_max_bytes, config.media.max_bytes);
  options.upload_limit =
      std::max(config.body_limit, static_cast<size_t>(largest_photo) * 4 + (64 << 10));
  http::Server server(options,
                      [&application](http::Request& req) { return application.handle(req); });

  auto port = server.start();
  if (!port) return fail(port.status());
  const bool v6 = config.listen_address.find(':') != std::string::npos;
  std::cout << fmt::format("CityOps serving {} on http://{}:{}/", config.district_name,
                           v6 ? "[" + config.listen_address + "]" : config.listen_address, *port)
            << std::endl;

  std::thread waiter([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received; stopping", received);
    server.stop();
  });
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  // Writes still queued finish before the server goes: their late answers are posted to its
  // stopped I/O context, which must still exist.
  opened->reset();
  return 0;
}

// Fills an empty data directory with a large generated register, for load tests.
int load_bulk_demo(app::Config config, const app::BulkDemoOptions& options) {
  SystemClock clock;
  auto opened = app::App::open(config, clock);
  if (!opened) return fail(opened.status());
  auto& application = **opened;
  auto empty = app::is_empty(application.store());
  if (!empty) return fail(empty.status());
  if (!*empty) {
    return fail(invalid(
        "data_dir_not_empty",
        config.data_dir.string() + " already holds data; generate into an empty one", "data"));
  }
  const auto started = std::chrono::steady_clock::now();
  auto summary = app::load_bulk_demo(application, clock.now(), options);
  if (!summary) return fail(summary.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  cityops::cli::print_demo_users(summary->users, std::cout);
  std::cout << fmt::format("generated {} cases ({} open) with {} events in {:.1f} s\n",
                           summary->cases, summary->open_cases, summary->events, seconds);
  return 0;
}

// Good rows are kept even when others are bad; the exit code tells a script that some were not.
int import_staff(store::Store& store, const app::Config& config, const std::string& file) {
  auto reference = services::ReferenceData::load(store, config.office_hours);
  if (!reference) return fail(reference.status());
  auto text = app::read_file(file);
  if (!text) return fail(text.status());
  SystemClock clock;
  auto done = services::import_staff_csv(store, **reference, *text, clock.now());
  if (!done) return fail(done.status());
  std::cout << fmt::format("staff: {} added, {} updated, {} lines refused\n", done->inserted,
                           done->updated, done->rejected.size());
  for (const auto& r : done->rejected) {
    std::cerr << fmt::format("{}:{}: {} [{}] ({})\n", file, r.line, r.message, r.field, r.code);
  }
  return done->rejected.empty() ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "cityops: libsodium failed to initialise\n";
    return 1;
  }
  // Logs go to standard error; standard output carries only what the operator must read.
  spdlog::set_default_logger(spdlog::stderr_color_mt("cityops"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");

  CLI::App cli{"CityOps: fine-grained city management"};
  cli.require_subcommand(1);
  std::string data_dir = "var";
  std::string config_file;
  std::string listen;
  std::string log_level;
  bool demo = false;

  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server");
  serve_cmd->add_option("--data", data_dir, "Data directory (database, config)")->required();
  serve_cmd->add_option("--listen", listen, "ADDRESS:PORT, default 127.0.0.1:8080");
  serve_cmd->add_option("--config", config_file, "TOML config file (default DATA/cityops.toml)");
  serve_cmd->add_option("--log-level", log_level, "trace, debug, info, warn, error");
  serve_cmd->add_flag("--demo", demo, "Load the Beidaihe demo data into an empty data directory");

  auto* demo_cmd =
      cli.add_subcommand("demo", "Fill an empty data directory with a large generated register");
  app::BulkDemoOptions bulk;
  demo_cmd->add_option("--data", data_dir, "Data directory")->required();
  demo_cmd->add_option("--cases", bulk.cases, "Cases to generate (default 1000000)")
      ->check(CLI::Range(int64_t{1}, int64_t{50'000'000}));
  demo_cmd->add_option("--days", bulk.days, "Spread over the last DAYS days (default 365)")
      ->check(CLI::Range(1, 3650));
  demo_cmd->add_option("--seed", bulk.seed, "Random seed (default 130304)");
  demo_cmd->add_option("--threads", bulk.threads, "Threads building cases (default 2)")
      ->check(CLI::Range(1, 64));
  demo_cmd->add_option("--log-level", log_level, "trace, debug, info, warn, error");

  auto* import_cmd = cli.add_subcommand("import", "Load reference data or regions");
  import_cmd->require_subcommand(1);
  std::string file;
  std::string layer;
  std::string datum = "wgs84";
  app::RegionImportOptions region_options;
  for (const char* kind : {"taxonomy", "departments", "routing", "calendar"}) {
    auto* sub = import_cmd->add_subcommand(kind, fmt::format("Import a {} file", kind));
    sub->add_option("--data", data_dir, "Data directory")->required();
    sub->add_option("--file", file, "File to import")->required()->check(CLI::ExistingFile);
  }
  auto* defaults_cmd = import_cmd->add_subcommand("defaults", "Import the project's own files");
  defaults_cmd->add_option("--data", data_dir, "Data directory")->required();
  auto* regions_cmd = import_cmd->add_subcommand("regions", "Import a GeoJSON layer");
  regions_cmd->add_option("--data", data_dir, "Data directory")->required();
  regions_cmd->add_option("--file", file, "GeoJSON file")->required()->check(CLI::ExistingFile);
  regions_cmd
      ->add_option("--layer", layer, "district, street, community, unit_grid, governance_grid")
      ->required()
      ->check(CLI::IsMember({"district", "street", "community", "unit_grid", "governance_grid"}));
  regions_cmd->add_option("--datum", datum, "wgs84, gcj02, bd09, cgcs2000")
      ->check(CLI::IsMember({"wgs84", "gcj02", "bd09", "cgcs2000"}));
  regions_cmd->add_option("--code-property", region_options.code_property);
  regions_cmd->add_option("--name-property", region_options.name_property);
  regions_cmd->add_option("--parent-property", region_options.parent_property);

  auto* staff_cmd = import_cmd->add_subcommand("staff", "Import grid staff from CSV");
  staff_cmd->add_option("--data", data_dir, "Data directory")->required();
  staff_cmd->add_option("--file", file, "Staff CSV file")->required()->check(CLI::ExistingFile);
  auto* components_cmd =
      import_cmd->add_subcommand("components", "Import components (CSV or GeoJSON points)");
  components_cmd->add_option("--data", data_dir, "Data directory")->required();
  components_cmd->add_option("--file", file, "CSV or GeoJSON file")
      ->required()
      ->check(CLI::ExistingFile);
  components_cmd->add_option("--datum", datum, "GeoJSON coordinates' datum (default wgs84)")
      ->check(CLI::IsMember({"wgs84", "gcj02", "bd09", "cgcs2000"}));

  auto* grids_cmd = cli.add_subcommand("grids", "Generate unit grids over the district outline");
  double cell_size = 250;
  grids_cmd->add_option("--data", data_dir, "Data directory")->required();
  grids_cmd->add_option("--cell-size", cell_size, "Cell edge in metres")
      ->check(CLI::Range(20.0, 5000.0));

  auto* check_cmd = cli.add_subcommand("check", "Check the database's integrity");
  check_cmd->add_option("--data", data_dir, "Data directory")->required();

  auto user_cmds = cityops::cli::add_user_commands(cli, data_dir);
  auto apikey_cmds = cityops::cli::add_apikey_commands(cli, data_dir);

  CLI11_PARSE(cli, argc, argv);

  auto config = load_config(data_dir, config_file);
  if (!config) return fail(config.status());
  if (!listen.empty()) {
    const auto status = app::parse_listen(listen, *config);
    if (!status.is_ok()) return fail(status);
  }
  if (!log_level.empty()) config->log_level = log_level;
  spdlog::set_level(spdlog::level::from_str(config->log_level));

  if (serve_cmd->parsed()) return serve(*config, demo);
  if (demo_cmd->parsed()) return load_bulk_demo(*config, bulk);
  if (user_cmds->user->parsed()) {
    return cityops::cli::run_user_command(*user_cmds, *config, std::cin, std::cout, std::cerr);
  }
  if (apikey_cmds->apikey->parsed()) {
    return cityops::cli::run_apikey_command(*apikey_cmds, *config, std::cout, std::cerr);
  }

  // The other commands work on the database directly.
  std::error_code ec;
  std::filesystem::create_directories(config->data_dir, ec);
  auto store = store::SqliteStore::open(config->database_path(), 1);
  if (!store) return fail(store.status());
  Result<std::string> done = std::string();
  if (import_cmd->parsed()) {
    if (staff_cmd->parsed()) return import_staff(**store, *config, file);
    if (defaults_cmd->parsed()) {
      done = app::import_default_reference(**store, config->reference_dir);
    } else if (regions_cmd->parsed()) {
      region_options.layer = layer;
      region_options.datum = *geo::parse_datum(datum);
      done = app::import_regions(**store, file, region_options, config->district_code);
    } else if (components_cmd->parsed()) {
      done = app::import_components(**store, *config, file, *geo::parse_datum(datum),
                                    SystemClock().now());
    } else {
      const auto* sub = import_cmd->get_subcommands().front();
      done = app::import_reference_file(**store, *app::parse_reference_kind(sub->get_name()), file);
    }
  } else if (grids_cmd->parsed()) {
    done = app::generate_unit_grid_layer(**store, cell_size, config->district_code);
  } else if (check_cmd->parsed()) {
    const auto status = (*store)->integrity_check();
    if (!status.is_ok()) return fail(status);
    done = std::string("integrity: ok");
  }
  if (!done) return fail(done.status());
  std::cout << *done << (done->empty() || done->back() == '\n' ? "" : "\n");
  return 0;
}
