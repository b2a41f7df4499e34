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
#include "services/intake.h"
#include "services/reference_data.h"

namespace cityops::app {

// A report resolved as IntakeService::report resolves it (point in WGS84, unit grid,
// community, street, governance grid, routing, the registration step), without number or
// duplicate search. kFailedPrecondition "outside_district" for a point outside the unit grids.
Result<Case> resolve_report(const services::NewCase& input,
                            const services::ReferenceData& reference, double warn_share);

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
