#include "domain/self_handling.h"

#include "common/csv.h"

namespace cityops {

Result<SelfHandlingList> SelfHandlingList::parse(std::string_view csv, const Taxonomy& taxonomy) {
  auto rows = parse_csv(csv, /*allow_comments=*/true);
  if (!rows) return rows.status();
  SelfHandlingList list;
  if (rows->empty()) return list;
  auto columns = locate_columns(rows->front(), {"kind", "code"});
  if (!columns) return columns.status();
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    CITYOPS_RETURN_IF_ERROR(check_row_width(row, rows->front().size(), i));
    const std::string& kind_text = row[(*columns)[0]];
    const std::string& code = row[(*columns)[1]];
    if (kind_text != "matter" && kind_text != "component") {
      return row_error("unknown_kind", i, "kind is matter or component", "kind");
    }
    const auto kind = kind_text == "matter" ? CategoryKind::kMatter : CategoryKind::kComponent;
    if (!taxonomy.find(kind, code)) {
      return row_error("unknown_category", i, "no " + kind_text + " " + code, "code");
    }
    list.entries_.insert({kind, code});
  }
  return list;
}

}  // namespace cityops
