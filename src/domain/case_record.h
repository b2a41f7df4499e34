// The full, internal JSON form of a case: what the store keeps and what events carry. It holds
// personal data unmasked; the API layer decides what each reader may see.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "domain/case.h"

namespace cityops {

nlohmann::json case_to_record(const Case& c);
Result<Case> case_from_record(const nlohmann::json& record);

}  // namespace cityops
