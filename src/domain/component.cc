#include "domain/component.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace cityops {

namespace {

constexpr std::array<std::string_view, 4> kStatusNames{"intact", "damaged", "lost", "removed"};

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<ComponentStatus> parse_component_status(std::string_view text) {
  for (size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == text) return static_cast<ComponentStatus>(i);
  }
  return std::nullopt;
}

std::string_view to_string(ComponentStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

Status check_component_id(std::string_view id, std::string_view district_code) {
  if (id.size() != kComponentIdLength || !all_digits(id)) {
    return invalid("invalid_component_id", "a component id is 17 digits", "id");
  }
  if (id.substr(0, 6) != district_code) {
    return invalid(
        "wrong_district",
        fmt::format("component id {} does not start with the district code {}", id, district_code),
        "id");
  }
  const auto component_class = id.substr(6, 2);
  if (component_class < "01" || component_class > "05") {
    return invalid(
        "not_a_component_class",
        fmt::format("class {} of id {} is not a component class (01 to 05)", component_class, id),
        "id");
  }
  return Status::ok();
}

std::string make_component_id(std::string_view district_code, std::string_view category,
                              int sequence) {
  return fmt::format("{}{}{:06}", district_code, category, sequence);
}

}  // namespace cityops
