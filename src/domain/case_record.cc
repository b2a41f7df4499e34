#include "domain/case_record.h"

namespace cityops {

using nlohmann::json;

namespace {

json limit_to_json(const TimeLimit& limit) {
  return {{"amount", limit.amount}, {"unit", to_string(limit.unit)}};
}

int64_t epoch(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp instant(int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

json step_to_json(const StepRecord& s) {
  json out = {{"step", to_string(s.step)},
              {"started_at", epoch(s.started_at)},
              {"limit", limit_to_json(s.limit)},
              {"due_at", epoch(s.due_at)},
              {"warn_at", epoch(s.warn_at)},
              {"warned", s.warned},
              {"overdue", s.overdue}};
  if (s.finished_at) out["finished_at"] = epoch(*s.finished_at);
  if (s.on_time) out["on_time"] = *s.on_time;
  return out;
}

StepRecord step_from_json(const json& j) {
  StepRecord s;
  s.step = parse_step(j.at("step").get<std::string>()).value();
  s.started_at = instant(j.at("started_at").get<int64_t>());
  s.limit = {j.at("limit").at("amount").get<double>(),
             parse_time_unit(j.at("limit").at("unit").get<std::string>()).value()};
  s.due_at = instant(j.at("due_at").get<int64_t>());
  s.warn_at = instant(j.value("warn_at", int64_t{0}));
  if (j.contains("finished_at")) s.finished_at = instant(j["finished_at"].get<int64_t>());
  if (j.contains("on_time")) s.on_time = j["on_time"].get<bool>();
  s.warned = j.value("warned", false);
  s.overdue = j.value("overdue", false);
  return s;
}

}  // namespace

json case_to_record(const Case& c) {
  json record = {
      {"number", c.number},
      {"state", to_string(c.state)},
      {"version", c.version},
      {"category", c.category},
      {"urgency", to_string(c.urgency)},
      {"channel", to_string(c.channel)},
      {"description", c.description},
      {"address", c.address},
      {"lon", c.location.lon},
      {"lat", c.location.lat},
      {"reported_datum", geo::to_string(c.reported_datum)},
      {"reported_lon", c.reported_location.lon},
      {"reported_lat", c.reported_location.lat},
      {"unit_grid", c.unit_grid},
      {"community", c.community},
      {"street", c.street},
      {"governance_grid", c.governance_grid},
      {"department", c.department},
      {"co_departments", c.co_departments},
      {"routing_reason", c.routing_reason},
      {"reporter",
       {{"name", c.reporter.name},
        {"phone", c.reporter.phone},
        {"anonymous", c.reporter.anonymous}}},
      {"photos", c.photos},
      {"reported_at", c.reported_at.time_since_epoch().count()},
      {"updated_at", c.updated_at.time_since_epoch().count()},
      {"step", to_string(c.step)},
      {"step_started_at", c.step_started_at.time_since_epoch().count()},
      {"step_limit", limit_to_json(c.step_limit)},
      {"due_at", c.due_at.time_since_epoch().count()},
      {"rework_count", c.rework_count},
      {"return_count", c.return_count},
  };
  if (c.idempotency_key) record["idempotency_key"] = *c.idempotency_key;
  if (!c.component.empty()) record["component"] = c.component;
  // Written only when present, so records of categories without questions stay as they were.
  if (!c.attributes.empty()) record["attributes"] = c.attributes;

  json steps = json::array();
  for (const auto& step : c.steps) steps.push_back(step_to_json(step));
  record["steps"] = std::move(steps);
  record["suspended"] = c.suspended;
  record["suspended_at"] = epoch(c.suspended_at);
  record["extension_request"] = nullptr;
  if (c.extension_request) {
    record["extension_request"] = {{"until", epoch(c.extension_request->until)},
                                   {"reason", c.extension_request->reason},
                                   {"requested_by", c.extension_request->requested_by}};
  }
  record["extension_count"] = c.extension_count;
  record["suspension_count"] = c.suspension_count;
  record["urge_count"] = c.urge_count;
  record["supervise_count"] = c.supervise_count;
  record["reopen_count"] = c.reopen_count;
  record["supervised"] = c.supervised;
  record["escalated"] = c.escalated;
  record["merged_into"] = c.merged_into;
  record["merged_cases"] = c.merged_cases;
  record["satisfaction"] = c.satisfaction;
  record["handling_photos"] = c.handling_photos;
  return record;
}

Result<Case> case_from_record(const json& record) {
  try {
    Case c;
    c.number = record.at("number").get<std::string>();
    c.state = parse_case_state(record.at("state").get<std::string>()).value();
    c.version = record.at("version").get<int64_t>();
    c.category = record.at("category").get<std::string>();
    c.urgency = parse_urgency(record.at("urgency").get<std::string>()).value();
    c.channel = parse_channel(record.at("channel").get<std::string>()).value();
    c.description = record.at("description").get<std::string>();
    c.address = record.at("address").get<std::string>();
    c.component = record.value("component", "");
    c.location = {record.at("lon").get<double>(), record.at("lat").get<double>()};
    c.reported_datum = geo::parse_datum(record.at("reported_datum").get<std::string>()).value();
    c.reported_location = {record.at("reported_lon").get<double>(),
                           record.at("reported_lat").get<double>()};
    c.unit_grid = record.at("unit_grid").get<std::string>();
    c.community = record.at("community").get<std::string>();
    c.street = record.at("street").get<std::string>();
    c.governance_grid = record.at("governance_grid").get<std::string>();
    c.department = record.at("department").get<std::string>();
    c.co_departments = record.at("co_departments").get<std::vector<std::string>>();
    c.routing_reason = record.value("routing_reason", "");
    const auto& reporter = record.at("reporter");
    c.reporter = {reporter.at("name").get<std::string>(), reporter.at("phone").get<std::string>(),
                  reporter.at("anonymous").get<bool>()};
    c.photos = record.at("photos").get<std::vector<std::string>>();
    if (record.contains("idempotency_key")) {
      c.idempotency_key = record["idempotency_key"].get<std::string>();
    }
    if (record.contains("attributes")) {
      c.attributes = record["attributes"].get<std::map<std::string, std::vector<std::string>>>();
    }
    c.reported_at = Timestamp{std::chrono::seconds{record.at("reported_at").get<int64_t>()}};
    c.updated_at = Timestamp{std::chrono::seconds{record.at("updated_at").get<int64_t>()}};
    c.step = parse_step(record.at("step").get<std::string>()).value();
    c.step_started_at =
        Timestamp{std::chrono::seconds{record.at("step_started_at").get<int64_t>()}};
    const auto& limit = record.at("step_limit");
    c.step_limit = {limit.at("amount").get<double>(),
                    parse_time_unit(limit.at("unit").get<std::string>()).value()};
    c.due_at = Timestamp{std::chrono::seconds{record.at("due_at").get<int64_t>()}};
    c.rework_count = record.at("rework_count").get<int>();
    c.return_count = record.at("return_count").get<int>();

    // Fields added after the first release read with defaults, so old rows still load.
    if (record.contains("steps")) {
      for (const auto& step : record["steps"]) c.steps.push_back(step_from_json(step));
    }
    c.suspended = record.value("suspended", false);
    c.suspended_at = instant(record.value("suspended_at", int64_t{0}));
    if (record.contains("extension_request") && !record["extension_request"].is_null()) {
      const auto& r = record["extension_request"];
      c.extension_request =
          ExtensionRequest{instant(r.at("until").get<int64_t>()), r.at("reason").get<std::string>(),
                           r.at("requested_by").get<std::string>()};
    }
    c.extension_count = record.value("extension_count", 0);
    c.suspension_count = record.value("suspension_count", 0);
    c.urge_count = record.value("urge_count", 0);
    c.supervise_count = record.value("supervise_count", 0);
    c.reopen_count = record.value("reopen_count", 0);
    c.supervised = record.value("supervised", false);
    c.escalated = record.value("escalated", false);
    c.merged_into = record.value("merged_into", "");
    c.merged_cases = record.value("merged_cases", std::vector<std::string>{});
    c.satisfaction = record.value("satisfaction", "");
    c.handling_photos = record.value("handling_photos", std::vector<std::string>{});
    return c;
  } catch (const std::exception& e) {
    // A stored record that does not read back is corruption, not a user error.
    return internal_error(std::string("case record unreadable: ") + e.what());
  }
}

}  // namespace cityops
