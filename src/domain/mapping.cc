#include "domain/mapping.h"

#include <fmt/format.h>

#include "common/csv.h"

namespace cityops {

Result<std::map<std::string, std::string>> parse_mapping_csv(std::string_view text,
                                                             std::string_view key_column) {
  auto rows = parse_csv(text, /*allow_comments=*/true);
  if (!rows) return rows.status();
  if (rows->empty()) return invalid("missing_column", "the mapping file has no header");
  const CsvRow& header = rows->front();
  auto at = locate_columns(header, {key_column, "category"});
  if (!at) return at.status();

  std::map<std::string, std::string> mapping;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    CITYOPS_RETURN_IF_ERROR(check_row_width(row, header.size(), r));
    const std::string& key = row[(*at)[0]];
    const std::string& category = row[(*at)[1]];
    if (key.empty() || category.empty()) {
      return invalid("missing_value", fmt::format("row {}: key and category must be set", r),
                     key.empty() ? std::string(key_column) : "category");
    }
    if (!mapping.emplace(key, category).second) {
      return invalid("duplicate_key", fmt::format("row {}: '{}' is mapped twice", r, key),
                     std::string(key_column));
    }
  }
  return mapping;
}

}  // namespace cityops
