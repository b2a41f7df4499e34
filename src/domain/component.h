// Components (部件): the district's assets that cases are often about — public toilets, street
// lamps, manhole covers — each with the 17-digit id of GB/T 47678 (6-digit district code,
// 2-digit class, 3-digit subclass, 6-digit sequence), a state, and the departments that own
// and maintain it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "geo/datum.h"

namespace cityops {

enum class ComponentStatus { kIntact, kDamaged, kLost, kRemoved };

// "intact", "damaged", "lost", "removed".
std::optional<ComponentStatus> parse_component_status(std::string_view text);
std::string_view to_string(ComponentStatus status);

struct Component {
  std::string id;        // 17 ASCII digits
  std::string category;  // the component category's 5-digit code: digits 7 to 11 of the id
  std::string name;
  geo::LonLat location{};  // WGS84
  geo::Datum reported_datum = geo::Datum::kWgs84;
  geo::LonLat reported_location{};
  std::string unit_grid;
  std::string governance_grid;
  std::string address;
  ComponentStatus status = ComponentStatus::kIntact;
  std::string owner_department;
  std::string maintainer_department;
  Timestamp updated_at{};
};

inline constexpr size_t kComponentIdLength = 17;

// Checks the form of a component id: 17 ASCII digits ("invalid_component_id"), the district
// part equal to `district_code` ("wrong_district"), a class from 01 to 05, the classes of
// components in GB/T 47678.5 ("not_a_component_class"). Errors name the field "id".
Status check_component_id(std::string_view id, std::string_view district_code);

// The category code an id carries (its digits 7 to 11). REQUIRES: a checked id.
inline std::string component_category_of(std::string_view id) {
  return std::string(id.substr(6, 5));
}

// The id of the `sequence`-th component of `category` in the district: "130304" "03001"
// "000007". REQUIRES: a 6-digit district, a 5-digit category, 1 <= sequence <= 999999.
std::string make_component_id(std::string_view district_code, std::string_view category,
                              int sequence);

}  // namespace cityops
