#include "app/app.h"

#include "api/photos_api.h"
#include "api/problem.h"
#include "api/web_api.h"
#include "app/importer.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace cityops::app {

Result<std::unique_ptr<App>> App::open(Config config, const Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return invalid("data_dir_unusable",
                   "cannot create " + config.data_dir.string() + ": " + ec.message(), "data");
  }
  std::unique_ptr<App> app(new App(std::move(config), clock));
  auto store = store::SqliteStore::open(app->config_.database_path());
  if (!store) return store.status();
  app->store_ = std::move(store).value();
  CITYOPS_RETURN_IF_ERROR(app->reload_reference());

  services::IntakeSettings settings;
  settings.district_code = app->config_.district_code;
  settings.duplicate_radius_m = app->config_.duplicate_radius_m;
  settings.duplicate_window_days = app->config_.duplicate_window_days;
  settings.warn_share = app->config_.warn_share;
  App* raw = app.get();
  app->intake_ = std::make_unique<services::IntakeService>(
      *app->store_, [raw] { return raw->reference(); }, clock, settings);
  CITYOPS_RETURN_IF_ERROR(app->intake_->warm_up());
  // Accounts see the departments of the snapshot in force, without copying them.
  const auto departments = [raw] {
    auto reference = raw->reference();
    return std::shared_ptr<const std::vector<Department>>(reference, &reference->departments());
  };
  app->accounts_ = std::make_unique<services::AccountService>(*app->store_, clock, departments);
  app->api_keys_ = std::make_unique<services::ApiKeyService>(
      *app->store_, clock, departments,
      services::ApiKeySettings{app->config_.open311.rate_per_minute, app->config_.open311.burst});

  app->metrics_.describe("cityops_http_requests_total", "counter", "HTTP requests answered");
  app->metrics_.describe("cityops_http_request_duration_seconds", "histogram",
                         "Time to answer an HTTP request");
  app->metrics_.describe("cityops_cases_reported_total", "counter", "Cases reported, by channel");
  app->metrics_.describe("cityops_store_write_batches_total", "counter",
                         "Transactions the group committer made durable");
  app->metrics_.describe("cityops_store_writes_total", "counter",
                         "Case writes (reports and actions) in those transactions");
  app->workflow_ = std::make_unique<services::WorkflowService>(
      *app->store_, [raw] { return raw->reference(); }, clock, app->intake_->duplicates(),
      app->config_.warn_share);
  app->timer_ = std::make_unique<services::DeadlineTimer>(*app->store_, clock);
  app->blocking_ = std::make_unique<WorkPool>(app->config_.blocking_threads);
  app->api_context_ =
      std::make_unique<api::ApiContext>(api::ApiContext{*app->store_,
                                                        [raw] { return raw->reference(); },
                                                        *app->intake_,
                                                        *app->accounts_,
                                                        *app->workflow_,
                                                        app->metrics_,
                                                        clock,
                                                        *app->blocking_,
                                                        [raw] { return raw->reload_reference(); },
                                                        {}});
  api::add_system_routes(app->router_, *app->api_context_);
  // Before the case routes, whose /cases/{number} would take /cases/similar.
  api::add_dashboard_routes(app->router_, *app->api_context_);
  api::add_case_routes(app->router_, *app->api_context_);
  api::add_public_routes(app->router_, *app->api_context_);
  api::add_reference_routes(app->router_, *app->api_context_);
  api::add_session_routes(app->router_, *app->api_context_);
  api::add_action_routes(app->router_, *app->api_context_);
  api::add_geo_routes(app->router_, *app->api_context_);
  api::add_region_routes(app->router_, *app->api_context_);
  api::add_staff_routes(app->router_, *app->api_context_);
  api::add_component_routes(app->router_, *app->api_context_);
  api::add_stats_routes(app->router_, *app->api_context_);
  CITYOPS_RETURN_IF_ERROR(app->start_open311());
  services::PhotoSettings photo_settings;
  photo_settings.max_bytes = static_cast<size_t>(app->config_.media.max_bytes);
  photo_settings.thumbnails.max_pixels = app->config_.media.max_pixels;
  app->photos_ = std::make_unique<services::PhotoService>(
      *app->store_, app->config_.data_dir / "photos", photo_settings, clock);
  api::add_photo_routes(app->router_, *app->api_context_, *app->photos_);
  api::add_report_routes(app->router_, *app->api_context_, *app->photos_);
  app->api_context_->check_photos = [photos = app->photos_.get()](
                                        const Principal* who, const std::vector<std::string>& refs,
                                        const std::string& field) {
    return photos->check_attachable(who, refs, field);
  };
  // Patrol photos are signed-in users' photos: EXIF read, thumbnails, access control.
  app->patrols_ = std::make_unique<services::PatrolService>(
      *app->store_, [raw] { return raw->reference(); }, clock, *app->photos_);
  app->patrol_context_ =
      std::make_unique<api::PatrolContext>(api::PatrolContext{*app->api_context_, *app->patrols_});
  api::add_patrol_routes(app->router_, *app->patrol_context_);
  api::add_patrol_report_routes(app->router_, *app->patrol_context_);

  const auto& map = app->config_.map;
  api::add_client_config_routes(
      app->router_, *app->api_context_,
      {app->config_.district_code, app->config_.district_name, map.tile_url, map.tile_datum,
       map.attribution, map.max_zoom, map.subdomains});
  app->live_ = std::make_unique<services::LiveFeed>(
      *app->store_,
      [raw, &clock](const CaseEvent& event, const Case& current) {
        return api::live_case_json(event, current, *raw->reference(), clock.now()).dump();
      },
      &app->metrics_);
  CITYOPS_RETURN_IF_ERROR(app->live_->start());
  api::add_live_routes(app->router_, *app->api_context_, *app->live_);
  app->site_ = std::make_unique<StaticSite>(app->config_.web_root);
  return app;
}

