// The composition root: opens the store, loads reference data, builds the services and the
// HTTP handler. The command line and the integration tests both start the server through it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "api/context.h"
#include "api/open311_context.h"
#include "api/patrol_context.h"
#include "api/router.h"
#include "app/config.h"
#include "app/static_site.h"
#include "common/metrics.h"
#include "common/work_pool.h"
#include "http/message.h"
#include "services/accounts.h"
#include "services/api_keys.h"
#include "services/deadline_timer.h"
#include "services/intake.h"
#include "services/live_feed.h"
#include "services/patrol.h"
#include "services/photos.h"
#include "services/workflow.h"
#include "store/sqlite_store.h"

namespace cityops::app {

class App {
 public:
  // Creates the data directory if needed and opens the database in it.
  static Result<std::unique_ptr<App>> open(Config config, const Clock& clock);

  // Rebuilds the in-memory reference snapshot from the store (after an import).
  Status reload_reference();
  std::shared_ptr<const services::ReferenceData> reference() const;

  // Handles one request: routing, logging with the request id, metrics.
  http::Response handle(http::Request& req);

  const Config& config() const { return config_; }
  store::SqliteStore& store() { return *store_; }
  services::IntakeService& intake() { return *intake_; }
  services::AccountService& accounts() { return *accounts_; }
  services::ApiKeyService& api_keys() { return *api_keys_; }
  services::WorkflowService& workflow() { return *workflow_; }
  services::DeadlineTimer& timer() { return *timer_; }
  Metrics& metrics() { return metrics_; }

 private:
  App(Config config, const Clock& clock) : config_(std::move(config)), clock_(clock) {}
  // The GeoReport v2 endpoints under /open311/v2/ and what they need.
  Status start_open311();
  // Counts and logs one answered request.
  void record(const std::string& method, const std::string& path, const std::string& request_id,
              const std::string& route, std::chrono::steady_clock::time_point started,
              const http::Response& res);

  Config config_;
  const Clock& clock_;
  std::unique_ptr<store::SqliteStore> store_;
  mutable std::mutex reference_mutex_;
  std::shared_ptr<const services::ReferenceData> reference_;
  std::unique_ptr<services::IntakeService> intake_;
  std::unique_ptr<services::AccountService> accounts_;
  std::unique_ptr<services::ApiKeyService> api_keys_;
  std::unique_ptr<services::WorkflowService> workflow_;
  std::unique_ptr<services::DeadlineTimer> timer_;
  Metrics metrics_;
  std::unique_ptr<api::ApiContext> api_context_;
  std::unique_ptr<services::MediaStore> media_;
  std::unique_ptr<api::Open311Context> open311_;
  std::unique_ptr<services::PhotoService> photos_;
  std::unique_ptr<services::PatrolService> patrols_;
  std::unique_ptr<api::PatrolContext> patrol_context_;
  std::unique_ptr<services::LiveFeed> live_;
  api::Router router_;
  std::unique_ptr<StaticSite> site_;
  // Last, so it is destroyed first: its threads use everything above.
  std::unique_ptr<WorkPool> blocking_;
};

}  // namespace cityops::app
