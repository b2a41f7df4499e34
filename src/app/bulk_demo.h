// A large generated register for Beidaihe District, for load tests and benchmarks: the demo's
// reference data, regions and accounts, then up to millions of cases reported over the last
// year, each with the whole history the server would have written for it.
#pragma once

#include <cstdint>

#include "app/app.h"
#include "app/demo_users.h"
#include "common/status.h"

namespace cityops::app {

struct BulkDemoOptions {
  int64_t cases = 1'000'000;
  int days = 365;
  unsigned seed = 130304;
  int threads = 2;  // threads that build cases while the calling thread writes them
  double unit_cell_m = 250;
};

struct BulkDemoSummary {
  DemoCredentials users;
  int64_t cases = 0;
  int64_t events = 0;
  int64_t open_cases = 0;
};

// Loads the demo setup (load_demo_setup) into the app's empty store, then `options.cases`
// cases reported between 06:00 and 22:00 on the last `options.days` local days up to `now`,
// more in the summer season and fewer at weekends. Each is resolved as intake resolves a
// report and walked as far as its age allows (case_history.h); numbers follow report order
// within each day, and the daily sequences are set so the next report gets the next number.
// The cases are written many thousand to a transaction without fsync, then synced once.
// Deterministic for a seed and `now`, whatever the number of threads.
Result<BulkDemoSummary> load_bulk_demo(App& app, Timestamp now, const BulkDemoOptions& options);

}  // namespace cityops::app
