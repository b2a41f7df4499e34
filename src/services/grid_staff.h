// Grid staff over the store: importing the staff CSV against the governance grids in force,
// and who leads whom. A grid leader leads the staff of their team.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/staff.h"
#include "services/reference_data.h"
#include "store/store.h"

namespace cityops::services {

struct StaffImport {
  int inserted = 0;
  int updated = 0;
  std::vector<StaffRowError> rejected;  // in line order
};

// Parses `csv` (parse_staff_csv; grids must be governance grids of `reference`) and upserts
// its good rows by staff_no in one transaction. Bad rows are reported, not written; the good
// rows are kept even when some are bad. A file whose header is unusable is an error and
// changes nothing.
Result<StaffImport> import_staff_csv(store::Store& store, const ReferenceData& reference,
                                     std::string_view csv, Timestamp at);

// True when the staff record linked to `leader_username` has role grid_leader and the same
// non-empty team as the staff record linked to `worker_username`. False when either account
// has no linked staff record, or the leader's is inactive; errors only from the store.
Result<bool> is_leader_of(store::Store& store, const std::string& leader_username,
                          const std::string& worker_username);

// The active grid leaders of `member`'s team, `member` left out, by staff_no.
Result<std::vector<StaffMember>> leaders_of(store::Store& store, const StaffMember& member);

}  // namespace cityops::services
