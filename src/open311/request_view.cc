#include "open311/request_view.h"

#include <fmt/format.h>

#include "common/time.h"

namespace cityops::open311 {

namespace {

std::string department_name(const services::ReferenceData& reference, const std::string& code) {
  if (code.empty()) return "承办单位";
  const auto* d = reference.department(code);
  return d ? d->name : code;
}

Document optional_time(std::optional<Timestamp> t) {
  return t ? Document(format_rfc3339(*t)) : Document(nullptr);
}

Document text_or_null(const std::string& text) {
  return text.empty() ? Document(nullptr) : Document(text);
}

}  // namespace

std::string_view basic_status(CaseState state) { return is_open(state) ? "open" : "closed"; }

std::string_view detailed_status(CaseState state) {
  switch (state) {
    case CaseState::kReported:
      return "open";
    case CaseState::kRegistered:
      return "investigating";
    case CaseState::kDispatched:
      return "action_scheduled";
    case CaseState::kInProgress:
    case CaseState::kHandled:
      // Handled work is checked on site before anyone calls it fixed.
      return "in_progress";
    case CaseState::kClosed:
      return "fixed";
    case CaseState::kRejected:
      return "not_councils_responsibility";
    case CaseState::kMerged:
      return "duplicate";
    case CaseState::kCancelled:
      return "no_further_action";
  }
  return "open";
}

std::string status_notes(const Case& c, const services::ReferenceData& reference) {
  const std::string dept = department_name(reference, c.department);
  std::string notes;
  switch (c.state) {
    case CaseState::kReported:
      notes = "已收到，等待受理";
      break;
    case CaseState::kRegistered:
      notes = "已立案，等待派遣";
      break;
    case CaseState::kDispatched:
      notes = fmt::format("已派遣至{}，等待签收", dept);
      break;
    case CaseState::kInProgress:
      notes = fmt::format("{}正在处置，{}前办结", dept, format_rfc3339(c.due_at));
      break;
    case CaseState::kHandled:
      notes = fmt::format("{}已处置，等待现场核查", dept);
      break;
    case CaseState::kClosed:
      notes = "已办结";
      break;
    case CaseState::kRejected:
      notes = "不属于受理范围，未予立案";
      break;
    case CaseState::kMerged:
      notes = "与诉求 " + c.merged_into + " 合并办理";
      break;
    case CaseState::kCancelled:
      notes = "已撤销";
      break;
  }
  if (c.suspended) notes += "（暂停办理中）";
  return notes;
}

std::string public_summary(const CaseEvent& e, const services::ReferenceData& reference) {
  const auto dept = [&] {
    const auto it = e.data.find("department");
    return department_name(reference,
                           it != e.data.end() && it->is_string() ? it->get<std::string>() : "");
  };
  const std::string& a = e.action;
  if (a == "report") return "已收到诉求";
  if (a == "register") return "已立案";
  if (a == "reject") return "不属于受理范围，未予立案";
  if (a == "merge") return "与其他诉求合并办理";
  if (a == "dispatch") return "已派遣至" + dept();
  if (a == "sign") return "承办单位已签收";
  if (a == "return") return "承办单位退回，重新派遣";
  if (a == "report_handling") return "承办单位已处置，等待现场核查";
  if (a == "verify") {
    const bool passed = e.to_state == CaseState::kClosed;
    return passed ? "现场核查通过，已办结" : "现场核查未通过，重新处置";
  }
  if (a == "approve_extension") return "办理期限已延长";
  if (a == "suspend") return "暂停办理";
  if (a == "resume") return "恢复办理";
  if (a == "urge") return "已催办承办单位";
  if (a == "supervise") return "已列入督办";
  if (a == "cancel") return "已撤销";
  if (a == "callback") return "已回访";
  if (a == "comment") return e.note;
  return {};
}

std::string service_notice(const Category& category, Urgency urgency) {
  const TimeLimit& limit = category.limit(urgency, Step::kHandle);
  const char* unit = limit.unit == TimeUnit::kWorkingDays    ? "个工作日"
                     : limit.unit == TimeUnit::kWorkingHours ? "个工作小时"
                                                             : "小时";
  return fmt::format("{:g} {}内处置", limit.amount, unit);
}

std::optional<Timestamp> expected_at(const Case& c, const services::ReferenceData& reference) {
  for (auto it = c.steps.rbegin(); it != c.steps.rend(); ++it) {
    if (it->step == Step::kHandle) return it->due_at;
  }
  if (!is_open(c.state) || c.steps.empty()) return std::nullopt;
  const auto* category = reference.taxonomy().find(c.category);
  if (!category) return std::nullopt;
  // The remaining steps up to and including handling, each taking its whole limit.
  Timestamp due = c.due_at;
  const auto& calendar = reference.calendar();
  if (c.step == Step::kRegister)
    due = calendar.add(due, category->limit(c.urgency, Step::kDispatch)).due;
  if (c.step == Step::kRegister || c.step == Step::kDispatch) {
    due = calendar.add(due, category->limit(c.urgency, Step::kHandle)).due;
  }
  return due;
}

std::string media_url(const std::string& photo, const std::string& base_url) {
  if (photo.starts_with("http://") || photo.starts_with("https://")) return photo;
  return base_url + "/open311/v2/media/" + photo;
}

Document encode_request(const Case& c, const services::ReferenceData& reference,
                        const ViewOptions& options, const std::vector<CaseEvent>& events) {
  const auto* category = reference.taxonomy().find(c.category);
  Document r;
  r["service_request_id"] = c.number;
  r["status"] = options.extensions ? detailed_status(c.state) : basic_status(c.state);
  r["status_notes"] = status_notes(c, reference);
  r["service_name"] = category ? category->name : c.category;
  r["service_code"] = category ? category->code : c.category;
  r["description"] = c.description;
  r["agency_responsible"] =
      c.department.empty() ? Document(nullptr) : Document(department_name(reference, c.department));
  r["service_notice"] = category ? Document(service_notice(*category, c.urgency)) : nullptr;
  r["requested_datetime"] = format_rfc3339(c.reported_at);
  r["updated_datetime"] = format_rfc3339(c.updated_at);
  r["expected_datetime"] = optional_time(expected_at(c, reference));
  r["address"] = text_or_null(c.address);
  r["address_id"] = nullptr;
  r["zipcode"] = nullptr;
  r["lat"] = c.location.lat;
  r["long"] = c.location.lon;
  r["media_url"] = c.photos.empty() ? Document(nullptr)
                                    : Document(media_url(c.photos.front(), options.base_url));
  if (!options.extensions) return r;

  Document extended;
  extended["detailed_status"] = detailed_status(c.state);
  extended["state"] = to_string(c.state);
  extended["channel"] = to_string(c.channel);
  extended["attributes"] = Document::object();
  for (const auto& [code, values] : c.attributes) {
    extended["attributes"][code] = values.size() == 1 ? Document(values.front()) : Document(values);
  }
  Document notes = Document::array();
  for (const auto& e : events) {
    const std::string summary = public_summary(e, reference);
    if (summary.empty()) continue;
    notes.push_back({{"datetime", format_rfc3339(e.at)},
                     {"summary", summary},
                     {"type", e.action},
                     {"status", detailed_status(e.to_state)}});
  }
  extended["notes"] = std::move(notes);
  r["extended_attributes"] = std::move(extended);
  return r;
}

}  // namespace cityops::open311
