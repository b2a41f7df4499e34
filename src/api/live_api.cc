// The live feed of case events for the web pages, as Server-Sent Events.
#include <algorithm>
#include <charconv>

#include "api/case_json.h"
#include "api/problem.h"
#include "api/web_api.h"
#include "services/live_feed.h"

namespace cityops::api {

namespace {

using nlohmann::json;

// A resume point: a whole number from 0; "invalid_after" naming where it came from.
Result<std::optional<int64_t>> resume_point(const http::Request& req) {
  std::optional<std::string> text;
  std::string field = "after";
  if (const auto header = req.header("last-event-id")) {
    text = std::string(*header);
    field = "Last-Event-ID";
  } else {
    text = query_value(req, "after");
  }
  if (!text) return std::optional<int64_t>{};
  int64_t value = -1;
  const char* end = text->data() + text->size();
  const auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc{} || ptr != end || value < 0) {
    return invalid("invalid_after", field + " is an event id, a whole number from 0", field);
  }
  return std::optional<int64_t>{value};
}

// How many recent events a new stream may start with, so a page opened now shows what just
// happened.
constexpr int kMaxBacklog = 100;

}  // namespace

json live_case_json(const CaseEvent& event, const Case& current,
                    const services::ReferenceData& reference, Timestamp now) {
  const Category* category = reference.taxonomy().find(current.category);
  const std::string light = step_light(reference.calendar(), current, now);
  const bool lit = light == "green" || light == "yellow" || light == "red";
  return {{"id", event.id},
          {"number", current.number},
          {"type", event.action},
          {"state", to_string(current.state)},
          // What this event left the case in; a resumed or backlog event is older than `state`.
          {"event_state", to_string(event.to_state)},
          {"light", lit ? json(light) : json(nullptr)},
          {"lon", current.location.lon},
          {"lat", current.location.lat},
          {"category", current.category},
          {"category_name", category ? json(category->name) : json(nullptr)},
          {"class", category ? json(category->class_code) : json(nullptr)},
          {"department", current.department},
          {"governance_grid", current.governance_grid},
          {"at", format_rfc3339(event.at)}};
}

void add_live_routes(Router& router, ApiContext& ctx, services::LiveFeed& feed) {
  router.add("GET", "/api/v1/live", [&ctx, &feed](http::Request& req, const PathParams&) {
    CITYOPS_RETURN_PROBLEM(check_query_names(req, {"access_token", "after", "backlog"}), req);
    // EventSource cannot send headers, so the token may come in the query instead.
    if (!req.header("authorization")) {
      if (auto token = query_value(req, "access_token")) {
        req.headers.emplace_back("authorization", "Bearer " + *token);
      }
    }
    auto principal = require_principal(ctx, req);
    if (!principal) return problem(principal.status(), req);
    auto after = resume_point(req);
    if (!after) return problem(after.status(), req);
    auto backlog = count_param(req, "backlog", 0, kMaxBacklog);
    if (!backlog) return problem(backlog.status(), req);
    // A resume point wins: a stream that knows where it was wants exactly what it missed.
    if (!*after && *backlog > 0) {
      auto last = ctx.store.last_event_id();
      if (!last) return problem(last.status(), req);
      *after = std::max<int64_t>(0, *last - int64_t{*backlog});
    }

    http::Response res{200, "text/event-stream", {}, {}, {}};
    res.headers = {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
    res.stream = [&feed, who = std::move(principal).value(),
                  after = *after](std::shared_ptr<http::StreamSink> sink) {
      feed.subscribe(std::move(sink), who, after);
    };
    return res;
  });
}

}  // namespace cityops::api
