// The demo's components inventory: 57 public toilets, 1,000 cameras, 16 flood gauges, and
// street lamps and manhole covers along the gazetteer's roads, placed deterministically so that
// every demo has the same ones.
#pragma once

#include "app/app.h"
#include "common/status.h"

namespace cityops::app {

inline constexpr int kDemoToilets = 57;
// The district's police and scenic-spot cameras, and the flood points watched in the rain.
inline constexpr int kDemoCameras = 1000;
inline constexpr int kDemoFloodGauges = 16;
inline constexpr double kDemoLampSpacingM = 40;
inline constexpr double kDemoManholeSpacingM = 80;

// Builds the components from the app's reference snapshot (roads, regions) and stores them.
// Lamps and manholes that fall outside the unit grids are skipped; toilets, cameras and flood
// gauges move along their road until they are inside, so their counts are always the above. Returns
// how many were stored.
Result<int64_t> load_demo_components(App& app, Timestamp now);

}  // namespace cityops::app
