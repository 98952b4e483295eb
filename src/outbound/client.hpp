// The outbound HTTP/1.1 client: POSTs to http:// and https:// destinations, asynchronously on the
// caller's executor (the server's io_context; no thread per request).
//
// - TLS is verified against the system's CA certificates (set_default_verify_paths), with SNI
//   and host name verification; there is no switch to turn verification off.
// - Connections are reused per destination (host:port): a kept-alive connection goes back to a
//   small idle pool after its reply, and a request on a reused connection that the peer had
//   closed meanwhile is sent once more on a new one.
// - At most per_destination requests run at once per destination; more wait their turn, so one
//   slow receiver holds a bounded number of sockets and never delays the others.
// - Every request has one timeout for all of it (resolve, connect, TLS, write, read); a reply
//   larger than max_reply_bytes is a failure.
//
// Rejected: a thread (or a blocking library such as libcurl's easy interface) per request,
// which ties a thread to every slow receiver.
//
// Runs on one strand: call post() only from coroutines on `executor`, which must be a strand
// (or an io_context run by one thread). Not thread-safe otherwise.
#pragma once

#include "outbound/destination.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace corral::outbound {

struct Request {
  Destination to;
  std::string body;   // sent as application/json
  std::vector<std::pair<std::string, std::string>> headers;   // besides Host, Content-Type, User-Agent
};

struct Reply {
  int status = 0;                          // 0: no reply; `error` says why
  std::string body;
  std::optional<std::string> retry_after;  // the Retry-After header, as sent
  std::string error;                       // a transport failure (refused, timed out, TLS, ...)
  bool timed_out = false;                  // the timeout ran out waiting for the reply
};

struct ClientOptions {
  std::chrono::milliseconds timeout{10'000};
  std::size_t per_destination = 8;
  std::size_t idle_per_destination = 8;
  std::size_t max_reply_bytes = 1 << 20;
};

class Client {
 public:
  Client(boost::asio::any_io_executor executor, ClientOptions options);
  ~Client();
  Client(Client const&) = delete;
  Client& operator=(Client const&) = delete;

  boost::asio::awaitable<Reply> post(Request req);
  // Closes the idle connections; requests in flight finish.
  void close_idle();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::outbound
