#include "domain/taxonomy.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/csv.h"
#include "common/utf8.h"
#include "domain/department.h"

namespace cityops {

std::optional<Step> parse_step(std::string_view text) {
  if (text == "register") return Step::kRegister;
  if (text == "dispatch") return Step::kDispatch;
  if (text == "handle") return Step::kHandle;
  if (text == "verify") return Step::kVerify;
  if (text == "callback") return Step::kCallback;
  return std::nullopt;
}

std::string_view to_string(Step step) {
  switch (step) {
    case Step::kRegister:
      return "register";
    case Step::kDispatch:
      return "dispatch";
    case Step::kHandle:
      return "handle";
    case Step::kVerify:
      return "verify";
    case Step::kCallback:
      return "callback";
  }
  return "register";
}

std::optional<Urgency> parse_urgency(std::string_view text) {
  if (text == "normal") return Urgency::kNormal;
  if (text == "urgent") return Urgency::kUrgent;
  return std::nullopt;
}

std::string_view to_string(Urgency urgency) {
  return urgency == Urgency::kUrgent ? "urgent" : "normal";
}

std::optional<CategoryKind> parse_category_kind(std::string_view text) {
  if (text == "component") return CategoryKind::kComponent;
  if (text == "matter") return CategoryKind::kMatter;
  return std::nullopt;
}

std::string_view to_string(CategoryKind kind) {
  return kind == CategoryKind::kComponent ? "component" : "matter";
}

namespace {

constexpr std::string_view kLimitColumns[2][4] = {
    {"register_normal", "dispatch_normal", "handle_normal", "verify_normal"},
    {"register_urgent", "dispatch_urgent", "handle_urgent", "verify_urgent"},
};

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ref_key(CategoryKind kind, std::string_view code) {
  return fmt::format("{}:{}", to_string(kind), code);
}

// Reads one data row; `at` holds the column positions in the order of the file format.
Result<Category> parse_row(const CsvRow& row, const std::vector<size_t>& at, size_t r) {
  Category c;
  c.code = row[at[0]];
  c.class_code = row[at[2]];
  c.class_name = row[at[3]];
  c.name = row[at[4]];
  c.department = row[at[5]];

  const auto kind = parse_category_kind(row[at[1]]);
  if (!kind) return row_error("unknown_kind", r, fmt::format("kind '{}'", row[at[1]]), "kind");
  c.kind = *kind;
  if (c.code.size() != 5 || !all_digits(c.code)) {
    return row_error("bad_code", r, fmt::format("'{}' is not a 5-digit code", c.code), "code");
  }
  if (c.class_code.size() != 2 || !c.code.starts_with(c.class_code)) {
    return row_error("bad_code", r,
                     fmt::format("code {} is not in class '{}'", c.code, c.class_code), "code");
  }
  for (std::string_view text :
       {std::string_view(c.class_name), std::string_view(c.name), std::string_view(row[at[6]])}) {
    if (!is_valid_utf8(text)) return row_error("bad_text", r, "text is not UTF-8", "name");
  }
  if (c.name.empty()) return row_error("missing_name", r, "category has no name", "name");
  if (!c.department.empty() && !is_department_code(c.department)) {
    return row_error("bad_department", r, fmt::format("department '{}'", c.department),
                     "department");
  }
  c.keywords = split_list(row[at[6]]);

  for (int u = 0; u < 2; ++u) {
    for (int s = 0; s < 4; ++s) {
      const std::string& text = row[at[7 + u * 4 + s]];
      const auto limit = parse_time_limit(text);
      if (!limit) {
        return row_error("bad_limit", r, fmt::format("limit '{}' does not parse", text),
                         std::string(kLimitColumns[u][s]));
      }
      c.limits[u][s] = *limit;
    }
  }

  const std::string& reopen = row[at[15]];
  if (reopen != "true" && reopen != "false") {
    return row_error("bad_flag", r, fmt::format("reopen_on_dissatisfied '{}'", reopen),
                     "reopen_on_dissatisfied");
  }
  c.reopen_on_dissatisfied = reopen == "true";
  return c;
}

}  // namespace

Status check_unique_codes(const std::vector<Category>& categories) {
  std::set<std::string, std::less<>> seen;
  for (const Category& c : categories) {
    if (!seen.insert(ref_key(c.kind, c.code)).second) {
      return invalid("duplicate_code",
                     fmt::format("{} code {} occurs twice", to_string(c.kind), c.code), "code");
    }
  }
  return Status::ok();
}

Result<std::vector<Category>> parse_taxonomy_csv(std::string_view text) {
  auto rows = parse_csv(text, /*allow_comments=*/true);
  if (!rows) return rows.status();
  if (rows->empty()) return invalid("missing_column", "the taxonomy file has no header");
  const CsvRow& header = rows->front();
  auto at = locate_columns(
      header, {"code", "kind", "class_code", "class_name", "name", "department", "keywords",
               kLimitColumns[0][0], kLimitColumns[0][1], kLimitColumns[0][2], kLimitColumns[0][3],
               kLimitColumns[1][0], kLimitColumns[1][1], kLimitColumns[1][2], kLimitColumns[1][3],
               "reopen_on_dissatisfied"});
  if (!at) return at.status();

  std::vector<Category> categories;
  std::set<std::string, std::less<>> refs;
  std::map<std::string, std::string, std::less<>> class_names;  // "kind:class" -> name
  for (size_t r = 1; r < rows->size(); ++r) {
    CITYOPS_RETURN_IF_ERROR(check_row_width((*rows)[r], header.size(), r));
    auto category = parse_row((*rows)[r], *at, r);
    if (!category) return category.status();
    const Category& c = *category;

    if (!refs.insert(ref_key(c.kind, c.code)).second) {
      return row_error("duplicate_code", r,
                       fmt::format("{} code {} repeats", to_string(c.kind), c.code), "code");
    }
    // A class named two ways is almost always a typo that would split reports in two.
    const auto [it, added] = class_names.emplace(ref_key(c.kind, c.class_code), c.class_name);
    if (!added && it->second != c.class_name) {
      return row_error(
          "inconsistent_class", r,
          fmt::format("class {} is named '{}' and '{}'", c.class_code, it->second, c.class_name),
          "class_name");
    }
    categories.push_back(std::move(*category));
  }
  return categories;
}

}  // namespace cityops
