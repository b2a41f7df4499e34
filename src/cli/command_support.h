// What the operator's commands share: how an error is told, and the departments as imported.
#pragma once

#include <iosfwd>
#include <memory>
#include <vector>

#include "common/status.h"
#include "domain/department.h"
#include "store/store.h"

namespace cityops::cli {

// Writes `status` to `err` as one line, "cityops: message [field] (code)", and returns the exit
// status of a failed command, 1.
int fail(const Status& status, std::ostream& err);

// The department list as imported, or null before any import. Cheaper than loading the whole
// reference snapshot, which also indexes every region.
Result<std::shared_ptr<const std::vector<Department>>> stored_departments(store::Store& store);

}  // namespace cityops::cli
