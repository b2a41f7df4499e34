// The wire form of cases: decoding a new report strictly (unknown fields are refused, every
// error names its field) and encoding a case for readers, with personal data masked.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "domain/case.h"
#include "services/intake.h"
#include "services/reference_data.h"

namespace cityops::api {

Result<services::NewCase> decode_new_case(const nlohmann::json& body);

// Traffic light of a step at `now`: green below 80 % of its limit, yellow to 100 %, red past.
std::string step_light(const WorkCalendar& calendar, const Case& c, Timestamp now);
// The light of one step record: "none" once finished, else by its warning and due times.
std::string record_light(const StepRecord& step, Timestamp now);

// "138****5678" for 11 characters or more; shorter numbers keep only their last two digits.
std::string mask_phone(const std::string& phone);
// "张*", "欧阳**": the first character, the rest starred.
std::string mask_name(const std::string& name);

// The case for a reader; reporter name and phone are masked unless `personal_data`.
nlohmann::json encode_case(const Case& c, const services::ReferenceData& reference, Timestamp now,
                           bool personal_data = false);
nlohmann::json encode_event(const CaseEvent& e);

}  // namespace cityops::api
