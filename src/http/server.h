// The HTTP/1.1 transport on Boost.Beast.
//
// Reads each request with a body limit and a deadline, gives it a request id (the client's
// X-Request-Id when it is short and printable, else a new one), hands it to the handler and
// writes the answer with the id echoed. Keep-alive is honoured. Handlers run on the I/O
// threads and may block briefly (reads); one that waits longer (for a durable write) answers
// with Response::deferred and is sent when it replies, the I/O thread free meanwhile. A
// Response::stream answer stays open, its body pushed in chunks through a StreamSink, until
// either side ends it; stop() does not wait for open streams.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/message.h"

namespace cityops::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 4;
  size_t body_limit = 1 << 20;
  // Requests whose target starts with one of `upload_prefixes` may carry bodies up to
  // `upload_limit` instead: photos are larger than any other body.
  std::vector<std::string> upload_prefixes;
  size_t upload_limit = 1 << 20;
  int read_timeout_seconds = 30;
  // A streamed answer whose unsent chunks pass this many bytes is ended: a client that does
  // not read must not hold the server's memory.
  size_t stream_queue_limit = 1 << 20;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the port actually bound.
  Result<uint16_t> start();
  // Serves on the configured threads until stop(); returns when they have all finished.
  void run();
  // Safe from any thread, including a signal-handling one.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cityops::http
