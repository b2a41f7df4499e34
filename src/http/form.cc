#include "http/form.h"

#include <iterator>

#include "http/message.h"

namespace cityops::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// RFC 2046 caps a boundary at 70 characters; anything longer is not a MIME boundary.
constexpr size_t kMaxBoundary = 70;

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// "multipart/form-data; boundary=x" -> "multipart/form-data".
std::string_view media_type(std::string_view header_value) {
  return trim(header_value.substr(0, header_value.find(';')));
}

Status malformed(std::string message) { return invalid("malformed_multipart", std::move(message)); }

std::string part_label(size_t index) { return "part " + std::to_string(index + 1); }

// filename*=UTF-8''%E5%9D%91.jpg (RFC 5987), as Python's email package writes non-ASCII names.
// Other charsets are ignored rather than guessed at.
std::optional<std::string> extended_filename(std::string_view disposition) {
  const auto value = header_parameter(disposition, "filename*");
  if (!value) return std::nullopt;
  const size_t charset_end = value->find('\'');
  if (charset_end == std::string::npos) return std::nullopt;
  const size_t language_end = value->find('\'', charset_end + 1);
  if (language_end == std::string::npos) return std::nullopt;
  if (!iequals(std::string_view(*value).substr(0, charset_end), "utf-8")) return std::nullopt;
  return percent_decode(std::string_view(*value).substr(language_end + 1), false);
}

Status read_part_headers(std::string_view headers, size_t index, FormPart& part,
                         std::optional<std::string_view>& disposition) {
  while (!headers.empty()) {
    const size_t end = headers.find(kCrlf);
    const std::string_view line = headers.substr(0, end);
    headers = end == std::string_view::npos ? std::string_view{} : headers.substr(end + 2);

    // Folded (obsolete) header lines have no colon either; no form encoder writes them.
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return malformed(part_label(index) + " has a header line without a colon");
    }
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      if (!disposition) disposition = value;
    } else if (iequals(name, "content-type")) {
      if (!value.empty()) part.content_type = std::string(value);
    } else if (iequals(name, "content-transfer-encoding")) {
      if (!iequals(value, "binary") && !iequals(value, "8bit") && !iequals(value, "7bit")) {
        return malformed(part_label(index) + " uses Content-Transfer-Encoding " +
                         std::string(value) + ", which is not supported");
      }
    }
  }
  return Status::ok();
}

// One part: its header block, the blank line, then its data up to the next delimiter.
Result<FormPart> parse_part(std::string_view segment, size_t index) {
  std::string_view headers;
  std::string_view data;
  if (segment.starts_with(kCrlf)) {
    data = segment.substr(2);
  } else {
    const size_t blank = segment.find("\r\n\r\n");
    if (blank == std::string_view::npos) {
      return malformed(part_label(index) + " has no blank line after its headers");
    }
    headers = segment.substr(0, blank);
    data = segment.substr(blank + 4);
  }

  FormPart part;
  part.content_type = "text/plain";
  std::optional<std::string_view> disposition;
  CITYOPS_RETURN_IF_ERROR(read_part_headers(headers, index, part, disposition));
  if (!disposition || !iequals(media_type(*disposition), "form-data")) {
    return malformed(part_label(index) + " has no Content-Disposition: form-data header");
  }
  auto name = header_parameter(*disposition, "name");
  if (!name || name->empty()) {
    return malformed(part_label(index) + " has no name in its Content-Disposition");
  }
  part.name = std::move(*name);
  part.filename = extended_filename(*disposition);
  if (!part.filename) part.filename = header_parameter(*disposition, "filename");
  part.data = std::string(data);
  return part;
}

}  // namespace

bool is_form_content_type(std::string_view content_type) {
  return iequals(media_type(content_type), "application/x-www-form-urlencoded");
}

bool is_multipart(std::string_view content_type) {
  return iequals(media_type(content_type), "multipart/form-data");
}

