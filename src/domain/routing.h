// Which department leads a case and which co-handle it, by category and street.
//
// Rules are data. A rule's scope is a 5-digit category code, a 2-digit class code or "*"; its
// region is a 9-digit street code or "*". For a case the most specific rule wins:
//
//   category + street  >  category + any  >  class + street  >  class + any  >  * + street
//   >  * + any  >  the category's default department
//   >  the street office of the case's street (when the default is empty or unknown)
//
// A department field may say "@street" instead of a code: it stands for the street office of
// the case's street, so one rule can put whichever street the case is in on the case. If the
// street has no office, "@street" is dropped from co-departments and, as a lead, the search
// goes on to the next level.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/department.h"
#include "domain/taxonomy.h"

namespace cityops {

inline constexpr std::string_view kStreetOfficeToken = "@street";

struct RoutingRule {
  std::string scope;   // "06015", "06" or "*"
  std::string region;  // "130304003" or "*"
  std::string lead;    // department code or "@street"
  std::vector<std::string> co_departments;
};

// Parses a routing file (columns scope,region,lead,co_departments with co_departments
// ';'-separated; '#' comment lines allowed). Refuses, with the row number: a malformed scope
// or region ("bad_scope", "bad_region"), an empty or malformed lead ("bad_department"), and
// a second rule for the same scope and region ("duplicate_rule").
Result<std::vector<RoutingRule>> parse_routing_csv(std::string_view text);

struct RouteDecision {
  std::string lead;  // empty only when nothing, not even a street office, can take the case
  std::vector<std::string> co_departments;  // without the lead, without repeats
  std::string reason;  // which rule or fallback decided, in words fit for the case history
};

class Router {
 public:
  // REQUIRES: rules as parse_routing_csv returns them (no duplicate scope+region).
  Router(std::vector<RoutingRule> rules, std::vector<Department> departments);

  RouteDecision route(const Category& category, std::string_view street_code) const;

  // Checks that every department a rule names exists, that every scope is a code or class
  // present in `taxonomy`, that every region is the street of some street office, and that
  // every category's non-empty default department exists. The first problem found is returned
  // with code "unknown_department", "unknown_scope" or "unknown_region".
  Status validate(const Taxonomy& taxonomy) const;

 private:
  const RoutingRule* find_rule(std::string_view scope, std::string_view region) const;
  const Department* find_department(std::string_view code) const;
  const Department* street_office(std::string_view street_code) const;

  std::vector<RoutingRule> rules_;
  std::vector<Department> departments_;
};

}  // namespace cityops
