// The two wire formats of GeoReport v2. A document is built once as ordered JSON and written
// as JSON or as XML; the XML form follows the specification's element names (a list "services"
// holds "service" elements, "service_requests" holds "request", and so on).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/message.h"

namespace cityops::open311 {

using Document = nlohmann::ordered_json;

enum class Format { kXml, kJson };

// Splits "requests.xml" into "requests" and the format; nullopt without a known suffix.
std::optional<std::pair<std::string, Format>> split_format(std::string_view name);

// Escapes text for an XML element or attribute: & < > " ' and carriage returns as entities;
// the characters XML 1.0 forbids (controls below U+0020 but tab, LF and CR; U+FFFE, U+FFFF)
// become U+FFFD.
std::string xml_escape(std::string_view text);

// True when `text` is UTF-8 that XML 1.0 can carry as it is: no control characters but tab,
// LF and CR, no U+FFFE or U+FFFF. Partners' text is checked with this on the way in.
bool is_xml_text(std::string_view text);

// The document as XML under `root`; a top-level array's items take the singular of `root`.
std::string to_xml(std::string_view root, const Document& document);

// "text/xml; charset=utf-8" or "application/json; charset=utf-8", with the body.
http::Response render(Format format, int status, std::string_view root, const Document& body);

// The specification's error list: [{"code": 400, "description": ...}], plus the machine code
// and field of `error` for clients that want them.
http::Response render_error(Format format, const Status& error);
// The HTTP status an Open311 client expects for an error: 400, 403, 404, 409, 413, 415, 429,
// 500 or 503.
int open311_status(const Status& error);

}  // namespace cityops::open311
