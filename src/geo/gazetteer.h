// A gazetteer (地名库) of the district: roads, named places and the street and community
// areas, for turning a Chinese address string into a point and for a place picker.
//
// Places and roads come from the project's CSV file (data/gazetteer/, format in
// docs/geography.md); areas come from the regions the server has loaded. Everything is held in
// WGS84, converted from the datum each CSV row names.
//
//   auto gazetteer = Gazetteer::build(csv_text, areas);
//   auto place = gazetteer->resolve("北戴河区海宁路与东经路交叉口");
//   if (!place) return place.status();          // unresolved_address, field address_string
//   store(place->point);                        // WGS84
//
// Threading: a built Gazetteer is immutable; any number of threads may call its const methods.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "geo/datum.h"
#include "geo/geometry.h"

namespace cityops::geo {

// An area the gazetteer can resolve to: a street or town (街道/镇) or a community or village
// (社区/村), as the server has loaded them.
struct GazetteerArea {
  std::string code;   // "130304001"
  std::string name;   // "西山街道"
  std::string layer;  // "street" or "community"; becomes the entry's kind
  MultiPolygon area;  // WGS84
};

// One thing with a name.
struct Entry {
  std::string name;
  std::string kind;  // road, park, beach, landmark, station, office; street or community
  std::vector<std::string> aliases;
  std::string code;          // the region code of an area; empty for places and roads
  std::vector<LonLat> line;  // a road's vertices in WGS84, in house-number order; else empty
  LonLat point{};            // WGS84: the place itself, a road's middle, a point inside an area

  bool is_road() const { return line.size() >= 2; }
};

// How exactly a resolved point stands for the address.
enum class Precision {
  kPlace,         // a named place: the place's own point
  kHouseNumber,   // a road and a number: a point interpolated along the road
  kRoad,          // a road without a usable number: the road's middle
  kIntersection,  // two roads: where they come closest
  kArea,          // a street or community: a point inside it
};
std::string_view to_string(Precision precision);

struct Place {
  std::string name;     // the entry's name; "海宁路与东经路" for an intersection
  std::string kind;     // the entry's kind; "intersection" for two roads
  std::string code;     // the region code when an area was resolved
  LonLat point{};       // WGS84
  std::string matched;  // the part of the (normalised) address that was understood
  Precision precision = Precision::kPlace;
};

// The rows of a gazetteer CSV, converted to WGS84. Errors are kInvalidArgument: those of
// parse_csv, locate_columns and check_row_width, and "invalid_gazetteer" naming the data row
// and column for an empty or non-UTF-8 name, a kind that is not a lower-case word, an unknown
// datum, a malformed or non-finite coordinate, a point where a road needs two vertices or the
// reverse, or a name or alias used twice.
Result<std::vector<Entry>> parse_gazetteer_csv(std::string_view text);

class Gazetteer {
 public:
  // An empty gazetteer: resolves nothing, finds nothing.
  Gazetteer() = default;

  // Places and roads from `csv_text` (parse_gazetteer_csv; empty text gives none) followed by
  // `areas`. An area without surface is skipped. An area may share a name with a place; the
  // place, coming first, then wins. Errors are those of parse_gazetteer_csv.
  static Result<Gazetteer> build(std::string_view csv_text, std::vector<GazetteerArea> areas);
  explicit Gazetteer(std::vector<Entry> entries);

  // Resolves what a person wrote as an address. Tolerates ASCII and full-width spaces,
  // full-width digits and letters, and the prefixes 河北省, 秦皇岛市 and 北戴河区.
  // Understands, in this order:
  //   - two roads joined by 与, 和, 及, 跟, 同, 、, /, &, x or ×, or written back to
  //     back before 口, 交叉口, 路口 or 十字: "海宁路与东经路交叉口" -> where the
  //     two roads come closest, if within kMaxIntersectionGapM;
  //   - otherwise the longest name or alias found anywhere in the text (the earliest
  //     on a tie), so "鸽子窝公园南门" is 鸽子窝公园 and "老虎石浴场附近" is
  //     老虎石浴场, not the park whose alias is 老虎石. A road followed by a number
  //     ("海宁路12号", "东经路100号附近") gives the point kMetresPerHouseNumber *
  //     (number - 1) along the road from its first vertex, held at the far end for
  //     numbers past it; a road without one gives its middle.
  //   - a street or community gives a point inside it (interior_point() in
  //     place_geometry.h).
  //
  // Errors (kInvalidArgument, field "address_string"): "empty_address" when nothing but
  // spaces is given, "invalid_encoding" when the text is not UTF-8, "address_too_long" past
  // kMaxAddressBytes, "unresolved_address" when no entry is named (the message quotes the
  // text) or two named roads do not meet.
  Result<Place> resolve(std::string_view address) const;

  // Entries whose name or alias matches `query` (spaces and full-width forms folded as in
  // resolve): exact matches first, then prefixes, then other substrings; shorter names first
  // within each group, then file order. At most `limit`; empty for an empty or non-UTF-8
  // query. The pointers live as long as this gazetteer; in the server, hold the reference
  // snapshot that owns it while using them.
  std::vector<const Entry*> search(std::string_view query, size_t limit) const;

  const std::vector<Entry>& entries() const { return entries_; }

  static constexpr double kMetresPerHouseNumber = 10;
  static constexpr double kMaxIntersectionGapM = 300;
  static constexpr size_t kMaxAddressBytes = 1024;

 private:
  // A name or alias as matched: folded like the addresses it is looked for in.
  struct Key {
    std::string text;
    size_t entry;
  };
  struct Match;

  Result<Place> resolve_folded(std::string_view text, std::string_view address) const;
  std::vector<Match> matches_in(std::string_view text) const;
  Place place_on_road(const Entry& road, std::string_view text, const Match& name) const;

  std::vector<Entry> entries_;
  std::vector<Key> keys_;  // every entry's name and aliases, in entry order
};

// Folds an address for matching: drops ASCII whitespace, the no-break space U+00A0 and the
// ideographic space U+3000, and maps full-width forms U+FF01..U+FF5E to ASCII.
std::string fold_address(std::string_view text);

}  // namespace cityops::geo
