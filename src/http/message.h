// Requests and responses as the rest of the server sees them: plain values, no Boost.Beast
// types, so that only the transport includes the heavy network headers.
#pragma once

#include <functional>
#include <memory>
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

// The sending end of a streamed answer (Server-Sent Events), usable from any thread. Chunks go
// out in the order they were sent.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues `chunk` after those sent before. False, and nothing queued, once the stream has
  // ended: the client went away, the server stopped, close() was called, or the client fell
  // so far behind that its queue passed the transport's bound (which ends the stream).
  virtual bool send(std::string chunk) = 0;
  virtual bool closed() const = 0;
  // Ends the stream; chunks not yet written are dropped.
  virtual void close() = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set when the answer comes later, after a write is durable: the transport calls it with a
  // Reply instead of sending this response, and the connection's thread is free meanwhile.
  std::function<void(Reply)> deferred;
  // Set for a streamed answer: the transport sends the status and headers without a length,
  // then calls this once with the sink the body goes through; the connection closes when the
  // stream ends. Unused for HEAD, which gets the headers alone.
  std::function<void(std::shared_ptr<StreamSink>)> stream = {};
};

using Handler = std::function<Response(Request&)>;

// Splits "a=1&b=x%20y" into decoded pairs; false when an escape is malformed.
bool parse_query(std::string_view query, std::vector<std::pair<std::string, std::string>>& out);
// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt when malformed.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace cityops::http
