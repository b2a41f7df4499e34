#include "api/case_json.h"

#include <cmath>
#include <set>

#include "common/utf8.h"

namespace cityops::api {

using nlohmann::json;

namespace {

constexpr size_t kMaxDescription = 4000;
constexpr size_t kMaxText = 500;
constexpr size_t kMaxPhotos = 20;

Status unknown_fields(const json& object, const std::set<std::string>& known,
                      const std::string& prefix) {
  for (const auto& [key, value] : object.items()) {
    if (!known.count(key)) {
      return invalid("unknown_field", "field '" + prefix + key + "' is not part of a report",
                     prefix + key);
    }
  }
  return Status::ok();
}

Result<std::string> required_string(const json& object, const std::string& key,
                                    const std::string& field, size_t max_bytes) {
  if (!object.contains(key) || object[key].is_null()) {
    return invalid("missing_field", field + " is required", field);
  }
  if (!object[key].is_string()) return invalid("invalid_type", field + " must be a string", field);
  auto value = object[key].get<std::string>();
  if (!is_valid_utf8(value)) return invalid("invalid_encoding", field + " is not UTF-8", field);
  if (has_control_characters(value)) {
    return invalid("invalid_characters", field + " holds control characters", field);
  }
  if (value.size() > max_bytes) {
    return invalid("too_long", field + " exceeds " + std::to_string(max_bytes) + " bytes", field);
  }
  return value;
}

Result<std::string> optional_string(const json& object, const std::string& key,
                                    const std::string& field, size_t max_bytes) {
  if (!object.contains(key) || object[key].is_null()) return std::string();
  return required_string(object, key, field, max_bytes);
}

Result<double> coordinate(const json& location, const char* key, double limit) {
  const std::string field = std::string("location.") + key;
  if (!location.contains(key)) return invalid("missing_field", field + " is required", field);
  if (!location[key].is_number())
    return invalid("invalid_type", field + " must be a number", field);
  const double value = location[key].get<double>();
  if (!std::isfinite(value) || value < -limit || value > limit) {
    return invalid("out_of_range", field + " is out of range", field);
  }
  return value;
}

Status decode_location(const json& body, services::NewCase& out) {
  if (!body.contains("location"))
    return invalid("missing_field", "location is required", "location");
  const auto& location = body["location"];
  if (!location.is_object())
    return invalid("invalid_type", "location must be an object", "location");
  CITYOPS_RETURN_IF_ERROR(unknown_fields(location, {"lon", "lat", "datum"}, "location."));
  auto lon = coordinate(location, "lon", 180);
  if (!lon) return lon.status();
  auto lat = coordinate(location, "lat", 90);
  if (!lat) return lat.status();
  out.location = {*lon, *lat};
  auto datum = optional_string(location, "datum", "location.datum", 16);
  if (!datum) return datum.status();
  if (!datum->empty()) {
    const auto parsed = geo::parse_datum(*datum);
    if (!parsed) {
      return invalid("unknown_datum", "datum must be wgs84, gcj02, bd09 or cgcs2000",
                     "location.datum");
    }
    out.datum = *parsed;
  }
  return Status::ok();
}

Status decode_reporter(const json& body, services::NewCase& out) {
  if (!body.contains("reporter") || body["reporter"].is_null()) return Status::ok();
  const auto& reporter = body["reporter"];
  if (!reporter.is_object())
    return invalid("invalid_type", "reporter must be an object", "reporter");
  CITYOPS_RETURN_IF_ERROR(unknown_fields(reporter, {"name", "phone", "anonymous"}, "reporter."));
  auto name = optional_string(reporter, "name", "reporter.name", 100);
  if (!name) return name.status();
  auto phone = optional_string(reporter, "phone", "reporter.phone", 32);
  if (!phone) return phone.status();
  for (char c : *phone) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != ' ') {
      return invalid("invalid_phone", "reporter.phone may hold digits, '+', '-' and spaces",
                     "reporter.phone");
    }
  }
  bool anonymous = false;
  if (reporter.contains("anonymous")) {
    if (!reporter["anonymous"].is_boolean()) {
      return invalid("invalid_type", "reporter.anonymous must be true or false",
                     "reporter.anonymous");
    }
    anonymous = reporter["anonymous"].get<bool>();
  }
  out.reporter = {anonymous ? "" : *name, anonymous ? "" : *phone, anonymous};
  return Status::ok();
}

