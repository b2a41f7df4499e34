// The workflow service: runs an action on a case for a signed-in user and stores the result.
//
// It loads the case, checks the user's scope, lets the pure workflow decide, handles the
// second case a merge touches, and writes every change in one transaction guarded by the
// versions read. The duplicate index follows cases as they close and reopen.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "domain/role.h"
#include "domain/workflow.h"
#include "services/duplicate_index.h"
#include "services/reference_data.h"
#include "store/store.h"

namespace cityops::services {

struct ActionOutcome {
  Case after;
  CaseEvent event;
};

class WorkflowService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;

  WorkflowService(store::Store& store, ReferenceSource reference, const Clock& clock,
                  DuplicateIndex& duplicates, double warn_share = 0.8);

  Result<ActionOutcome> act(const std::string& number, const ActionRequest& request,
                            const Principal& actor);

  WorkflowContext context_for(const Case& c, const ReferenceData& reference, Timestamp now) const;

 private:
  Result<store::CaseChange> merge_into_target(const Case& merged, const std::string& target,
                                              const Principal& actor, Timestamp now);

  store::Store& store_;
  ReferenceSource reference_;
  const Clock& clock_;
  DuplicateIndex& duplicates_;
  double warn_share_;
};

}  // namespace cityops::services
