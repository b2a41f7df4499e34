// Reading the gazetteer's CSV: one place or road per row, in the datum the row names.
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/utf8.h"
#include "geo/gazetteer.h"
#include "geo/place_geometry.h"

namespace cityops::geo {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_kind_word(std::string_view kind) {
  if (kind.empty()) return false;
  for (char c : kind) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

// "lon lat" with one or more spaces between; finite and within the globe.
std::optional<LonLat> parse_position(std::string_view text) {
  text = trim(text);
  const size_t space = text.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view parts[2] = {text.substr(0, space), trim(text.substr(space))};
  double values[2];
  for (int i = 0; i < 2; ++i) {
    const char* end = parts[i].data() + parts[i].size();
    const auto [at, error] = std::from_chars(parts[i].data(), end, values[i]);
    if (error != std::errc{} || at != end || !std::isfinite(values[i])) return std::nullopt;
  }
  if (std::abs(values[0]) > 180 || std::abs(values[1]) > 90) return std::nullopt;
  return LonLat{values[0], values[1]};
}

}  // namespace

Result<std::vector<Entry>> parse_gazetteer_csv(std::string_view text) {
  auto rows = parse_csv(text, /*allow_comments=*/true);
  if (!rows) return rows.status();
  if (rows->empty()) return invalid("invalid_gazetteer", "the gazetteer has no header", "name");
  auto columns = locate_columns(rows->front(), {"name", "kind", "aliases", "datum", "geometry"});
  if (!columns) return columns.status();
  const auto& col = *columns;

  std::vector<Entry> entries;
  std::set<std::string, std::less<>> keys;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    CITYOPS_RETURN_IF_ERROR(check_row_width(row, rows->front().size(), r));
    const auto fail = [r](std::string message, std::string field) {
      return row_error("invalid_gazetteer", r, std::move(message), std::move(field));
    };

    Entry entry;
    entry.name = std::string(trim(row[col[0]]));
    entry.kind = std::string(trim(row[col[1]]));
    if (entry.name.empty() || !is_valid_utf8(entry.name)) {
      return fail("a name is required, in UTF-8", "name");
    }
    if (!is_kind_word(entry.kind)) return fail("kind is a lower-case word such as road", "kind");
    if (!is_valid_utf8(row[col[2]])) return fail("aliases are not UTF-8", "aliases");
    for (const auto& alias : split_list(row[col[2]])) {
      if (!trim(alias).empty()) entry.aliases.emplace_back(trim(alias));
    }
    const auto datum = parse_datum(trim(row[col[3]]));
    if (!datum) return fail("datum is wgs84, gcj02, bd09 or cgcs2000", "datum");

    std::vector<LonLat> vertices;
    for (const auto& item : split_list(row[col[4]])) {
      const auto p = parse_position(item);
      if (!p) return fail(fmt::format("'{}' is not a position 'lon lat'", item), "geometry");
      vertices.push_back(convert(*p, *datum, Datum::kWgs84));
    }
    const bool road = entry.kind == "road";
    if (road && vertices.size() < 2) return fail("a road needs two or more vertices", "geometry");
    if (!road && vertices.size() != 1) return fail("a place is one position", "geometry");
    if (road) {
      entry.line = std::move(vertices);
      entry.point = point_along(entry.line, line_length_m(entry.line) / 2);
    } else {
      entry.point = vertices.front();
    }

    // A repeated name would make an address ambiguous in a way no rule could settle.
    std::vector<std::string_view> names{entry.name};
    names.insert(names.end(), entry.aliases.begin(), entry.aliases.end());
    for (const std::string_view key : names) {
      if (!keys.insert(fold_address(key)).second) {
        return fail(fmt::format("'{}' names an earlier row too", key), "name");
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace cityops::geo