bool parse_urlencoded_form(std::string_view body,
                           std::vector<std::pair<std::string, std::string>>& out) {
  // A form body is a query string by another name; parse apart so a failure leaves `out` whole.
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!parse_query(body, pairs)) return false;
  out.insert(out.end(), std::make_move_iterator(pairs.begin()),
             std::make_move_iterator(pairs.end()));
  return true;
}

std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name) {
  // The first segment is the type ("form-data", "multipart/form-data"), never a parameter.
  size_t i = header_value.find(';');
  while (i < header_value.size()) {
    ++i;
    const size_t name_start = i;
    while (i < header_value.size() && header_value[i] != '=' && header_value[i] != ';') ++i;
    const std::string_view key = trim(header_value.substr(name_start, i - name_start));
    if (i >= header_value.size() || header_value[i] == ';') continue;  // no value at all

    ++i;
    while (i < header_value.size() && is_space(header_value[i])) ++i;
    std::string value;
    if (i < header_value.size() && header_value[i] == '"') {
      bool closed = false;
      for (++i; i < header_value.size(); ++i) {
        const char c = header_value[i];
        const char after = i + 1 < header_value.size() ? header_value[i + 1] : '\0';
        if (c == '\\' && (after == '"' || after == '\\')) {
          value.push_back(after);
          ++i;
        } else if (c == '"') {
          closed = true;
          ++i;
          break;
        } else {
          value.push_back(c);
        }
      }
      // Past an unclosed quote nothing can be told apart, this parameter or any later one.
      if (!closed) return std::nullopt;
      i = header_value.find(';', i);
    } else {
      const size_t end = header_value.find(';', i);
      value = std::string(trim(header_value.substr(i, end - i)));
      i = end;
    }
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type_header,
                                              std::string_view body) {
  if (!is_multipart(content_type_header)) {
    return Status(
        ErrorKind::kUnsupportedMedia, "unsupported_media_type",
        "expected multipart/form-data, not '" + std::string(media_type(content_type_header)) + "'");
  }
  const auto boundary = header_parameter(content_type_header, "boundary");
  if (!boundary || boundary->empty()) {
    return malformed("the Content-Type has no boundary parameter");
  }
  if (boundary->size() > kMaxBoundary) return malformed("the boundary is over 70 characters");
  const std::string dash_boundary = "--" + *boundary;
  const std::string delimiter = std::string(kCrlf) + dash_boundary;

  // The first delimiter opens the body or follows a preamble line.
  size_t pos = 0;
  if (body.starts_with(dash_boundary)) {
    pos = dash_boundary.size();
  } else {
    const size_t first = body.find(delimiter);
    if (first == std::string_view::npos) return malformed("the body has no --boundary line");
    pos = first + delimiter.size();
  }

  std::vector<FormPart> parts;
  while (true) {
    // `pos` is just past a boundary: "--" closes the body, else padding and CRLF open a part.
    const std::string_view rest = body.substr(pos);
    if (rest.starts_with("--")) return parts;
    size_t padding = 0;
    while (padding < rest.size() && is_space(rest[padding])) ++padding;
    if (padding == rest.size()) return malformed("the body ends before the closing --boundary--");
    if (!rest.substr(padding).starts_with(kCrlf)) {
      return malformed("a --boundary line has other text after the boundary");
    }

    const size_t part_start = pos + padding + kCrlf.size();
    const size_t part_end = body.find(delimiter, part_start);
    if (part_end == std::string_view::npos) {
      return malformed("the body ends before the closing --boundary--");
    }
    if (parts.size() == kMaxFormParts) {
      return Status(ErrorKind::kPayloadTooLarge, "too_many_parts",
                    "a form has at most " + std::to_string(kMaxFormParts) + " parts");
    }
    auto part = parse_part(body.substr(part_start, part_end - part_start), parts.size());
    if (!part) return part.status();
    parts.push_back(std::move(part).value());
    pos = part_end + delimiter.size();
  }
}

}  // namespace cityops::http
