// The category list: management components (部件) and matters (事项), each with a 5-digit code
// (2-digit class + 3-digit subclass), a default department, search keywords, and a time limit
// for every step of a case at each urgency.
//
// The list is data. A district loads whichever list it uses (GB/T 47678.5, the older
// GB/T 30428.2 codes, or its own extension) and nothing here knows any particular code.
//
// Codes are unique within a kind, not across kinds: GB/T 47678.5 gives the matter "供水井盖异常"
// the same code, 01001, as the component "供水井盖". A category is therefore named by a
// reference: the bare code, or "component:01001" / "matter:01001" when both kinds share it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/time_limit.h"

namespace cityops {

// The timed steps of a case. Categories give limits for the first four; the callback after
// closure has one limit for every category (Category::callback_limit).
enum class Step { kRegister, kDispatch, kHandle, kVerify, kCallback };
enum class Urgency { kNormal, kUrgent };
enum class CategoryKind { kComponent, kMatter };

// "register", "dispatch", "handle", "verify", "callback".
std::optional<Step> parse_step(std::string_view text);
std::string_view to_string(Step step);
// "normal", "urgent".
std::optional<Urgency> parse_urgency(std::string_view text);
std::string_view to_string(Urgency urgency);
// "component", "matter".
std::optional<CategoryKind> parse_category_kind(std::string_view text);
std::string_view to_string(CategoryKind kind);

struct Category {
  std::string code;        // 5 digits, leading zeros kept
  std::string class_code;  // the code's first 2 digits
  std::string class_name;
  std::string name;
  std::string department;  // default department code; may be empty
  CategoryKind kind = CategoryKind::kMatter;
  std::vector<std::string> keywords;  // search synonyms
  TimeLimit limits[2][4];             // [Urgency][Step]
  bool reopen_on_dissatisfied = true;

  TimeLimit callback_limit{3, TimeUnit::kWorkingDays};

  const TimeLimit& limit(Urgency urgency, Step step) const {
    if (step == Step::kCallback) return callback_limit;
    return limits[static_cast<int>(urgency)][static_cast<int>(step)];
  }
};

// Parses a taxonomy file (columns code,kind,class_code,class_name,name,department,keywords,
// register_normal,dispatch_normal,handle_normal,verify_normal,register_urgent,dispatch_urgent,
// handle_urgent,verify_urgent,reopen_on_dissatisfied; '#' comment lines allowed). Refuses,
// with the row number: a code that is not 5 digits or does not start with its class_code
// ("bad_code"), a repeated (kind, code) ("duplicate_code"), an unknown kind ("unknown_kind"),
// a limit that parse_time_limit refuses ("bad_limit", field = the column), a class named two
// ways within one kind ("inconsistent_class"), an empty name, a department that is not a
// department code, reopen not "true"/"false", and text that is not UTF-8.
Result<std::vector<Category>> parse_taxonomy_csv(std::string_view text);

// Checks that no (kind, code) occurs twice; used after concatenating several files.
Status check_unique_codes(const std::vector<Category>& categories);

// An immutable, indexed category list. REQUIRES: (kind, code) pairs are unique, as
// parse_taxonomy_csv and check_unique_codes guarantee.
class Taxonomy {
 public:
  explicit Taxonomy(std::vector<Category> categories);

  // By reference: "component:01001", "matter:01001", or a bare "01001", which names the
  // component when both kinds have that code. Null when nothing matches.
  const Category* find(std::string_view ref) const;
  const Category* find(CategoryKind kind, std::string_view code) const;

  // The shortest reference that find() resolves back to `category`: the bare code unless a
  // component shares it. Store this, not the bare code, when recording a case's category.
  std::string ref_of(const Category& category) const;

  // In file order.
  const std::vector<Category>& all() const { return categories_; }

  // Up to `limit` categories matching `query`, best first: exact code, code prefix, exact
  // name, name prefix, name substring, then keyword. Matching is byte-wise on UTF-8, so a
  // query matches only whole characters; a query that is not valid UTF-8 matches nothing.
  // ASCII letters compare case-insensitively. Leading and trailing spaces are ignored.
  std::vector<const Category*> search(std::string_view query, size_t limit) const;

 private:
  std::vector<Category> categories_;
  std::map<std::string, size_t, std::less<>> by_ref_;  // "component:01001" -> index
};

}  // namespace cityops
