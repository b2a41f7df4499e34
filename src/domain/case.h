// The case (案卷): what a citizen, a grid worker or a sensor reported, and where it stands.
//
// A case row is a projection of its events: `apply_event` is the only way a case changes, and
// replaying a case's events from an empty case gives the stored row back.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/taxonomy.h"
#include "domain/time_limit.h"
#include "geo/datum.h"

namespace cityops {

enum class CaseState {
  kReported,
  kRegistered,
  kRejected,
  kMerged,
  kDispatched,
  kInProgress,
  kHandled,
  kClosed,
  kCancelled,
};

enum class Channel {
  kHotline,
  kWeb,
  kMobileApp,
  kGridPatrol,
  kInspection,
  kVideoAnalytics,
  kSensor,
  kOpen311,
  kTransfer,
  kLeaderInstruction,
};

std::optional<CaseState> parse_case_state(std::string_view text);
std::string_view to_string(CaseState state);
// True for states in which work is still owed.
bool is_open(CaseState state);

std::optional<Channel> parse_channel(std::string_view text);
std::string_view to_string(Channel channel);
// Every channel name, for error messages and the API description.
std::vector<std::string_view> all_channel_names();

struct Reporter {
  std::string name;
  std::string phone;
  bool anonymous = false;
};

// One timed step of a case: when it started, its limit and due time (moved by approved
// extensions and by suspensions, whose time does not count), and how it ended.
struct StepRecord {
  Step step = Step::kRegister;
  Timestamp started_at{};
  TimeLimit limit{};
  Timestamp due_at{};
  Timestamp warn_at{};  // when the step turns yellow (a share of its limit used)
  std::optional<Timestamp> finished_at;
  std::optional<bool> on_time;
  bool warned = false;   // the responsible unit was urged before the due time
  bool overdue = false;  // the due time passed while the step was open
};

struct ExtensionRequest {
  Timestamp until{};
  std::string reason;
  std::string requested_by;
};

// A case as the register holds it. Locations are stored in WGS84; the datum and the numbers
// the reporter gave are kept as well, for the audit trail.
struct Case {
  std::string number;
  CaseState state = CaseState::kReported;
  int64_t version = 0;

  std::string category;
  Urgency urgency = Urgency::kNormal;
  Channel channel = Channel::kHotline;
  std::string description;
  std::string address;
  // The component (部件) the case is about, by its 17-digit id; empty when none was named.
  std::string component;

  geo::LonLat location{};  // WGS84
  geo::Datum reported_datum = geo::Datum::kWgs84;
  geo::LonLat reported_location{};

  std::string unit_grid;
  std::string community;
  std::string street;
  std::string governance_grid;

  std::string department;  // lead department proposed by routing or chosen at dispatch
  std::vector<std::string> co_departments;
  std::string routing_reason;

  Reporter reporter;
  std::vector<std::string> photos;
  // Answers to the category's extra questions (a beach section, a plate number), by question
  // code; a multi-value answer has several entries.
  std::map<std::string, std::vector<std::string>> attributes;
  std::optional<std::string> idempotency_key;

  Timestamp reported_at{};
  Timestamp updated_at{};

  // The step now running, when it started, its limit and its due time.
  Step step = Step::kRegister;
  Timestamp step_started_at{};
  TimeLimit step_limit{};
  Timestamp due_at{};

  int rework_count = 0;
  int return_count = 0;

  // Every timed step so far, in order; the last is the current one while the case is open.
  std::vector<StepRecord> steps;

  bool suspended = false;
  Timestamp suspended_at{};
  std::optional<ExtensionRequest> extension_request;
  int extension_count = 0;
  int suspension_count = 0;
  int urge_count = 0;
  int supervise_count = 0;
  int reopen_count = 0;
  bool supervised = false;
  bool escalated = false;

  std::string merged_into;                // when merged: the case that goes on
  std::vector<std::string> merged_cases;  // cases merged into this one
  std::string satisfaction;               // from the callback
  std::vector<std::string> handling_photos;
};

// One immutable entry in a case's history.
struct CaseEvent {
  int64_t id = 0;  // global order, assigned by the store
  std::string case_number;
  int64_t version = 0;  // the case's version after this event
  std::string action;   // "report", "register", ...
  std::string actor;
  Timestamp at{};
  std::optional<CaseState> from_state;
  CaseState to_state = CaseState::kReported;
  std::string note;
  std::vector<std::string> attachments;
  // The step the action concerned: its due time and whether it finished in time.
  std::optional<Timestamp> step_due_at;
  std::optional<bool> on_time;
  nlohmann::json data = nlohmann::json::object();  // the changed fields of the case record
};

// Builds the "report" event that opens a case. `c` must be fully resolved.
CaseEvent make_report_event(const Case& c, const std::string& actor);

// Applies one event to a case. Refuses an event that does not follow the case's version.
Status apply_event(Case& c, const CaseEvent& event);

// Replays a history into a case.
Result<Case> project(const std::vector<CaseEvent>& events);

}  // namespace cityops
