#include "http/server.h"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <thread>
#include <vector>

namespace cityops::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string new_request_id() {
  unsigned char bytes[8];
  randombytes_buf(bytes, sizeof bytes);
  std::string id;
  for (unsigned char b : bytes) id += fmt::format("{:02x}", b);
  return id;
}

bool acceptable_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// For answers the transport makes itself; the texts are the server's own, never escaped.
std::string problem_body(int status, std::string_view code, std::string_view title,
                         std::string_view request_id = {}) {
  if (request_id.empty()) {
    return fmt::format(R"({{"type":"about:blank","status":{},"code":"{}","title":"{}"}})", status,
                       code, title);
  }
  return fmt::format(
      R"({{"type":"about:blank","status":{},"code":"{}","title":"{}","request_id":"{}"}})", status,
      code, title, request_id);
}

Request to_request(bhttp::request<bhttp::string_body>&& raw, const std::string& remote) {
  Request req;
  req.method = std::string(raw.method_string());
  req.target = std::string(raw.target());
  for (const auto& field : raw) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  req.body = std::move(raw.body());
  req.remote_address = remote;
  const auto client_id = req.header("x-request-id");
  req.request_id =
      client_id && acceptable_request_id(*client_id) ? std::string(*client_id) : new_request_id();
  return req;
}

class Session;

// The sink of one streamed answer. It holds the session weakly, so a stream the server has
// dropped ends instead of keeping the connection alive.
class SessionSink final : public StreamSink {
 public:
  SessionSink(std::weak_ptr<Session> session, size_t limit)
      : session_(std::move(session)), limit_(limit) {}
  bool send(std::string chunk) override;
  bool closed() const override { return closed_.load(); }
  void close() override;

  // Called on the session's strand as chunks leave.
  void written(size_t bytes) { queued_.fetch_sub(bytes); }
  void mark_closed() { closed_.store(true); }