Status App::reload_reference() {
  // Without the places file addresses still resolve to streets and communities, so a checkout
  // that lacks it serves on, but says so.
  std::string places;
  const auto places_path = config_.places_path();
  if (std::filesystem::exists(places_path)) {
    auto text = read_file(places_path);
    if (!text) return text.status();
    places = std::move(text).value();
  } else {
    spdlog::warn("gazetteer: {} is missing; addresses resolve to streets and communities only",
                 places_path.string());
  }
  // Without the list nothing may be handled on the spot; every case goes to its department.
  std::string self_handling;
  const auto self_handling_path = config_.reference_dir / "reference" / "self-handling.csv";
  if (std::filesystem::exists(self_handling_path)) {
    auto text = read_file(self_handling_path);
    if (!text) return text.status();
    self_handling = std::move(text).value();
  } else {
    spdlog::warn("self-handling: {} is missing; no category may be handled on the spot",
                 self_handling_path.string());
  }
  auto loaded = services::ReferenceData::load(*store_, config_.office_hours, places, self_handling);
  if (!loaded) return loaded.status();
  std::lock_guard lock(reference_mutex_);
  reference_ = std::move(loaded).value();
  return Status::ok();
}

std::shared_ptr<const services::ReferenceData> App::reference() const {
  std::lock_guard lock(reference_mutex_);
  return reference_;
}

http::Response App::handle(http::Request& req) {
  const auto started = std::chrono::steady_clock::now();
  const size_t question = req.target.find('?');
  const auto raw_path = std::string_view(req.target).substr(0, question);
  auto path = http::percent_decode(raw_path, false);
  http::Response res;
  std::string route = "unmatched";
  if (!path || (question != std::string::npos &&
                !http::parse_query(std::string_view(req.target).substr(question + 1), req.query))) {
    req.path = std::string(raw_path);
    res = api::problem(invalid("malformed_target", "the request target has a bad %-escape", "url"),
                       req);
  } else {
    req.path = std::move(*path);
    res = router_.dispatch(req, route);
    // What no route took and the API does not own belongs to the web pages.
    if (route == "unmatched" && res.status == 404 &&
        (req.method == "GET" || req.method == "HEAD") && !is_api_path(req.path)) {
      res = site_->serve(req);
      route = "static";
    }
  }

  if (!res.deferred) {
    record(req.method, req.path, req.request_id, route, started, res);
    return res;
  }
  // Counted and logged when the late answer is made, so durations include the wait.
  auto inner = std::move(res.deferred);
  res.deferred = [this, inner = std::move(inner), method = req.method, path = req.path,
                  id = req.request_id, route, started](http::Reply reply) {
    inner([=, this, reply = std::move(reply)](std::function<http::Response()> make) {
      reply([=, this] {
        http::Response late = make();
        record(method, path, id, route, started, late);
        return late;
      });
    });
  };
  return res;
}

void App::record(const std::string& method, const std::string& path, const std::string& request_id,
                 const std::string& route, std::chrono::steady_clock::time_point started,
                 const http::Response& res) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string status = std::to_string(res.status);
  metrics_.increment("cityops_http_requests_total",
                     {{"method", method}, {"route", route}, {"status", status}});
  metrics_.observe("cityops_http_request_duration_seconds", {{"route", route}}, seconds);
  // Successes at debug (they are counted in /metrics); refusals at info; failures at error.
  const auto level = res.status >= 500   ? spdlog::level::err
                     : res.status >= 400 ? spdlog::level::info
                                         : spdlog::level::debug;
  // Control characters in a path must not forge log lines.
  std::string logged_path = path;
  for (char& c : logged_path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  spdlog::log(level, "request_id={} method={} path={} status={} ms={:.3f}", request_id, method,
              logged_path, res.status, seconds * 1000);
}

}  // namespace cityops::app
