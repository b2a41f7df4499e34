// A case as GeoReport v2 shows it to anyone: the request's fields, its status and notes from
// the internal state, and with extensions its detailed status and public history. Nothing
// about the reporter ever appears.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "domain/case.h"
#include "open311/catalogue.h"
#include "open311/format.h"
#include "services/reference_data.h"

namespace cityops::open311 {

// "open" while work is owed, else "closed".
std::string_view basic_status(CaseState state);
// The statuses FixMyStreet's Open311 client understands (open, investigating,
// action_scheduled, in_progress, fixed, closed, duplicate, not_councils_responsibility,
// no_further_action), for a case state.
std::string_view detailed_status(CaseState state);
// A sentence for the public about where the case stands, naming the department.
std::string status_notes(const Case& c, const services::ReferenceData& reference);
// What a citizen sees of one event in the history; empty for internal events (timers).
std::string public_summary(const CaseEvent& e, const services::ReferenceData& reference);
// When handling is due: the handling step's due time once it has started, before that the
// due time the remaining steps would give if each used its full limit; none once finished
// without handling.
std::optional<Timestamp> expected_at(const Case& c, const services::ReferenceData& reference);

// The handling time limit in words: "2 个工作日内处置", "8 个工作小时内处置",
// "24 小时内处置".
std::string service_notice(const Category& category, Urgency urgency);

struct ViewOptions {
  bool extensions = false;
  // "http://host:port", to make stored photos' URLs absolute.
  std::string base_url;
};

// The request element. `events` is read only with extensions.
Document encode_request(const Case& c, const services::ReferenceData& reference,
                        const ViewOptions& options, const std::vector<CaseEvent>& events);

// The URL of a photo as stored with the case: URLs stay, stored media become absolute URLs.
std::string media_url(const std::string& photo, const std::string& base_url);

}  // namespace cityops::open311