Status decode_photos(const json& body, services::NewCase& out) {
  if (!body.contains("photos") || body["photos"].is_null()) return Status::ok();
  const auto& photos = body["photos"];
  if (!photos.is_array()) return invalid("invalid_type", "photos must be an array", "photos");
  if (photos.size() > kMaxPhotos) return invalid("too_many", "at most 20 photos", "photos");
  for (size_t i = 0; i < photos.size(); ++i) {
    const std::string field = "photos[" + std::to_string(i) + "]";
    if (!photos[i].is_string() || photos[i].get<std::string>().empty() ||
        photos[i].get<std::string>().size() > 1000) {
      return invalid("invalid_photo", field + " must be a non-empty reference or URL", field);
    }
    out.photos.push_back(photos[i].get<std::string>());
  }
  return Status::ok();
}

}  // namespace

Result<services::NewCase> decode_new_case(const json& body) {
  if (!body.is_object()) return invalid("invalid_body", "the body must be a JSON object", "");
  CITYOPS_RETURN_IF_ERROR(unknown_fields(body,
                                         {"category", "description", "location", "address",
                                          "channel", "urgency", "reporter", "photos", "component"},
                                         ""));
  services::NewCase out;
  auto category = required_string(body, "category", "category", 32);
  if (!category) return category.status();
  out.category = *category;

  auto description = required_string(body, "description", "description", kMaxDescription);
  if (!description) return description.status();
  if (description->find_first_not_of(" \t\r\n") == std::string::npos) {
    return invalid("missing_field", "description must not be blank", "description");
  }
  out.description = *description;

  auto component = optional_string(body, "component", "component", 32);
  if (!component) return component.status();
  out.component = *component;
  // A case about a component may leave its location to the component's.
  if (!out.component.empty() && !body.contains("location")) {
    out.location_given = false;
  } else {
    CITYOPS_RETURN_IF_ERROR(decode_location(body, out));
  }
  auto address = optional_string(body, "address", "address", kMaxText);
  if (!address) return address.status();
  out.address = *address;

  auto channel = required_string(body, "channel", "channel", 32);
  if (!channel) return channel.status();
  const auto parsed_channel = parse_channel(*channel);
  if (!parsed_channel) return invalid("unknown_channel", "no channel named " + *channel, "channel");
  out.channel = *parsed_channel;

  auto urgency = optional_string(body, "urgency", "urgency", 16);
  if (!urgency) return urgency.status();
  if (!urgency->empty()) {
    const auto parsed = parse_urgency(*urgency);
    if (!parsed) return invalid("unknown_urgency", "urgency is normal or urgent", "urgency");
    out.urgency = *parsed;
  }
  CITYOPS_RETURN_IF_ERROR(decode_reporter(body, out));
  CITYOPS_RETURN_IF_ERROR(decode_photos(body, out));
  return out;
}

std::string step_light(const WorkCalendar& calendar, const Case& c, Timestamp now) {
  if (c.suspended) return "suspended";
  if (!c.steps.empty()) return record_light(c.steps.back(), now);
  if (!is_open(c.state)) return "none";
  const auto allowed = calendar.counted_between(c.step_started_at, c.due_at, c.step_limit.unit);
  const auto used = calendar.counted_between(c.step_started_at, now, c.step_limit.unit);
  if (now > c.due_at) return "red";
  if (allowed.count() <= 0) return "green";
  const double share = static_cast<double>(used.count()) / static_cast<double>(allowed.count());
  return share < 0.8 ? "green" : "yellow";
}

std::string mask_phone(const std::string& phone) {
  if (phone.empty()) return {};
  // The "138****5678" form hides four of eleven digits; on a shorter number it would show
  // most or all of it (a 7-digit landline entirely), so those keep only their last two.
  if (phone.size() < 11)
    return std::string(phone.size() - std::min<size_t>(2, phone.size()), '*') +
           phone.substr(phone.size() - std::min<size_t>(2, phone.size()));
  return phone.substr(0, 3) + "****" + phone.substr(phone.size() - 4);
}

std::string mask_name(const std::string& name) {
  // Split into UTF-8 characters: a lead byte starts each one, continuation bytes are 10xxxxxx.
  std::vector<std::string> chars;
  for (char byte : name) {
    if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80 || chars.empty()) chars.emplace_back();
    chars.back().push_back(byte);
  }
  if (chars.empty()) return {};
  std::string out = chars.front();
  for (size_t i = 1; i < chars.size(); ++i) out += "*";
  return chars.size() == 1 ? out + "*" : out;
}

std::string record_light(const StepRecord& step, Timestamp now) {
  if (step.finished_at) return "none";
  if (now > step.due_at) return "red";
  return now >= step.warn_at ? "yellow" : "green";
}