 private:
  std::weak_ptr<Session> session_;
  const size_t limit_;
  std::atomic<bool> closed_{false};
  std::atomic<size_t> queued_{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options, const Handler& handler)
      : stream_(std::move(socket)), options_(options), handler_(handler) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    parser_.emplace();
    // The parser refuses a declared length above its limit as soon as the header is in, so it
    // starts with the larger limit; on_header then applies the one the target has.
    limit_ = std::max(options_.body_limit, options_.upload_limit);
    parser_->body_limit(limit_);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, size_t bytes) {
    if (ec) return on_read(ec, bytes);
    const auto target = parser_->get().target();
    const std::string_view path(target.data(), target.size());
    const bool upload =
        std::any_of(options_.upload_prefixes.begin(), options_.upload_prefixes.end(),
                    [&](const std::string& prefix) { return path.starts_with(prefix); });
    limit_ = upload ? options_.upload_limit : options_.body_limit;
    if (parser_->content_length() && *parser_->content_length() > limit_) {
      return on_read(bhttp::error::body_limit, bytes);
    }
    parser_->body_limit(limit_);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == bhttp::error::body_limit) {
      return write_error(413, "payload_too_large",
                         fmt::format("request body exceeds {} bytes", limit_));
    }
    if (ec) return write_error(400, "bad_http_request", ec.message());

    auto raw = parser_->release();
    const bool keep_alive = raw.keep_alive();
    const unsigned version = raw.version();
    Request req = to_request(std::move(raw), remote_);
    const bool head = req.method == "HEAD";
    Response res = guarded(req.request_id, [&] { return handler_(req); });
    if (res.stream) return start_stream(std::move(res), req.request_id, version, head);
    if (!res.deferred) return write(std::move(res), req.request_id, keep_alive, version, head);

    // The answer comes later; no other request is read on this connection until it has gone.
    auto start = std::move(res.deferred);
    auto reply = [self = shared_from_this(), id = req.request_id, keep_alive, version,
                  head](std::function<Response()> make) {
      asio::post(self->stream_.get_executor(),
                 [self, make = std::move(make), id, keep_alive, version, head] {
                   self->write(self->guarded(id, make), id, keep_alive, version, head);
                 });
    };
    try {
      start(std::move(reply));
    } catch (const std::exception& e) {
      spdlog::error("request_id={} unhandled exception: {}", req.request_id, e.what());
      write(internal_error_response(), req.request_id, keep_alive, version, head);
    }
  }

  static Response internal_error_response() {
    return {
        500, "application/problem+json", problem_body(500, "internal", "internal error"), {}, {}};
  }

  // Runs a handler; one must not throw, but if one does the client still gets an answer.
  template <typename F>
  Response guarded(const std::string& request_id, F&& make) {
    try {
      return make();
    } catch (const std::exception& e) {
      spdlog::error("request_id={} unhandled exception: {}", request_id, e.what());
      return internal_error_response();
    }
  }

  void write_error(int status, std::string_view code, const std::string& title) {
    // The header is read even when the body is refused, so the client's id can still be kept.
    std::string id = new_request_id();
    if (parser_) {
      const auto field = parser_->get()["X-Request-Id"];
      const std::string_view sent(field.data(), field.size());
      if (acceptable_request_id(sent)) id = std::string(sent);
    }
    Response res{status, "application/problem+json", problem_body(status, code, title, id), {}, {}};
    write(std::move(res), id, false, 11);
  }

  void write(Response res, const std::string& request_id, bool keep_alive, unsigned version,
             bool head = false) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(res.status), version);
    msg->set(bhttp::field::server, "cityops");
    // A 204 has no body and so no content type.
    if (!res.content_type.empty()) msg->set(bhttp::field::content_type, res.content_type);
    msg->set("X-Request-Id", request_id);
    for (const auto& [name, value] : res.headers) msg->set(name, value);
    msg->body() = std::move(res.body);
    msg->keep_alive(keep_alive);
    msg->prepare_payload();
    if (head) {
      // A HEAD answer states the length a GET would send, and sends nothing.
      const auto length = msg->body().size();
      msg->body().clear();
      msg->content_length(length);
    }
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg](beast::error_code ec, size_t) {
                         if (ec || !msg->keep_alive()) return self->close();
                         self->do_read();
                       });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

 public:
  // Streamed answers. Everything below runs on the session's strand.
  void push(std::string chunk) {
    if (!sink_ || sink_->closed()) return;
    out_.push_back(std::move(chunk));
    if (out_.size() == 1) write_next();
  }

  void end_stream() {
    // The chunk being written stays in out_ until its write completes (as cancelled).
    if (sink_) sink_->mark_closed();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  auto executor() { return stream_.get_executor(); }

 private:
  void start_stream(Response res, const std::string& request_id, unsigned version, bool head) {
    auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>(
        static_cast<bhttp::status>(res.status), version);
    msg->set(bhttp::field::server, "cityops");
    msg->set(bhttp::field::content_type, res.content_type);
    msg->set("X-Request-Id", request_id);
    for (const auto& [name, value] : res.headers) msg->set(name, value);
    // No length and no chunking: the body ends when the connection closes.
    msg->keep_alive(false);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*msg);
    stream_.expires_never();
    bhttp::async_write_header(stream_, *serializer,
                              [self = shared_from_this(), msg, serializer,
                               start = std::move(res.stream), head](beast::error_code ec, size_t) {
                                if (ec || head) return self->end_stream();
                                self->sink_ = std::make_shared<SessionSink>(
                                    self, self->options_.stream_queue_limit);
                                self->watch_peer();
                                try {
                                  start(self->sink_);
                                } catch (const std::exception& e) {
                                  spdlog::error("stream start failed: {}", e.what());
                                  self->end_stream();
                                }
                              });
  }

  // A client sends nothing more on a stream; a read that ends means it has gone.
  void watch_peer() {
    stream_.async_read_some(buffer_.prepare(512),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->end_stream();
                              self->watch_peer();
                            });
  }

  void write_next() {
    asio::async_write(stream_, asio::buffer(out_.front()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->end_stream();
                        self->sink_->written(self->out_.front().size());
                        self->out_.pop_front();
                        if (!self->out_.empty() && !self->sink_->closed()) self->write_next();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  size_t limit_ = 0;  // the body limit of the request being read
  const ServerOptions& options_;
  const Handler& handler_;
  std::string remote_;
  std::shared_ptr<SessionSink> sink_;  // set while streaming
  std::deque<std::string> out_;        // chunks not yet written, the first being written
};

bool SessionSink::send(std::string chunk) {
  if (closed_.load()) return false;
  auto session = session_.lock();
  if (!session) {
    closed_.store(true);
    return false;
  }
  if (queued_.fetch_add(chunk.size()) + chunk.size() > limit_) {
    spdlog::warn("stream dropped: the client is more than {} bytes behind", limit_);
    close();
    return false;
  }
  auto executor = session->executor();
  asio::post(executor, [session = std::move(session), chunk = std::move(chunk)]() mutable {
    session->push(std::move(chunk));
  });
  return true;
}

void SessionSink::close() {
  closed_.store(true);
  if (auto session = session_.lock()) {
    auto executor = session->executor();
    asio::post(executor, [session = std::move(session)] { session->end_stream(); });
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions opts, Handler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        io(options.threads),
        acceptor(asio::make_strand(io)) {}

  void do_accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Session>(std::move(s), options, handler)->start();
      if (!ec || ec != asio::error::bad_descriptor) do_accept();
    });
  }

  ServerOptions options;
  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { stop(); }

Result<uint16_t> Server::start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) {
    return invalid("bad_listen_address", "cannot parse address " + impl_->options.address,
                   "listen");
  }
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(ErrorKind::kUnavailable, "listen_failed",
                  fmt::format("cannot listen on {}:{}: {}", impl_->options.address,
                              impl_->options.port, ec.message()));
  }
  impl_->do_accept();
  return acceptor.local_endpoint().port();
}

void Server::run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i) {
    threads.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  for (auto& t : threads) t.join();
}

void Server::stop() { impl_->io.stop(); }

}  // namespace cityops::http
