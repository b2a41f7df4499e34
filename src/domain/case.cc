#include "domain/case.h"

#include <array>
#include <utility>

#include "domain/case_record.h"

namespace cityops {

namespace {

constexpr std::array<std::pair<CaseState, std::string_view>, 9> kStateNames{{
    {CaseState::kReported, "reported"},
    {CaseState::kRegistered, "registered"},
    {CaseState::kRejected, "rejected"},
    {CaseState::kMerged, "merged"},
    {CaseState::kDispatched, "dispatched"},
    {CaseState::kInProgress, "in_progress"},
    {CaseState::kHandled, "handled"},
    {CaseState::kClosed, "closed"},
    {CaseState::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<Channel, std::string_view>, 10> kChannelNames{{
    {Channel::kHotline, "hotline"},
    {Channel::kWeb, "web"},
    {Channel::kMobileApp, "mobile_app"},
    {Channel::kGridPatrol, "grid_patrol"},
    {Channel::kInspection, "inspection"},
    {Channel::kVideoAnalytics, "video_analytics"},
    {Channel::kSensor, "sensor"},
    {Channel::kOpen311, "open311"},
    {Channel::kTransfer, "transfer"},
    {Channel::kLeaderInstruction, "leader_instruction"},
}};

}  // namespace

std::optional<CaseState> parse_case_state(std::string_view text) {
  for (const auto& [state, name] : kStateNames) {
    if (name == text) return state;
  }
  return std::nullopt;
}

std::string_view to_string(CaseState state) {
  for (const auto& [candidate, name] : kStateNames) {
    if (candidate == state) return name;
  }
  return "reported";
}

bool is_open(CaseState state) {
  switch (state) {
    case CaseState::kRejected:
    case CaseState::kMerged:
    case CaseState::kClosed:
    case CaseState::kCancelled:
      return false;
    default:
      return true;
  }
}

std::optional<Channel> parse_channel(std::string_view text) {
  for (const auto& [channel, name] : kChannelNames) {
    if (name == text) return channel;
  }
  return std::nullopt;
}

std::string_view to_string(Channel channel) {
  for (const auto& [candidate, name] : kChannelNames) {
    if (candidate == channel) return name;
  }
  return "hotline";
}

std::vector<std::string_view> all_channel_names() {
  std::vector<std::string_view> names;
  for (const auto& entry : kChannelNames) names.push_back(entry.second);
  return names;
}

CaseEvent make_report_event(const Case& c, const std::string& actor) {
  CaseEvent event;
  event.case_number = c.number;
  event.version = 1;
  event.action = "report";
  event.actor = actor;
  event.at = c.reported_at;
  event.to_state = CaseState::kReported;
  event.data = case_to_record(c);
  return event;
}

Status apply_event(Case& c, const CaseEvent& event) {
  if (event.version != c.version + 1) {
    return {ErrorKind::kConflict, "version_gap",
            "event version " + std::to_string(event.version) + " does not follow case version " +
                std::to_string(c.version)};
  }
  if (event.action == "report") {
    auto opened = case_from_record(event.data);
    if (!opened) return opened.status();
    c = std::move(opened).value();
  } else {
    // Later actions carry only what they change; the record form merges over the case.
    auto merged = case_to_record(c);
    merged.update(event.data);
    auto updated = case_from_record(merged);
    if (!updated) return updated.status();
    c = std::move(updated).value();
  }
  c.state = event.to_state;
  c.version = event.version;
  c.updated_at = event.at;
  return Status::ok();
}

Result<Case> project(const std::vector<CaseEvent>& events) {
  Case c;
  for (const auto& event : events) {
    CITYOPS_RETURN_IF_ERROR(apply_event(c, event));
  }
  if (events.empty()) return not_found("case_not_found", "no events");
  return c;
}

}  // namespace cityops
