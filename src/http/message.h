// Requests and responses as the rest of the server sees them: plain values, no Boost.Beast
// types, so that only the transport includes the heavy network headers.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cityops::http {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // path and query as sent
  std::string path;                                          // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;
  std::string remote_address;

  // The first header with this lower-case name.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct Response;

// Hands a late answer to the transport, once, from any thread. The transport calls `make` on
// the connection's own thread and sends what it returns, so the caller's thread (the store's
// committer, say) does not spend its time encoding answers.
using Reply = std::function<void(std::function<Response()> make)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set when the answer comes later, after a write is durable: the transport calls it with a
  // Reply instead of sending this response, and the connection's thread is free meanwhile.
  std::function<void(Reply)> deferred;
};

using Handler = std::function<Response(Request&)>;

// Splits "a=1&b=x%20y" into decoded pairs; false when an escape is malformed.
bool parse_query(std::string_view query, std::vector<std::pair<std::string, std::string>>& out);
// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt when malformed.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace cityops::http
