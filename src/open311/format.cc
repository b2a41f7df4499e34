#include "open311/format.h"

#include <fmt/format.h>

#include <map>

#include "api/problem.h"
#include "common/utf8.h"

namespace cityops::open311 {

namespace {

// The element name of one item of a list element.
std::string singular(std::string_view plural) {
  static const std::map<std::string_view, std::string_view> kNames = {
      {"services", "service"},
      {"service_requests", "request"},
      {"attributes", "attribute"},
      {"values", "value"},
      {"endpoints", "endpoint"},
      {"formats", "format"},
      {"errors", "error"},
      {"notes", "note"},
      {"service_request_updates", "request_update"},
      {"media_urls", "media_url"},
  };
  const auto it = kNames.find(plural);
  if (it != kNames.end()) return std::string(it->second);
  return "item";
}

void write_value(std::string& out, std::string_view name, const Document& value) {
  if (value.is_null()) {
    fmt::format_to(std::back_inserter(out), "<{}/>", name);
    return;
  }
  fmt::format_to(std::back_inserter(out), "<{}>", name);
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) write_value(out, key, child);
  } else if (value.is_array()) {
    const std::string item = singular(name);
    for (const auto& child : value) write_value(out, item, child);
  } else if (value.is_string()) {
    out += xml_escape(value.get_ref<const std::string&>());
  } else {
    // Numbers and booleans print as JSON prints them: shortest round-trip form, true/false.
    out += value.dump();
  }
  fmt::format_to(std::back_inserter(out), "</{}>", name);
}

}  // namespace

std::optional<std::pair<std::string, Format>> split_format(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto suffix = name.substr(dot + 1);
  const std::string base(name.substr(0, dot));
  if (suffix == "xml") return std::make_pair(base, Format::kXml);
  if (suffix == "json") return std::make_pair(base, Format::kJson);
  return std::nullopt;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // A multi-byte character is copied whole. Bytes that do not form UTF-8 (a client's
    // malformed escape echoed in an error) would make the whole answer unreadable, and U+FFFE
    // and U+FFFF are not XML characters: each becomes U+FFFD.
    const auto lead = static_cast<unsigned char>(c);
    if (lead >= 0x80) {
      const size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      const std::string_view sequence = text.substr(i, n);
      const bool valid = n > 1 && sequence.size() == n && is_valid_utf8(sequence);
      const bool nonchar = sequence == "\xEF\xBF\xBE" || sequence == "\xEF\xBF\xBF";
      if (valid && !nonchar) {
        out += sequence;
        i += n - 1;
      } else {
        out += "\xEF\xBF\xBD";
        if (valid) i += n - 1;
      }
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        // A parser turns a raw CR LF into LF; the reference keeps the text as it was sent.
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

bool is_xml_text(std::string_view text) {
  if (!is_valid_utf8(text)) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    if (c == 0x7F) return false;
    if (c == 0xEF && i + 2 < text.size() && text[i + 1] == '\xBF' &&
        (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      return false;
    }
  }
  return true;
}

std::string to_xml(std::string_view root, const Document& document) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  write_value(out, root, document);
  out += '\n';
  return out;
}

http::Response render(Format format, int status, std::string_view root, const Document& body) {
  http::Response res;
  res.status = status;
  if (format == Format::kXml) {
    res.content_type = "text/xml; charset=utf-8";
    res.body = to_xml(root, body);
  } else {
    res.content_type = "application/json; charset=utf-8";
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return res;
}

int open311_status(const Status& error) {
  // Open311 clients know 400 for anything wrong with the request; 422 is not in their world.
  const int status = api::http_status_of(error.kind());
  return status == 422 ? 400 : status;
}

http::Response render_error(Format format, const Status& error) {
  const int status = open311_status(error);
  Document item = {{"code", status}, {"description", error.message()}};
  item["error"] = error.code();
  if (!error.field().empty()) item["field"] = error.field();
  auto res = render(format, status, "errors", Document::array({item}));
  return res;
}

}  // namespace cityops::open311