namespace {

json encode_steps(const Case& c, Timestamp now) {
  json steps = json::array();
  for (const auto& s : c.steps) {
    json step = {{"step", to_string(s.step)},
                 {"started_at", format_rfc3339(s.started_at)},
                 {"limit", format_time_limit(s.limit)},
                 {"due_at", format_rfc3339(s.due_at)},
                 {"finished_at", nullptr},
                 {"on_time", nullptr},
                 {"light", c.suspended && !s.finished_at ? "suspended" : record_light(s, now)}};
    if (s.finished_at) step["finished_at"] = format_rfc3339(*s.finished_at);
    if (s.on_time) step["on_time"] = *s.on_time;
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

json encode_case(const Case& c, const services::ReferenceData& reference, Timestamp now,
                 bool personal_data) {
  const Category* category = reference.taxonomy().find(c.category);
  const auto* street = reference.region(c.street);
  const auto* community = reference.region(c.community);
  const auto* department = reference.department(c.department);
  json out = {
      {"number", c.number},
      {"state", to_string(c.state)},
      {"version", c.version},
      {"category", c.category},
      {"category_name", category ? category->name : ""},
      {"urgency", to_string(c.urgency)},
      {"channel", to_string(c.channel)},
      {"description", c.description},
      {"address", c.address},
      {"component", c.component.empty() ? json(nullptr) : json(c.component)},
      {"location", {{"lon", c.location.lon}, {"lat", c.location.lat}, {"datum", "wgs84"}}},
      {"reported_location",
       {{"lon", c.reported_location.lon},
        {"lat", c.reported_location.lat},
        {"datum", geo::to_string(c.reported_datum)}}},
      {"unit_grid", c.unit_grid},
      {"community", c.community},
      {"community_name", community ? community->name : ""},
      {"street", c.street},
      {"street_name", street ? street->name : ""},
      {"governance_grid", c.governance_grid},
      {"department", c.department},
      {"department_name", department ? department->name : ""},
      {"co_departments", c.co_departments},
      {"routing_reason", c.routing_reason},
      {"reporter",
       {{"name", personal_data ? c.reporter.name : mask_name(c.reporter.name)},
        {"phone", personal_data ? c.reporter.phone : mask_phone(c.reporter.phone)},
        {"anonymous", c.reporter.anonymous}}},
      {"photos", c.photos},
      {"reported_at", format_rfc3339(c.reported_at)},
      {"updated_at", format_rfc3339(c.updated_at)},
      {"step", to_string(c.step)},
      {"step_started_at", format_rfc3339(c.step_started_at)},
      {"step_limit", format_time_limit(c.step_limit)},
      {"due_at", format_rfc3339(c.due_at)},
      {"light", step_light(reference.calendar(), c, now)},
      {"rework_count", c.rework_count},
      {"return_count", c.return_count},
      {"extension_count", c.extension_count},
      {"suspension_count", c.suspension_count},
      {"urge_count", c.urge_count},
      {"supervise_count", c.supervise_count},
      {"reopen_count", c.reopen_count},
      {"suspended", c.suspended},
      {"supervised", c.supervised},
      {"escalated", c.escalated},
      {"extension_request", nullptr},
      {"merged_into", c.merged_into},
      {"merged_cases", c.merged_cases},
      {"supporters", 1 + c.merged_cases.size()},
      {"satisfaction", c.satisfaction},
      {"handling_photos", c.handling_photos},
      {"steps", encode_steps(c, now)},
  };
  // Answers to the category's questions, and for patrol reports the patrol they came from.
  if (!c.attributes.empty()) out["attributes"] = c.attributes;
  if (c.extension_request) {
    out["extension_request"] = {{"until", format_rfc3339(c.extension_request->until)},
                                {"reason", c.extension_request->reason},
                                {"requested_by", c.extension_request->requested_by}};
  }
  return out;
}

json encode_event(const CaseEvent& e) {
  json out = {
      {"version", e.version},  {"action", e.action},
      {"actor", e.actor},      {"at", format_rfc3339(e.at)},
      {"from_state", nullptr}, {"to_state", to_string(e.to_state)},
      {"note", e.note},
  };
  if (e.from_state) out["from_state"] = to_string(*e.from_state);
  out["attachments"] = e.attachments;
  out["step_due_at"] = e.step_due_at ? json(format_rfc3339(*e.step_due_at)) : json(nullptr);
  out["on_time"] = e.on_time ? json(*e.on_time) : json(nullptr);
  return out;
}

}  // namespace cityops::api
