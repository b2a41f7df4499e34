// Intake (受理): turns a report from any channel into a numbered case.
//
// The point is converted to WGS84 and resolved to unit grid, community, street and governance
// grid; a point outside the district is refused. Routing proposes the lead and co-handling
// departments; the registration step's deadline is computed in working time; open cases of
// the same category nearby are offered as possible duplicates. The store numbers the case and
// writes it with its first event before the caller is answered.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/case.h"
#include "services/duplicate_index.h"
#include "services/reference_data.h"
#include "store/store.h"

namespace cityops::services {

struct NewCase {
  std::string category;  // a taxonomy reference: "06015" or "matter:01001"
  std::string description;
  geo::LonLat location{};
  geo::Datum datum = geo::Datum::kWgs84;
  std::string address;
  Channel channel = Channel::kHotline;
  Urgency urgency = Urgency::kNormal;
  Reporter reporter;
  std::vector<std::string> photos;
  std::map<std::string, std::vector<std::string>> attributes;  // checked by the caller
  std::optional<std::string> idempotency_key;
  // When the report was made, for records transferred from another platform; defaults to now.
  std::optional<Timestamp> reported_at;
  // A component's 17-digit id; its category must have the case category's code. Without a
  // location (`location_given` false) the component's own point is used.
  std::string component;
  bool location_given = true;
};

// A component near a report of its category, which the reporter may have meant.
struct ComponentSuggestion {
  std::string id;
  std::string name;
  double distance_m = 0;
};

struct IntakeOutcome {
  Case created;
  bool replayed = false;
  std::vector<DuplicateCandidate> duplicates;
  std::vector<std::string> warnings;
  // For a report of a component category that named no component: the nearest ones.
  std::vector<ComponentSuggestion> component_suggestions;
};

struct IntakeSettings {
  std::string district_code = "130304";
  double duplicate_radius_m = 250;
  int duplicate_window_days = 30;
  size_t duplicate_limit = 10;
  double suggestion_radius_m = 50;
  size_t suggestion_limit = 3;
  double warn_share = 0.8;
};

class IntakeService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;

  IntakeService(store::Store& store, ReferenceSource reference, const Clock& clock,
                IntakeSettings settings);

  Result<IntakeOutcome> report(const NewCase& input, const std::string& actor);
  // As report, without blocking: a refusal is answered at once, on the caller's thread; an
  // accepted report once its case is durable, on the store's thread (so `done` must be quick).
  using Done = std::function<void(Result<IntakeOutcome>)>;
  void report_async(const NewCase& input, const std::string& actor, Done done);

  // What report() would find for `input` without writing anything: the duplicates, warnings
  // and component suggestions, or the refusal report() would answer before its write.
  Result<IntakeOutcome> preview(const NewCase& input) const;

  // Loads the open cases of the store into the duplicate index; call once at start-up.
  Status warm_up();

  DuplicateIndex& duplicates() { return duplicates_; }
  const IntakeSettings& settings() const { return settings_; }

 private:
  // Everything but the write: the case to store, and the warnings and duplicates to answer.
  Result<Case> prepare(const NewCase& given, IntakeOutcome& outcome) const;
  // The report with its component checked (it exists, of the case's category) and, when no
  // location was given, placed at the component.
  Result<NewCase> with_component(const NewCase& input, const ReferenceData& reference) const;
  // The nearest components of the case's category, when it is a component category.
  std::vector<ComponentSuggestion> suggest_components(const Case& draft,
                                                      const ReferenceData& reference) const;
  void finish(IntakeOutcome& outcome, store::CreateOutcome created);
  // The answer once the store has answered: `sent` is what this request reported.
  Result<IntakeOutcome> complete(IntakeOutcome& outcome, const Case& sent,
                                 Result<store::CreateOutcome>& created);

  store::Store& store_;
  ReferenceSource reference_;
  const Clock& clock_;
  IntakeSettings settings_;
  DuplicateIndex duplicates_;
};

// A report resolved as intake resolves it, with no number and no duplicate search: the point in
// WGS84, unit grid, community, street, governance grid, routing, and the registration step
// started at `reported_at`. kFailedPrecondition "outside_district" for a point outside the
// unit grids. Pure, so the demo generator makes exactly the cases intake would.
Result<Case> resolve_report(const NewCase& input, const ReferenceData& reference,
                            Timestamp reported_at, double warn_share);

// The calendar warning text for years without a published calendar.
std::vector<std::string> calendar_warnings(const std::vector<int>& unpublished_years);

}  // namespace cityops::services
