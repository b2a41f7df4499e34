#include "domain/routing.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "common/csv.h"

namespace cityops {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_scope(std::string_view s) {
  return s == "*" || ((s.size() == 2 || s.size() == 5) && all_digits(s));
}
bool is_region(std::string_view s) { return s == "*" || (s.size() == 9 && all_digits(s)); }
bool is_target(std::string_view s) { return s == kStreetOfficeToken || is_department_code(s); }

}  // namespace

Result<std::vector<RoutingRule>> parse_routing_csv(std::string_view text) {
  auto rows = parse_csv(text, /*allow_comments=*/true);
  if (!rows) return rows.status();
  if (rows->empty()) return invalid("missing_column", "the routing file has no header");
  const CsvRow& header = rows->front();
  auto at = locate_columns(header, {"scope", "region", "lead", "co_departments"});
  if (!at) return at.status();

  std::vector<RoutingRule> rules;
  std::set<std::pair<std::string, std::string>> keys;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    CITYOPS_RETURN_IF_ERROR(check_row_width(row, header.size(), r));
    RoutingRule rule{row[(*at)[0]], row[(*at)[1]], row[(*at)[2]], split_list(row[(*at)[3]])};

    if (!is_scope(rule.scope)) {
      return row_error("bad_scope", r, fmt::format("scope '{}'", rule.scope), "scope");
    }
    if (!is_region(rule.region)) {
      return row_error("bad_region", r, fmt::format("region '{}'", rule.region), "region");
    }
    if (!is_target(rule.lead)) {
      return row_error("bad_department", r, fmt::format("lead '{}'", rule.lead), "lead");
    }
    for (const std::string& co : rule.co_departments) {
      if (!is_target(co)) {
        return row_error("bad_department", r, fmt::format("co-department '{}'", co),
                         "co_departments");
      }
    }
    if (!keys.emplace(rule.scope, rule.region).second) {
      return row_error("duplicate_rule", r,
                       fmt::format("a rule for {} in {} already exists", rule.scope, rule.region),
                       "scope");
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

Router::Router(std::vector<RoutingRule> rules, std::vector<Department> departments)
    : rules_(std::move(rules)), departments_(std::move(departments)) {}

const RoutingRule* Router::find_rule(std::string_view scope, std::string_view region) const {
  for (const RoutingRule& rule : rules_) {
    if (rule.scope == scope && rule.region == region) return &rule;
  }
  return nullptr;
}

const Department* Router::find_department(std::string_view code) const {
  for (const Department& d : departments_) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

const Department* Router::street_office(std::string_view street_code) const {
  if (street_code.empty()) return nullptr;
  for (const Department& d : departments_) {
    if (d.kind == DepartmentKind::kStreetOffice && d.street_code == street_code) return &d;
  }
  return nullptr;
}

RouteDecision Router::route(const Category& category, std::string_view street_code) const {
  const Department* office = street_office(street_code);
  // "@street" becomes the office's code, or nothing when the street has none.
  auto resolve = [&](const std::string& target) -> std::string {
    if (target != kStreetOfficeToken) return target;
    return office ? office->code : std::string();
  };

  const std::string street(street_code);
  const std::pair<std::string_view, std::string_view> levels[] = {
      {category.code, street},    {category.code, "*"}, {category.class_code, street},
      {category.class_code, "*"}, {"*", street},        {"*", "*"},
  };
  for (const auto& [scope, region] : levels) {
    if (region.empty()) continue;
    const RoutingRule* rule = find_rule(scope, region);
    if (!rule) continue;
    RouteDecision decision{resolve(rule->lead), {}, {}};
    if (decision.lead.empty()) continue;
    for (const std::string& co : rule->co_departments) {
      std::string code = resolve(co);
      if (code.empty() || code == decision.lead) continue;
      if (std::find(decision.co_departments.begin(), decision.co_departments.end(), code) ==
          decision.co_departments.end()) {
        decision.co_departments.push_back(std::move(code));
      }
    }
    decision.reason = fmt::format("routing rule {} / {}", scope, region);
    return decision;
  }

  if (!category.department.empty() && find_department(category.department)) {
    return {
        category.department, {}, fmt::format("default department of category {}", category.code)};
  }
  if (office) {
    return {office->code,
            {},
            fmt::format("territorial: street office of {} (category {} has no known default)",
                        street_code, category.code)};
  }
  return {{},
          {},
          fmt::format("no route: category {} has no known default and street '{}' no office",
                      category.code, street_code)};
}

Status Router::validate(const Taxonomy& taxonomy) const {
  std::set<std::string, std::less<>> codes, classes;
  for (const Category& c : taxonomy.all()) {
    codes.insert(c.code);
    classes.insert(c.class_code);
    if (!c.department.empty() && !find_department(c.department)) {
      return {ErrorKind::kFailedPrecondition, "unknown_department",
              fmt::format("category {} names unknown department '{}'", c.code, c.department),
              "department"};
    }
  }

  for (const RoutingRule& rule : rules_) {
    const std::string where = fmt::format("rule {} / {}", rule.scope, rule.region);
    const bool scope_known = rule.scope == "*" || codes.contains(rule.scope) ||
                             (rule.scope.size() == 2 && classes.contains(rule.scope));
    if (!scope_known) {
      return {ErrorKind::kFailedPrecondition, "unknown_scope",
              fmt::format("{}: no category or class {}", where, rule.scope), "scope"};
    }
    if (rule.region != "*" && !street_office(rule.region)) {
      return {ErrorKind::kFailedPrecondition, "unknown_region",
              fmt::format("{}: no street office for {}", where, rule.region), "region"};
    }
    std::vector<std::string> targets = rule.co_departments;
    targets.push_back(rule.lead);
    for (const std::string& target : targets) {
      if (target == kStreetOfficeToken || find_department(target)) continue;
      return {ErrorKind::kFailedPrecondition, "unknown_department",
              fmt::format("{}: unknown department '{}'", where, target), "lead"};
    }
  }
  return Status::ok();
}

}  // namespace cityops
