// Streamed answers over a real socket: headers without a length, chunks in order from another
// thread, the end of the stream when the client goes, and a stop that does not wait for it.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <future>
#include <thread>

#include "http/server.h"

namespace cityops::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Reads from `socket` until `buffer` holds `text`; false on error (the server closed).
bool read_until(tcp::socket& socket, asio::streambuf& buffer, const std::string& text) {
  boost::system::error_code ec;
  asio::read_until(socket, buffer, text, ec);
  return !ec;
}

std::string contents(const asio::streambuf& buffer) {
  return {asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data())};
}

TEST(StreamedResponse, SendsChunksInOrderAndEndsWhenTheClientGoes) {
  std::promise<std::shared_ptr<StreamSink>> opened;
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  Server server(options, [&opened](Request&) {
    Response res{200, "text/event-stream", {}, {{"Cache-Control", "no-cache"}}, {}};
    res.stream = [&opened](std::shared_ptr<StreamSink> sink) { opened.set_value(sink); };
    return res;
  });
  const auto port = server.start();
  ASSERT_TRUE(port.is_ok());
  std::thread runner([&server] { server.run(); });

  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), *port});
  const std::string request = "GET /live HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(socket, asio::buffer(request));
  asio::streambuf buffer;
  ASSERT_TRUE(read_until(socket, buffer, "\r\n\r\n"));
  const std::string head = contents(buffer);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 OK\r\n")) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-cache\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;

  auto ready = opened.get_future();
  ASSERT_EQ(ready.wait_for(5s), std::future_status::ready);
  auto sink = ready.get();
  std::thread writer([sink] {
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(sink->send("chunk " + std::to_string(i) + "\n"));
  });
  writer.join();
  ASSERT_TRUE(read_until(socket, buffer, "chunk 99\n"));
  const std::string body = contents(buffer).substr(head.size());
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += "chunk " + std::to_string(i) + "\n";
  EXPECT_EQ(body, expected);

  // The client goes; the stream ends soon after.
  socket.close();
  for (int i = 0; i < 500 && !sink->closed(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(sink->closed());
  EXPECT_FALSE(sink->send("late\n"));

  server.stop();
  runner.join();
}

TEST(StreamedResponse, StopDoesNotWaitForOpenStreams) {
  std::promise<std::shared_ptr<StreamSink>> opened;
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  auto server = std::make_unique<Server>(options, [&opened](Request&) {
    Response res{200, "text/event-stream", {}, {}, {}};
    res.stream = [&opened](std::shared_ptr<StreamSink> sink) { opened.set_value(sink); };
    return res;
  });
  const auto port = server->start();
  ASSERT_TRUE(port.is_ok());
  auto finished = std::async(std::launch::async, [&server] { server->run(); });

  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), *port});
  asio::write(socket, asio::buffer(std::string("GET /live HTTP/1.1\r\nHost: x\r\n\r\n")));
  auto ready = opened.get_future();
  ASSERT_EQ(ready.wait_for(5s), std::future_status::ready);
  auto sink = ready.get();

  server->stop();
  EXPECT_EQ(finished.wait_for(5s), std::future_status::ready);
  server.reset();
  // The connection is gone with the server; the sink says so instead of queueing.
  EXPECT_FALSE(sink->send("after\n"));
  EXPECT_TRUE(sink->closed());
}

}  // namespace
}  // namespace cityops::http
