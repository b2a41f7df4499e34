#include "geo/gazetteer.h"

#include <algorithm>
#include <array>
#include <tuple>

#include <fmt/format.h>

#include "common/utf8.h"
#include "geo/place_geometry.h"

namespace cityops::geo {

// One name or alias found in an address: `length` bytes from byte `at`.
struct Gazetteer::Match {
  size_t at;
  size_t length;
  size_t entry;
  size_t end() const { return at + length; }
};

namespace {

// Words that join two roads into an intersection.
constexpr std::array<std::string_view, 11> kJoiners{"与", "和", "及", "跟", "同", "、",
                                                    "/",  "&",  "x",  "X",  "×"};
// Words that may follow two roads written back to back: "海宁路东经路口".
constexpr std::array<std::string_view, 4> kCrossingWords{"交叉口", "路口", "十字", "口"};
// Administrative prefixes that carry no information inside the district.
constexpr std::array<std::string_view, 3> kPrefixes{"河北省", "秦皇岛市", "北戴河区"};

bool starts_with_any(std::string_view text, const auto& words, size_t& length) {
  for (std::string_view word : words) {
    if (text.starts_with(word)) {
      length = word.size();
      return true;
    }
  }
  return false;
}

Status unresolved(std::string message) {
  return invalid("unresolved_address", std::move(message), "address_string");
}

}  // namespace

std::string_view to_string(Precision precision) {
  switch (precision) {
    case Precision::kPlace:
      return "place";
    case Precision::kHouseNumber:
      return "house_number";
    case Precision::kRoad:
      return "road";
    case Precision::kIntersection:
      return "intersection";
    case Precision::kArea:
      return "area";
  }
  return "place";
}

std::string fold_address(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == ' ' || (byte >= '\t' && byte <= '\r')) {
      ++i;
    } else if (text.substr(i, 3) == "\u3000" || text.substr(i, 2) == "\u00a0") {
      i += text.substr(i, 2) == "\u00a0" ? 2 : 3;
    } else if (byte == 0xEF && i + 2 < text.size()) {
      // U+FF01..U+FF5E are EF BC 81..EF BD 9E; each sits 0xFEE0 above its ASCII form.
      const unsigned code = ((byte & 0x0F) << 12) |
                            ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                            (static_cast<unsigned char>(text[i + 2]) & 0x3F);
      if (code >= 0xFF01 && code <= 0xFF5E) {
        out.push_back(static_cast<char>(code - 0xFEE0));
      } else {
        out.append(text.substr(i, 3));
      }
      i += 3;
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

Gazetteer::Gazetteer(std::vector<Entry> entries) : entries_(std::move(entries)) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    keys_.push_back({fold_address(entries_[i].name), i});
    for (const auto& alias : entries_[i].aliases) keys_.push_back({fold_address(alias), i});
  }
}

Result<Gazetteer> Gazetteer::build(std::string_view csv_text, std::vector<GazetteerArea> areas) {
  std::vector<Entry> entries;
  if (!csv_text.empty()) {
    auto parsed = parse_gazetteer_csv(csv_text);
    if (!parsed) return parsed.status();
    entries = std::move(parsed).value();
  }
  for (auto& area : areas) {
    if (area.name.empty() || !(area_m2(area.area) > 0)) continue;
    Entry entry;
    entry.name = std::move(area.name);
    entry.kind = std::move(area.layer);
    entry.code = std::move(area.code);
    entry.point = interior_point(area.area);
    entries.push_back(std::move(entry));
  }
  return Gazetteer(std::move(entries));
}

std::vector<Gazetteer::Match> Gazetteer::matches_in(std::string_view text) const {
  std::vector<Match> found;
  for (const Key& key : keys_) {
    if (key.text.empty()) continue;
    // Byte-wise search is safe: in valid UTF-8 a match can only start at a character.
    for (size_t at = text.find(key.text); at != std::string_view::npos;
         at = text.find(key.text, at + 1)) {
      found.push_back({at, key.text.size(), key.entry});
    }
  }
  // Longest first, then earliest, then the entry listed first: the best match leads.
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    return std::tuple(b.length, a.at, a.entry) < std::tuple(a.length, b.at, b.entry);
  });
  return found;
}

Result<Place> Gazetteer::resolve(std::string_view address) const {
  if (address.size() > kMaxAddressBytes) {
    return invalid("address_too_long",
                   fmt::format("an address is at most {} bytes", kMaxAddressBytes),
                   "address_string");
  }
  if (!is_valid_utf8(address)) {
    return invalid("invalid_encoding", "the address is not UTF-8", "address_string");
  }
  const std::string text = fold_address(address);
  if (text.empty()) return invalid("empty_address", "the address is empty", "address_string");
  return resolve_folded(text, address);
}

