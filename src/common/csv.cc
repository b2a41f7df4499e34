#include "common/csv.h"

#include <fmt/format.h>

namespace cityops {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

Status malformed(size_t line, std::string_view what) {
  return invalid("malformed_csv", fmt::format("line {}: {}", line, what));
}

// A row made of one empty field comes from a blank line; such lines carry no record.
bool is_blank(const CsvRow& row) { return row.size() == 1 && row.front().empty(); }

}  // namespace

Result<std::vector<CsvRow>> parse_csv(std::string_view text, bool allow_comments) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  size_t line = 1;
  size_t i = 0;
  const size_t n = text.size();

  auto end_record = [&] {
    row.push_back(std::move(field));
    field.clear();
    if (!is_blank(row)) rows.push_back(std::move(row));
    row.clear();
  };

  while (i < n) {
    // At the start of a record: maybe a comment line.
    if (allow_comments && row.empty() && field.empty() && text[i] == '#') {
      while (i < n && text[i] != '\n') ++i;
      if (i < n) ++i;
      ++line;
      continue;
    }

    // One field per iteration, quoted or not, ending at a comma or a line end.
    if (text[i] == '"') {
      const size_t opened_on = line;
      ++i;
      while (true) {
        if (i >= n) return malformed(opened_on, "quoted field is never closed");
        const char c = text[i++];
        if (c == '"') {
          if (i < n && text[i] == '"') {
            field.push_back('"');
            ++i;
            continue;
          }
          break;
        }
        if (c == '\n') ++line;
        field.push_back(c);
      }
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return malformed(line, "text after a closing quote");
      }
    } else {
      while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') return malformed(line, "quote inside an unquoted field");
        field.push_back(text[i++]);
      }
    }

    if (i >= n) {
      end_record();
      break;
    }
    if (text[i] == ',') {
      row.push_back(std::move(field));
      field.clear();
      ++i;
      // A comma as the very last character still ends the record with one empty field.
      if (i >= n) end_record();
      continue;
    }
    if (text[i] == '\r') {
      ++i;
      if (i >= n || text[i] != '\n') return malformed(line, "bare carriage return");
    }
    ++i;
    ++line;
    end_record();
  }

  return rows;
}

Result<std::vector<size_t>> locate_columns(const CsvRow& header,
                                           std::initializer_list<std::string_view> names) {
  std::vector<size_t> positions;
  positions.reserve(names.size());
  for (const std::string_view name : names) {
    size_t found = header.size();
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] != name) continue;
      if (found != header.size()) {
        return invalid("duplicate_column", fmt::format("column '{}' appears twice", name),
                       std::string(name));
      }
      found = i;
    }
    if (found == header.size()) {
      return invalid("missing_column", fmt::format("the header has no column '{}'", name),
                     std::string(name));
    }
    positions.push_back(found);
  }
  return positions;
}

Status check_row_width(const CsvRow& row, size_t width, size_t row_number) {
  if (row.size() == width) return Status::ok();
  return invalid("bad_row_width", fmt::format("row {} has {} fields, the header has {}", row_number,
                                              row.size(), width));
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t end = std::min(text.find(';'), text.size());
    if (end > 0) out.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

Status row_error(std::string code, size_t row, std::string message, std::string field) {
  return invalid(std::move(code), fmt::format("row {}: {}", row, message), std::move(field));
}

}  // namespace cityops
