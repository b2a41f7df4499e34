// HTML form bodies: application/x-www-form-urlencoded and multipart/form-data (RFC 7578).
//
// Both parsers only split and decode; what a field name such as "attribute[color][]" means is
// the caller's business. A typical handler:
//
//   const auto type = request.header("content-type").value_or("");
//   if (is_multipart(type)) {
//     auto parts = parse_multipart(type, request.body);
//     if (!parts) return problem(parts.status());
//     ...
//   }
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace cityops::http {

// True for "application/x-www-form-urlencoded", in any letter case, whatever its parameters.
bool is_form_content_type(std::string_view content_type);
// True for "multipart/form-data", in any letter case, whatever its parameters.
bool is_multipart(std::string_view content_type);

// Appends the decoded name/value pairs of an urlencoded body to `out`, in order: '+' is a space,
// %XX escapes are decoded, empty pairs ("a=1&&b=2") are skipped and a name without '=' gets an
// empty value. Returns false, leaving `out` as it was, when an escape is malformed.
bool parse_urlencoded_form(std::string_view body,
                           std::vector<std::pair<std::string, std::string>>& out);

// The value of parameter `name` (any letter case) in a header value such as
// `form-data; name="media"; filename="a \"b\".jpg"`, with the quotes removed and a backslash
// before '"' or another backslash dropped. Any other backslash is kept, so that a Windows path
// sent by an old browser survives. Nullopt when the parameter is absent or its quoted string
// is not closed.
std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name);

struct FormPart {
  std::string name;
  // As sent: browsers write '"' as %22 and never escape '%', so no percent-decoding is safe
  // here. A filename*=UTF-8''... parameter (RFC 5987) is decoded and preferred.
  std::optional<std::string> filename;
  // The part's Content-Type with its parameters, or "text/plain" when it has none.
  std::string content_type;
  // The bytes exactly as sent, NUL bytes and line breaks included.
  std::string data;
};

// More parts than this is refused before they are all read.
inline constexpr size_t kMaxFormParts = 100;

// Splits a multipart/form-data body into its parts, in order. The boundary comes from the
// `boundary` parameter of `content_type_header` (quoted or not, 1 to 70 characters). The
// preamble before the first delimiter and the epilogue after the closing one are ignored.
//
// Errors:
//   kUnsupportedMedia "unsupported_media_type"  the header is not multipart/form-data
//   kPayloadTooLarge "too_many_parts"           more than kMaxFormParts parts
//   kInvalidArgument "malformed_multipart"      anything else, with a message naming what: no
//       boundary, no delimiter, no closing delimiter, a part without the blank line after its
//       headers, a header line without a colon, a part without Content-Disposition form-data
//       or without a name, or a Content-Transfer-Encoding other than 7bit/8bit/binary
//       (RFC 7578 deprecates it, and keeping base64 text as the data would be wrong).
Result<std::vector<FormPart>> parse_multipart(std::string_view content_type_header,
                                              std::string_view body);

}  // namespace cityops::http
