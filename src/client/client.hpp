// A small blocking HTTP/1.1 client for Corral's API, with keep-alive. Used by the CLI and by the
// integration tests, so both speak to the server exactly as any user's program would; jobs.hpp
// puts typed calls on top of it, worker.hpp a worker.
//
// "https://" URLs speak TLS, the peer checked against the system's CA store (or Options::ca_file)
// and the URL's host name (net/tls_context.hpp); a bearer token, if given, goes with every request.
//
//   client::Client client("https://corral.internal:7878", {.token = "s3cret"});
//   auto reply = client.get("/api/v1/queues");
//
// Not thread-safe: one Client per thread (cancel() excepted).
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::client {

struct Response {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;   // lower-case names
  // The body parsed as JSON, at any depth a server sends (wire::parse_reply); null if it is not JSON.
  boost::json::value json() const;
};

struct Options {
  // The longest any one read or write of a request may take (a long-poll's wait included).
  std::chrono::milliseconds timeout = std::chrono::seconds(90);
  // Sent as "Authorization: Bearer TOKEN" with every request; empty: no Authorization header.
  std::string token;
  // https only: a PEM file of the CA certificates to trust instead of the system's store (a
  // private CA); empty: the system's store.
  std::string ca_file;
};

class Client {
 public:
  // base_url: "http://HOST[:PORT][/PREFIX]" or "https://..." (a trailing slash is fine); ports
  // default to 80 and 443. Throws std::invalid_argument for any other URL, and std::runtime_error
  // if options.ca_file cannot be read.
  Client(std::string base_url, Options options);
  explicit Client(std::string base_url, std::chrono::milliseconds timeout = std::chrono::seconds(90));
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  // Throws std::runtime_error when the server cannot be reached, the connection breaks (after one
  // reconnect attempt for a keep-alive connection the server closed), or, for https, the TLS
  // handshake fails (the message says why: "certificate verify failed: ...").
  // `headers` go with this request only (e.g. Prefer: return=minimal).
  Response request(std::string const& method, std::string const& target, std::string const& body = "",
                   std::string const& content_type = "application/json",
                   std::map<std::string, std::string> const& headers = {});
  Response get(std::string const& target) { return request("GET", target); }
  Response post(std::string const& target, boost::json::value const& body,
                std::map<std::string, std::string> const& headers = {});
  Response post(std::string const& target) { return request("POST", target, ""); }
  Response del(std::string const& target) { return request("DELETE", target); }

  // Options::timeout: the longest a request may wait for its reply.
  std::chrono::milliseconds timeout() const;

  // Sends header `name: value` with every request from now on (e.g. a W3C traceparent).
  void add_header(std::string name, std::string value);
  // GET `target` with `headers` added, for a reply that streams (Server-Sent Events): a 200's body
  // goes to `on_bytes` piece by piece as it arrives, until the server ends it; the Response then
  // has an empty body. Any other status comes back whole, as request() returns it. Throws
  // std::runtime_error when the server cannot be reached, the connection breaks, or nothing at all
  // arrives for the client's timeout; whatever `on_bytes` throws passes through.
  Response stream(std::string const& target, std::map<std::string, std::string> const& headers,
                  std::function<void(std::string_view)> const& on_bytes);

  // Thread-safe, unlike the rest: makes the request in progress, and every later one, throw
  // std::runtime_error at once. Lets a worker shutting down end a long-poll fetch without waiting.
  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Called with every reply any Client receives, as it is returned (a stream's 200 as soon as its
// head arrives, with an empty body), for tests that record what the server said. None by
// default. Called on the thread that made the request; thread-safe to set.
using ReplyObserver = void (*)(std::string_view method, std::string_view target, Response const& reply);
void set_reply_observer(ReplyObserver observer);

}  // namespace corral::client
