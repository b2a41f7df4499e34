// The categories a grid worker may handle on the spot (自处置), as listed in
// data/reference/self-handling.csv (columns kind, code, name).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "domain/taxonomy.h"

namespace cityops {

class SelfHandlingList {
 public:
  SelfHandlingList() = default;

  // Parses the file against `taxonomy`: every row must name a category it holds. Errors name
  // the row: "unknown_kind", "unknown_category", and the CSV reader's own.
  static Result<SelfHandlingList> parse(std::string_view csv, const Taxonomy& taxonomy);

  bool allows(const Category& category) const {
    return entries_.count({category.kind, category.code}) > 0;
  }
  size_t size() const { return entries_.size(); }

 private:
  std::set<std::pair<CategoryKind, std::string>> entries_;
};

}  // namespace cityops
