// Patrols (巡查): a grid worker starts and ends a patrol, the phone uploads GPS fixes in batches,
// and leaders read the track and the day's coverage of the worker's unit grids.
//
// Fixes are checked one by one (range, time, speed against their neighbours in time), so a bad
// fix is refused alone and the good ones of its batch are kept. Batches may arrive late and in
// any order; a fix the worker already uploaded for the same second is counted as a duplicate.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/patrol.h"
#include "domain/role.h"
#include "services/photos.h"
#include "services/reference_data.h"
#include "store/store.h"

namespace cityops::services {

// One fix as the phone sent it, already decoded; `index` is its place in the batch.
struct FixInput {
  size_t index = 0;
  Timestamp at{};
  geo::LonLat location{};  // in `datum`
  geo::Datum datum = geo::Datum::kWgs84;
  std::optional<double> accuracy_m;
};

struct FixRejection {
  size_t index = 0;
  Status status;
};

struct UploadOutcome {
  int64_t accepted = 0;
  int64_t duplicates = 0;
  std::vector<FixRejection> rejected;  // by index
};

// A worker's day: time on patrol clipped to the local day, distance walked, and the unit grids
// of the assignment visited and not.
struct DayCoverage {
  std::string worker;
  std::chrono::year_month_day date;
  std::chrono::seconds patrol_time{0};
  double distance_m = 0;
  std::vector<std::string> assigned;
  patrol::Coverage grids;
};

class PatrolService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;

  PatrolService(store::Store& store, ReferenceSource reference, const Clock& clock,
                PhotoService& photos, patrol::TrackLimits limits = {});

  // Opens a patrol for the worker now. kConflict "patrol_open" when one is open.
  Result<store::PatrolRecord> start(const Principal& worker);
  // Ends the worker's own open patrol now. kNotFound "patrol_not_found" for anyone else's.
  Result<store::PatrolRecord> end(const Principal& worker, int64_t id);
  // The patrol, when `viewer` may see it (may_see_patrols); kNotFound "patrol_not_found"
  // otherwise, so that other workers' patrols are not even confirmed to exist.
  Result<store::PatrolRecord> visible_patrol(const Principal& viewer, int64_t id);

  // Adds fixes to the worker's own patrol. `rejected` holds the fixes the caller could not
  // decode; they are answered with the others. kInvalidArgument "batch_too_large".
  Result<UploadOutcome> upload(const Principal& worker, int64_t id, std::vector<FixInput> fixes,
                               std::vector<FixRejection> rejected);

  // The worker's coverage on a local day (+08:00). Assigned unit grids are the unit grids among
  // the account's grids. kNotFound "unknown_worker".
  Result<DayCoverage> coverage(const std::string& worker, std::chrono::year_month_day date);

  // Stores one photo taken on patrol (checked, EXIF read, thumbnail made) as `uploader`'s.
  Result<PhotoRecord> store_photo(std::string_view bytes, const std::string& uploader);
  // A photo stored before, by the name store_photo answered; nullopt also when `viewer` may
  // not see it, so that a report cannot borrow someone else's photo.
  Result<std::optional<PhotoRecord>> find_photo(const Principal& viewer, const std::string& name);

  // Whether `viewer` may see the tracks and coverage of `worker`: the worker, the grid leaders
  // of the worker's team (is_leader_of), supervisors and admins.
  Result<bool> may_see_patrols(const Principal& viewer, const std::string& worker);

  const patrol::TrackLimits& limits() const { return limits_; }

 private:
  store::Store& store_;
  ReferenceSource reference_;
  const Clock& clock_;
  PhotoService& photos_;
  patrol::TrackLimits limits_;
  // Uploads check fixes against the stored track, so two batches must not check at once.
  std::mutex upload_mutex_;
};

// The local day [00:00, 24:00) at +08:00 as instants.
std::pair<Timestamp, Timestamp> local_day(std::chrono::year_month_day date);

}  // namespace cityops::services
