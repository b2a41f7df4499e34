// Plausible histories for cases of a large demo register, built without a store or a server:
// a report resolved as intake resolves it, then moved through the workflow by the district's
// staff as far as the case's age allows, with the deadline timer's urges, overdue marks and
// escalations wherever a step ran late. Every change goes through the same pure `decide` and
// `timer_changes` the running server uses, so the events are the ones it would have written.
#pragma once

#include <random>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/case.h"
#include "domain/role.h"
#include "domain/workflow.h"
#include "services/intake.h"
#include "services/reference_data.h"

namespace cityops::app {

// How far a demo case gets through the workflow; later fates include the earlier steps.
enum class Fate {
  kStaysReported,
  kRegistered,
  kDispatched,
  kInProgress,
  kHandled,
  kClosed,
  kCalledBack,
  kRejected,
  kCancelled,
  kSuspended,
};

// A workflow request for `action`, with one text field set when one is given.
ActionRequest demo_request(Action action, std::string ActionRequest::*field = nullptr,
                           std::string value = {});
// The demo account of a role as it acts on a case: handlers belong to the case's lead
// department, inspectors cover its grid.
Principal demo_staff(Role role, const Case& c);

struct CaseHistory {
  Case final;
  std::vector<CaseEvent> events;  // versions 1 to final.version, oldest first
};

struct HistorySettings {
  Timestamp now{};  // nothing happens at or after this instant
  double warn_share = 0.8;
};

// Opens `draft` (resolved and numbered) with its report event, then acts on it at plausible
// later times, drawn from `rng`. How far a case gets depends on its age at `now`: most cases
// older than a few weeks are closed, young ones are spread over the open states, and a few old
// ones are still open (suspended, or stuck in handling and overdue).
Result<CaseHistory> generate_history(const Case& draft, const services::ReferenceData& reference,
                                     const HistorySettings& settings, std::mt19937& rng);

}  // namespace cityops::app
