// The demo data set for Beidaihe District: the project's reference files, a coarse district
// outline with its streets, communities, 207 governance grids and unit grids, and a few hundred
// realistic cases spread over the last quarter. Loaded into an empty data directory only.
#pragma once

#include "app/app.h"
#include "app/demo_users.h"
#include "common/status.h"

namespace cityops::app {

struct DemoOptions {
  int cases = 400;
  int days = 90;
  double unit_cell_m = 250;
  unsigned seed = 130304;
};

// True when the store holds no reference data and no cases yet.
Result<bool> is_empty(store::Store& store);

// Loads reference data and regions, reloads the app's snapshot, creates one account per role
// (create_demo_users), then reports the cases through the intake service with report times
// spread over the last `days`. Returns the accounts' passwords, which are kept nowhere else.
Result<DemoCredentials> load_demo(App& app, const Clock& clock, const DemoOptions& options);

// The part of load_demo before the cases: reference data, regions (unit grids of
// `unit_cell_m`), the app's snapshot reloaded, one account per role. Returns the passwords.
Result<DemoCredentials> load_demo_setup(App& app, double unit_cell_m);

// The bounding box of the stored district outline, in WGS84.
Result<store::CaseQuery::Box> district_bounds(store::Store& store);

}  // namespace cityops::app
