// /open311/v2/servicerequestupdates: partners follow every case's public history, and a
// department's back-office posts its progress, which moves the case as its handler would.
#include <algorithm>
#include <cctype>

#include "api/open311_common.h"
#include "common/utf8.h"
#include "open311/request_view.h"

namespace cityops::api::open311_detail {

namespace {

constexpr int kMaxUpdates = 1000;
constexpr int kMaxAttempts = 50;

std::string update_id(const CaseEvent& e) {
  return e.case_number + "-" + std::to_string(e.version);
}

Document encode_update(const CaseEvent& e, const std::string& summary, const std::string& base) {
  Document u;
  u["update_id"] = update_id(e);
  u["service_request_id"] = e.case_number;
  u["status"] = open311::detailed_status(e.to_state);
  u["updated_datetime"] = format_rfc3339(e.at);
  u["description"] = summary;
  u["media_url"] = e.attachments.empty()
                       ? Document(nullptr)
                       : Document(open311::media_url(e.attachments.front(), base));
  return u;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The workflow steps a back-office status asks for, given where the case stands. A partner
// without a department, or one that does not lead the case, can only add a comment.
std::vector<Action> actions_for(const std::string& status, const Case& c,
                                const store::ApiKeyRecord& key) {
  const bool leads = !key.department.empty() && key.department == c.department;
  const bool working =
      status == "in_progress" || status == "action_scheduled" || status == "investigating";
  const bool done = status == "fixed" || status == "closed";
  if (leads && c.state == CaseState::kDispatched && working) return {Action::kSign};
  if (leads && c.state == CaseState::kDispatched && done) {
    return {Action::kSign, Action::kReportHandling};
  }
  if (leads && c.state == CaseState::kInProgress && done) return {Action::kReportHandling};
  return {Action::kComment};
}

constexpr std::string_view kStatuses[] = {"open",
                                          "closed",
                                          "fixed",
                                          "in_progress",
                                          "action_scheduled",
                                          "investigating",
                                          "duplicate",
                                          "not_councils_responsibility",
                                          "no_further_action",
                                          "internal_referral"};

http::Response run_update(Open311Context& ctx, const Params& params, const store::ApiKeyRecord& key,
                          Format format) {
  const std::string number = params.get("service_request_id").value_or("");
  if (number.empty()) {
    return error(format,
                 invalid("missing_field", "service_request_id is required", "service_request_id"));
  }
  const std::string status = lower(params.get("status").value_or(""));
  if (std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
    return error(format, invalid("invalid_status",
                                 "status is open, closed, fixed, in_progress, action_scheduled, "
                                 "investigating or another status of the mySociety extension",
                                 "status"));
  }
  const std::string description = params.get("description").value_or("");
  if (!open311::is_xml_text(description) || description.size() > 4000) {
    return error(format, invalid("invalid_text",
                                 "description is UTF-8 text without control characters, at "
                                 "most 4000 bytes",
                                 "description"));
  }
  std::string media = params.get("media_url").value_or("");
  if (!media.empty() && !(media.starts_with("http://") || media.starts_with("https://"))) {
    return error(format,
                 invalid("invalid_media_url", "media_url must be an http(s) URL", "media_url"));
  }
  Principal partner;
  partner.username = "apikey:" + key.name;
  partner.display_name = key.name;
  partner.role = key.department.empty() ? Role::kIntakeClerk : Role::kDepartmentHandler;
  partner.department = key.department;
  Document done = Document::array();
  // Another writer may move the case between our read and our write: read it again and plan
  // anew from where it then stands, a few times, rather than hand the partner a version
  // conflict it cannot resolve.
  for (int attempt = 0;; ++attempt) {
    auto found = ctx.api.store.find_case(number);
    if (!found) return error(format, found.status());
    if (!*found) return error(format, not_found("unknown_request", "no service request " + number));
    Case current = std::move(**found);
    bool stale = false;
    for (Action action : actions_for(status, current, key)) {
      if (action == Action::kComment &&
          description.find_first_not_of(" \t\r\n") == std::string::npos) {
        return error(format, invalid("missing_field",
                                     "this update changes nothing, so it needs a description",
                                     "description"));
      }
      ActionRequest request;
      request.action = action;
      request.version = current.version;
      request.note = description.empty() ? "处置完毕" : description;
      if (action == Action::kReportHandling && !media.empty()) request.photos = {media};
      auto outcome = ctx.api.workflow.act(number, request, partner);
      if (!outcome) {
        // Each round some writer wins, so a burst of N partners settles within N rounds.
        stale = outcome.status().code() == "stale_version" && attempt < kMaxAttempts;
        if (stale) break;
        return error(format, outcome.status());
      }
      current = outcome->after;
      done.push_back({{"update_id", update_id(outcome->event)}});
    }
    if (!stale) break;
  }
  // The last step is the partner's update; a sign before a report is a consequence of it.
  return open311::render(format, 201, "service_request_updates", Document::array({done.back()}));
}

}  // namespace

http::Response get_updates(Open311Context& ctx, http::Request& req, Format format) {
  auto params = read_params(req, format);
  if (!params) return error(format, params.status());
  if (auto s = params->check_names({"jurisdiction_id", "api_key", "start_date", "end_date"}, false);
      !s.is_ok()) {
    return error(format, s);
  }
  if (auto s = check_jurisdiction(ctx, *params); !s.is_ok()) return error(format, s);
  // Partners poll for what changed since they last asked; without a start, the last day.
  auto window = read_window(*params, ctx.api.clock.now(), std::chrono::days{1});
  if (!window) return error(format, window.status());
  // Reports are the requests themselves and the timer's marks are internal: leaving them out
  // in the query keeps the limit for what partners see.
  auto events =
      ctx.api.store.events_between(window->from, window->to + std::chrono::seconds{1},
                                   {"report", "auto_urge", "overdue", "escalate"}, kMaxUpdates);
  if (!events) return error(format, events.status());
  const auto reference = ctx.api.reference();
  const std::string base = base_url(req);
  Document list = Document::array();
  for (const auto& e : *events) {
    const std::string summary = open311::public_summary(e, *reference);
    if (!summary.empty()) list.push_back(encode_update(e, summary, base));
  }
  return open311::render(format, 200, "service_request_updates", list);
}

http::Response post_update(Open311Context& ctx, http::Request& req, Format format) {
  auto params = read_params(req, format);
  if (!params) return error(format, params.status());
  if (auto s =
          params->check_names({"jurisdiction_id", "api_key", "service_request_id", "status",
                               "description", "updated_datetime", "media_url", "update_id", "email",
                               "first_name", "last_name", "title", "account_id", "service_code"},
                              false);
      !s.is_ok()) {
    return error(format, s);
  }
  if (auto s = check_jurisdiction(ctx, *params); !s.is_ok()) return error(format, s);
  auto admission = ctx.keys.authenticate_and_charge(params->get("api_key").value_or(""));
  if (!admission.key) return refused(format, admission);
  store::ApiKeyRecord key = std::move(admission.key).value();
  // The workflow waits for its commit: on the pool, not on the connection's thread.
  http::Response res;
  res.deferred = [&ctx, params = std::move(*params), key = std::move(key),
                  format](http::Reply reply) {
    ctx.api.blocking.post([&ctx, params, key, format, reply] {
      auto answer = std::make_shared<http::Response>(run_update(ctx, params, key, format));
      reply([answer] { return std::move(*answer); });
    });
  };
  return res;
}

}  // namespace cityops::api::open311_detail
