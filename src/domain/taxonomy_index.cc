// The indexed, searchable side of the taxonomy; parsing lives in taxonomy.cc.
#include <fmt/format.h>

#include <algorithm>
#include <cassert>

#include "common/utf8.h"
#include "domain/taxonomy.h"

namespace cityops {
namespace {

std::string ref_key(CategoryKind kind, std::string_view code) {
  return fmt::format("{}:{}", to_string(kind), code);
}

// Only ASCII letters are folded; every byte of a multi-byte UTF-8 sequence is >= 0x80 and
// passes through untouched, so folding cannot break a character.
std::string fold_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

constexpr int kNoMatch = 100;

// Lower is better; see Taxonomy::search for the order.
int match_rank(const Category& c, std::string_view query) {
  if (c.code == query) return 0;
  if (c.code.starts_with(query)) return 1;
  const std::string name = fold_ascii(c.name);
  if (name == query) return 2;
  if (name.starts_with(query)) return 3;
  if (name.find(query) != std::string::npos) return 4;
  for (const std::string& keyword : c.keywords) {
    if (fold_ascii(keyword).find(query) != std::string::npos) return 5;
  }
  return kNoMatch;
}

}  // namespace

Taxonomy::Taxonomy(std::vector<Category> categories) : categories_(std::move(categories)) {
  for (size_t i = 0; i < categories_.size(); ++i) {
    const bool added = by_ref_.emplace(ref_key(categories_[i].kind, categories_[i].code), i).second;
    assert(added && "Taxonomy requires unique (kind, code) pairs");
    (void)added;
  }
}

const Category* Taxonomy::find(CategoryKind kind, std::string_view code) const {
  const auto it = by_ref_.find(ref_key(kind, code));
  return it == by_ref_.end() ? nullptr : &categories_[it->second];
}

const Category* Taxonomy::find(std::string_view ref) const {
  const size_t colon = ref.find(':');
  if (colon != std::string_view::npos) {
    const auto kind = parse_category_kind(ref.substr(0, colon));
    return kind ? find(*kind, ref.substr(colon + 1)) : nullptr;
  }
  if (const Category* component = find(CategoryKind::kComponent, ref)) return component;
  return find(CategoryKind::kMatter, ref);
}

std::string Taxonomy::ref_of(const Category& category) const {
  if (find(category.code) == &category) return category.code;
  return ref_key(category.kind, category.code);
}

std::vector<const Category*> Taxonomy::search(std::string_view query, size_t limit) const {
  query = trim_spaces(query);
  if (query.empty() || limit == 0 || !is_valid_utf8(query)) return {};
  const std::string folded = fold_ascii(query);

  std::vector<std::pair<int, const Category*>> hits;
  for (const Category& c : categories_) {
    const int rank = match_rank(c, folded);
    if (rank != kNoMatch) hits.emplace_back(rank, &c);
  }
  // Stable, so equal ranks keep file order and results do not shuffle between calls.
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<const Category*> out;
  for (size_t i = 0; i < hits.size() && i < limit; ++i) out.push_back(hits[i].second);
  return out;
}

}  // namespace cityops