Result<Place> Gazetteer::resolve_folded(std::string_view text, std::string_view address) const {
  const auto found = matches_in(text);
  // The longest match starting exactly at `at`, if it names a road.
  const auto road_at = [&](size_t at) -> const Match* {
    for (const Match& m : found) {
      if (m.at == at) return entries_[m.entry].is_road() ? &m : nullptr;
    }
    return nullptr;
  };

  // Intersections first: two roads count only when joined, never merely both present.
  std::vector<const Match*> in_order;
  for (const Match& m : found) in_order.push_back(&m);
  std::stable_sort(in_order.begin(), in_order.end(),
                   [](const Match* a, const Match* b) { return a->at < b->at; });
  for (const Match* first : in_order) {
    if (road_at(first->at) != first) continue;
    size_t joiner = 0;
    const bool joined = starts_with_any(text.substr(first->end()), kJoiners, joiner);
    const Match* second = road_at(first->end() + joiner);
    if (second == nullptr || second->entry == first->entry) continue;
    size_t crossing = 0;
    if (!joined && !starts_with_any(text.substr(second->end()), kCrossingWords, crossing)) {
      continue;
    }
    const Entry& a = entries_[first->entry];
    const Entry& b = entries_[second->entry];
    const auto meet = closest_approach(a.line, b.line);
    if (meet.gap_m > kMaxIntersectionGapM) {
      return unresolved(
          fmt::format("{} and {} do not meet (they come no closer than {:.0f} m) "
                      "in '{}'",
                      a.name, b.name, meet.gap_m, address));
    }
    return Place{a.name + "与" + b.name,
                 "intersection",
                 "",
                 meet.point,
                 std::string(text.substr(first->at, second->end() - first->at)),
                 Precision::kIntersection};
  }

  if (found.empty()) {
    std::string_view rest = text;
    size_t prefix = 0;
    while (starts_with_any(rest, kPrefixes, prefix)) rest.remove_prefix(prefix);
    return unresolved(
        rest.empty()
            ? fmt::format("'{}' names the district but no place in it", address)
            : fmt::format("no road, place or area in the gazetteer matches '{}'", address));
  }
  const Match& best = found.front();
  const Entry& entry = entries_[best.entry];
  if (entry.is_road()) return place_on_road(entry, text, best);
  return Place{entry.name,
               entry.kind,
               entry.code,
               entry.point,
               std::string(text.substr(best.at, best.length)),
               entry.code.empty() ? Precision::kPlace : Precision::kArea};
}

Place Gazetteer::place_on_road(const Entry& road, std::string_view text, const Match& name) const {
  // Up to six digits straight after the name; longer runs are not house numbers.
  size_t end = name.end();
  unsigned number = 0;
  while (end < text.size() && end - name.end() < 6 && text[end] >= '0' && text[end] <= '9') {
    number = number * 10 + static_cast<unsigned>(text[end] - '0');
    ++end;
  }
  const bool numbered =
      end > name.end() && (end == text.size() || text[end] < '0' || text[end] > '9');
  if (!numbered) {
    return Place{
        road.name,       road.kind, "", road.point, std::string(text.substr(name.at, name.length)),
        Precision::kRoad};
  }
  if (text.substr(end).starts_with("号")) end += std::string_view("号").size();
  const double metres = kMetresPerHouseNumber * (std::max(number, 1u) - 1);
  return Place{road.name,
               road.kind,
               "",
               point_along(road.line, metres),
               std::string(text.substr(name.at, end - name.at)),
               Precision::kHouseNumber};
}

std::vector<const Entry*> Gazetteer::search(std::string_view query, size_t limit) const {
  if (limit == 0 || !is_valid_utf8(query)) return {};
  const std::string folded = fold_address(query);
  if (folded.empty()) return {};

  // (how it matched: 0 exact, 1 prefix, 2 inside; name length; entry) for each entry that does.
  std::vector<std::tuple<int, size_t, size_t>> ranked;
  for (const Key& key : keys_) {
    const size_t at = key.text.find(folded);
    if (at == std::string::npos) continue;
    const int how = key.text.size() == folded.size() ? 0 : at == 0 ? 1 : 2;
    const auto rank = std::tuple(how, entries_[key.entry].name.size(), key.entry);
    const auto same = std::find_if(ranked.begin(), ranked.end(),
                                   [&](const auto& r) { return std::get<2>(r) == key.entry; });
    if (same == ranked.end()) {
      ranked.push_back(rank);
    } else if (rank < *same) {
      *same = rank;
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<const Entry*> out;
  for (const auto& r : ranked) {
    if (out.size() == limit) break;
    out.push_back(&entries_[std::get<2>(r)]);
  }
  return out;
}

}  // namespace cityops::geo
