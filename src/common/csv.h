// A small RFC 4180 reader for the project's reference files and for imported records.
//
// Accepts quoted fields with doubled quotes, commas and line breaks inside quotes, LF or CRLF
// line ends, and a UTF-8 byte-order mark at the start. Blank lines are skipped. When the caller
// allows comments, a line whose first character is '#' (outside any quoted field) is skipped;
// otherwise such a line is ordinary data, because imported files may legitimately start a
// field with '#'. Fields are returned verbatim: no trimming, no type conversion.
//
//   auto rows = parse_csv(text, /*allow_comments=*/true);
//   if (!rows) return rows.status();
//   auto columns = locate_columns(rows->front(), {"code", "name"});
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cityops {

using CsvRow = std::vector<std::string>;

// Every record of `text`, the header (if any) included. Errors have code "malformed_csv" and
// say on which line: an unterminated quoted field, a quote inside an unquoted field, or text
// after a closing quote.
Result<std::vector<CsvRow>> parse_csv(std::string_view text, bool allow_comments);

// The position of each of `names` in `header`, in the order asked. Fails with code
// "missing_column" (field = the absent name) or "duplicate_column" when a requested name
// appears twice in the header.
Result<std::vector<size_t>> locate_columns(const CsvRow& header,
                                           std::initializer_list<std::string_view> names);

// Checks that data row `row_number` (1-based, header not counted) has exactly `width` fields,
// so that a row with a stray comma or a missing field is refused rather than misread.
Status check_row_width(const CsvRow& row, size_t width, size_t row_number);

// Splits a ';'-separated cell ("a;b;;c") into its non-empty items.
std::vector<std::string> split_list(std::string_view text);

// An invalid-argument status whose message starts with the data row number.
Status row_error(std::string code, size_t row, std::string message, std::string field);

}  // namespace cityops
