#include "domain/case_record.h"

namespace cityops {

using nlohmann::json;

namespace {

json limit_to_json(const TimeLimit& limit) {
  return {{"amount", limit.amount}, {"unit", to_string(limit.unit)}};
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
    return c;
  } catch (const std::exception& e) {
    // A stored record that does not read back is corruption, not a user error.
    return internal_error(std::string("case record unreadable: ") + e.what());
  }
}

}  // namespace cityops
