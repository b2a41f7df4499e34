// The demo's components inventory: 57 public toilets, and street lamps and manhole covers
// along the gazetteer's roads, placed deterministically so that every demo has the same ones.
#pragma once

#include "app/app.h"
#include "common/status.h"

namespace cityops::app {

inline constexpr int kDemoToilets = 57;
inline constexpr double kDemoLampSpacingM = 40;
inline constexpr double kDemoManholeSpacingM = 80;

// Builds the components from the app's reference snapshot (roads, regions) and stores them.
// Points that fall outside the unit grids are skipped, except that toilets move along their
// road until they are inside, so that there are always kDemoToilets. Returns how many were
// stored.
Result<int64_t> load_demo_components(App& app, Timestamp now);

}  // namespace cityops::app
