#include "open311/catalogue.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/csv.h"
#include "common/time.h"
#include "common/utf8.h"
#include "open311/format.h"

namespace cityops::open311 {

namespace {

constexpr std::pair<Datatype, std::string_view> kDatatypeNames[] = {
    {Datatype::kString, "string"},
    {Datatype::kNumber, "number"},
    {Datatype::kDatetime, "datetime"},
    {Datatype::kText, "text"},
    {Datatype::kSingleValueList, "singlevaluelist"},
    {Datatype::kMultiValueList, "multivaluelist"},
};

// Every number the district asks for is a count, an area or a duration: none is negative.
constexpr double kMaxNumber = 1e9;

bool is_list(Datatype type) {
  return type == Datatype::kSingleValueList || type == Datatype::kMultiValueList;
}

bool is_code(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "06015" for "6015" or "06015"; empty when the text is not 1 to 5 digits.
std::string padded_code(std::string_view code) {
  if (code.empty() || code.size() > 5) return {};
  if (code.find_first_not_of("0123456789") != std::string_view::npos) return {};
  return std::string(5 - code.size(), '0') + std::string(code);
}

size_t characters(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Result<std::vector<AttributeValue>> parse_values(const std::string& cell, size_t row) {
  std::vector<AttributeValue> values;
  size_t start = 0;
  while (start < cell.size()) {
    size_t bar = cell.find('|', start);
    if (bar == std::string::npos) bar = cell.size();
    const std::string item = cell.substr(start, bar - start);
    const size_t eq = item.find('=');
    if (eq == std::string::npos || !is_code(item.substr(0, eq)) || eq + 1 == item.size()) {
      return row_error("bad_value", row, "a value is written key=name, not '" + item + "'",
                       "values");
    }
    const std::string key = item.substr(0, eq);
    if (std::any_of(values.begin(), values.end(), [&](const auto& v) { return v.key == key; })) {
      return row_error("duplicate_value", row, "value key " + key + " appears twice", "values");
    }
    values.push_back({key, item.substr(eq + 1)});
    start = bar + 1;
  }
  return values;
}

Status attribute_error(const Attribute& a, std::string code, std::string message) {
  return invalid(std::move(code), std::move(message), "attribute[" + a.code + "]");
}

Status check_value(const Attribute& a, const std::string& value) {
  switch (a.datatype) {
    case Datatype::kString:
    case Datatype::kText: {
      const size_t max = a.datatype == Datatype::kString ? 200 : 2000;
      if (!is_xml_text(value)) {
        return attribute_error(a, "invalid_text", "not UTF-8 text without control characters");
      }
      if (characters(value) > max) {
        return attribute_error(a, "attribute_too_long",
                               a.code + " takes at most " + std::to_string(max) + " characters");
      }
      return Status::ok();
    }
    case Datatype::kNumber: {
      double number = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (value.empty() || error != std::errc{} || end != value.data() + value.size() ||
          !std::isfinite(number) || number < 0 || number > kMaxNumber) {
        return attribute_error(a, "invalid_number",
                               a.code + " must be a number from 0 to 1000000000");
      }
      return Status::ok();
    }
    case Datatype::kDatetime:
      if (!parse_rfc3339(value)) {
        return attribute_error(a, "invalid_datetime",
                               a.code + " must be an ISO 8601 time with an offset");
      }
      return Status::ok();
    case Datatype::kSingleValueList:
    case Datatype::kMultiValueList:
      if (std::none_of(a.values.begin(), a.values.end(),
                       [&](const AttributeValue& v) { return v.key == value; })) {
        std::string keys;
        for (const auto& v : a.values) keys += (keys.empty() ? "" : ", ") + v.key;
        return attribute_error(a, "invalid_attribute_value",
                               "'" + value + "' is not one of " + keys);
      }
      return Status::ok();
  }
  return Status::ok();
}

}  // namespace

std::string_view to_string(Datatype type) {
  for (const auto& [candidate, name] : kDatatypeNames) {
    if (candidate == type) return name;
  }
  return "string";
}

Result<std::vector<Attribute>> parse_attributes_csv(std::string_view text) {
  auto rows = parse_csv(text, true);
  if (!rows) return rows.status();
  if (rows->empty()) return std::vector<Attribute>{};
  auto cols =
      locate_columns(rows->front(), {"service_code", "code", "datatype", "required", "order",
                                     "description", "datatype_description", "values"});
  if (!cols) return cols.status();
  const auto& c = *cols;
  std::vector<Attribute> out;
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& r = (*rows)[i];
    CITYOPS_RETURN_IF_ERROR(check_row_width(r, rows->front().size(), i));
    Attribute a;
    a.service_code = padded_code(r[c[0]]);
    if (a.service_code.empty()) {
      return row_error("bad_code", i, "service_code must be a 5-digit code", "service_code");
    }
    a.code = r[c[1]];
    if (!is_code(a.code)) return row_error("bad_code", i, "code is [a-z0-9_]+", "code");
    const auto type = std::find_if(std::begin(kDatatypeNames), std::end(kDatatypeNames),
                                   [&](const auto& entry) { return entry.second == r[c[2]]; });
    if (type == std::end(kDatatypeNames)) {
      return row_error("unknown_datatype", i, "no datatype '" + r[c[2]] + "'", "datatype");
    }
    a.datatype = type->first;
    if (r[c[3]] != "true" && r[c[3]] != "false") {
      return row_error("bad_required", i, "required is true or false", "required");
    }
    a.required = r[c[3]] == "true";
    const auto [end, error] =
        std::from_chars(r[c[4]].data(), r[c[4]].data() + r[c[4]].size(), a.order);
    if (error != std::errc{} || end != r[c[4]].data() + r[c[4]].size() || a.order < 1) {
      return row_error("bad_order", i, "order is a positive whole number", "order");
    }
    a.description = r[c[5]];
    a.datatype_description = r[c[6]];
    auto values = parse_values(r[c[7]], i);
    if (!values) return values.status();
    a.values = std::move(values).value();
    if (is_list(a.datatype) == a.values.empty()) {
      return row_error("bad_values", i, "lists need values and other datatypes take none",
                       "values");
    }
    for (const auto& other : out) {
      if (other.service_code == a.service_code && other.code == a.code) {
        return row_error("duplicate_attribute", i, a.code + " appears twice for " + a.service_code,
                         "code");
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<Catalogue> Catalogue::build(const Taxonomy& taxonomy, std::vector<Attribute> attributes) {
  Catalogue catalogue;
  for (const auto& category : taxonomy.all()) {
    if (category.kind == CategoryKind::kMatter) catalogue.services_.push_back(category);
  }
  for (auto& a : attributes) {
    if (!catalogue.find(a.service_code)) {
      return invalid(
          "unknown_service",
          "attributes name " + a.service_code + ", which is not a matter of the taxonomy",
          "service_code");
    }
    catalogue.attributes_[a.service_code].push_back(std::move(a));
  }
  for (auto& [code, list] : catalogue.attributes_) {
    std::stable_sort(list.begin(), list.end(),
                     [](const Attribute& x, const Attribute& y) { return x.order < y.order; });
  }
  return catalogue;
}

const Category* Catalogue::find(std::string_view code) const {
  const std::string padded = padded_code(code);
  if (padded.empty()) return nullptr;
  for (const auto& s : services_) {
    if (s.code == padded) return &s;
  }
  return nullptr;
}

const std::vector<Attribute>& Catalogue::attributes(std::string_view code) const {
  static const std::vector<Attribute> kNone;
  const auto it = attributes_.find(padded_code(code));
  return it == attributes_.end() ? kNone : it->second;
}

Result<Answers> Catalogue::check(std::string_view service_code, const RawAnswers& raw) const {
  const auto& defined = attributes(service_code);
  Answers answers;
  for (const auto& [code, value] : raw) {
    const auto a = std::find_if(defined.begin(), defined.end(),
                                [&](const Attribute& x) { return x.code == code; });
    if (a == defined.end()) {
      return invalid("unknown_attribute",
                     "service " + std::string(service_code) + " asks no question '" + code + "'",
                     "attribute[" + code + "]");
    }
    // An empty answer to an optional question is no answer, as HTML forms send them.
    if (value.empty()) continue;
    CITYOPS_RETURN_IF_ERROR(check_value(*a, value));
    auto& given = answers[code];
    if (!given.empty() && a->datatype != Datatype::kMultiValueList) {
      return attribute_error(*a, "too_many_values", code + " takes one value");
    }
    if (std::find(given.begin(), given.end(), value) != given.end()) {
      return attribute_error(*a, "repeated_value", "'" + value + "' is given twice");
    }
    given.push_back(value);
  }
  for (const auto& a : defined) {
    if (a.required && !answers.count(a.code)) {
      return attribute_error(a, "missing_attribute",
                             a.description + " (" + a.code + ") is required");
    }
  }
  return answers;
}

}  // namespace cityops::open311
