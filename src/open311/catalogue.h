// The Open311 service catalogue: the taxonomy's matters as GeoReport v2 services, with the
// extra questions (attributes) some categories ask, and the checking of a client's answers.
//
// A service is a matter category: service_code is its 5-digit code (clients may drop the
// leading zeros), group its class, keywords its search synonyms. Components are assets, not
// problems, so they are not services; every component's anomaly is a matter of the same code.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/taxonomy.h"

namespace cityops::open311 {

enum class Datatype { kString, kNumber, kDatetime, kText, kSingleValueList, kMultiValueList };

// "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist".
std::string_view to_string(Datatype type);

struct AttributeValue {
  std::string key;
  std::string name;
};

struct Attribute {
  std::string service_code;
  std::string code;
  Datatype datatype = Datatype::kString;
  bool required = false;
  int order = 0;
  std::string description;
  std::string datatype_description;
  std::vector<AttributeValue> values;  // lists only
};

// Parses the attribute file (columns service_code,code,datatype,required,order,description,
// datatype_description,values; '#' comments). Refuses, naming the row: an unknown datatype, a
// code that is not [a-z0-9_]+, a code repeated within a service, a list without values or a
// non-list with values, a value not written key=name, a repeated key, required not
// true/false, an order that is not a positive whole number.
Result<std::vector<Attribute>> parse_attributes_csv(std::string_view text);

// Answers as a client sent them: the attribute code and each value, in order.
using RawAnswers = std::vector<std::pair<std::string, std::string>>;
using Answers = std::map<std::string, std::vector<std::string>>;

class Catalogue {
 public:
  // Fails with "unknown_service" (naming the row's code) when an attribute names a code that
  // is not a matter of `taxonomy`.
  static Result<Catalogue> build(const Taxonomy& taxonomy, std::vector<Attribute> attributes);

  // The matters, in taxonomy order.
  const std::vector<Category>& services() const { return services_; }
  // By code, with or without leading zeros ("6015" finds "06015"); null when unknown.
  const Category* find(std::string_view code) const;
  // The category's attributes by order; empty when it asks nothing.
  const std::vector<Attribute>& attributes(std::string_view code) const;

  // Checks answers against the service's definition: every code known, required ones given,
  // one value unless multivaluelist, list values among the keys, numbers from 0 to 1e9 (counts,
  // areas and durations), datetimes ISO
  // 8601 with an offset, strings at most 200 characters and texts 2000. Errors are
  // kInvalidArgument with field "attribute[code]".
  Result<Answers> check(std::string_view service_code, const RawAnswers& raw) const;

 private:
  std::vector<Category> services_;
  std::map<std::string, std::vector<Attribute>, std::less<>> attributes_;
};

}  // namespace cityops::open311
