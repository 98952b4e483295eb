// Blocking HTTP/1.1 over one keep-alive connection. Each request runs Beast's asynchronous
// operations on a private io_context until they finish, because tcp_stream's expires_after
// timeouts apply only to asynchronous operations; the caller still sees a plain blocking call.
// An https connection is an ssl_stream over the same tcp_stream, made anew for each connection
// (a TLS session's state does not outlive its socket); every operation is written once, for
// either stream, through with_stream().
#include "client/client.hpp"

#include "net/tls_context.hpp"
#include "wire/json_text.hpp"
#include "wire/reply_json.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <atomic>
#include <cctype>
#include <stdexcept>

namespace corral::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

// Replies are bounded by the server (a list of 1000 jobs with large payloads can pass 8 MiB,
// Beast's default), so this only guards against a runaway peer.
constexpr std::uint64_t kMaxResponseBytes = 256u << 20;

std::atomic<ReplyObserver> reply_observer{nullptr};

void observe(std::string_view method, std::string_view target, Response const& reply) {
  if (auto observer = reply_observer.load(std::memory_order_acquire)) observer(method, target, reply);
}

struct Endpoint {
  bool tls = false;
  std::string host, port, path_prefix;
};

// "http[s]://HOST[:PORT][/PREFIX][/]"; "[::1]" for IPv6 hosts.
Endpoint parse_base_url(std::string const& url) {
  Endpoint ep;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    ep.tls = true;
  } else {
    throw std::invalid_argument("server URL must start with http:// or https://: " + url);
  }
  auto slash = rest.find('/');
  if (slash != std::string::npos) {
    ep.path_prefix = rest.substr(slash);
    rest.resize(slash);
    while (!ep.path_prefix.empty() && ep.path_prefix.back() == '/') ep.path_prefix.pop_back();
  }
  auto colon = rest.rfind(':');
  bool bracketed = !rest.empty() && rest.front() == '[';
  if (colon != std::string::npos && (!bracketed || colon > rest.find(']'))) {
    ep.port = rest.substr(colon + 1);
    rest.resize(colon);
  } else {
    ep.port = ep.tls ? "443" : "80";
  }
  if (bracketed && rest.size() >= 2 && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
  ep.host = rest;
  bool port_ok = !ep.port.empty() && ep.port.size() <= 5 &&
                 ep.port.find_first_not_of("0123456789") == std::string::npos;
  if (ep.host.empty() || !port_ok) throw std::invalid_argument("malformed server URL: " + url);
  return ep;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Errors that mean a kept-alive connection was closed by the server before it read the request.
bool is_closed_connection(error_code ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == asio::ssl::error::stream_truncated;
}

}  // namespace

boost::json::value Response::json() const {
  auto v = wire::parse_reply(body);
  return v ? std::move(*v) : boost::json::value();
}

struct Client::Impl {
  Endpoint endpoint;
  std::string base_url;
  std::chrono::milliseconds timeout;
  std::string authorization;   // "Bearer TOKEN", or empty
  asio::io_context ioc;
  std::optional<asio::ssl::context> tls_context;          // https only
  beast::tcp_stream plain{ioc};                            // http
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;   // https: the current connection's
  beast::flat_buffer buffer;
  bool connected = false;
  std::atomic<bool> cancelled{false};
  std::vector<std::pair<std::string, std::string>> extra_headers;

  // Runs one asynchronous operation to completion on this thread and returns its error.
  // cancel() sets `cancelled` and then posts the socket's cancel; a post that ran in the previous
  // operation's run(), after that operation had completed, cancelled nothing, so the flag is
  // checked before each start: set after this check, its post runs while this operation waits.
  template <class Start>
  error_code run(Start start) {
    if (cancelled) return asio::error::operation_aborted;
    error_code result = asio::error::operation_aborted;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : plain; }

  // Calls f with the connection's stream: the TLS one for https, else the plain one.
  template <class F>
  auto with_stream(F f) {
    if (secure) return f(*secure);
    return f(plain);
  }

  // Without a TLS close_notify: the connection is dropped either way, and waiting for the
  // peer's answer would cost a round trip (or a timeout) for nothing.
  void close() {
    error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().close();
    buffer.clear();
    connected = false;
  }

  [[noreturn]] void fail(std::string const& what, error_code ec) {
    close();
    if (cancelled) throw std::runtime_error("request to " + base_url + " cancelled");
    if (ec == beast::error::timeout) throw std::runtime_error(what + " " + base_url + ": timed out");
    throw std::runtime_error(what + " " + base_url + ": " + ec.message());
  }

  void connect() {
    asio::ip::tcp::resolver resolver(ioc);
    error_code ec;
    auto endpoints = resolver.resolve(endpoint.host, endpoint.port, ec);
    if (ec) fail("cannot reach", ec);
    if (tls_context) {
      secure.emplace(ioc, *tls_context);
      net::expect_tls_peer(secure->native_handle(), endpoint.host);
    }
    tcp().expires_after(timeout);
    ec = run([&](auto handler) { tcp().async_connect(endpoints, std::move(handler)); });
    if (ec) fail("cannot reach", ec);
    if (secure) handshake();
    connected = true;
  }

  void handshake() {
    tcp().expires_after(timeout);
    error_code ec = run([&](auto handler) { secure->async_handshake(asio::ssl::stream_base::client, std::move(handler)); });
    if (!ec) return;
    auto why = ec == beast::error::timeout ? "timed out" : net::tls_failure(secure->native_handle(), ec);
    close();
    if (cancelled) throw std::runtime_error("request to " + base_url + " cancelled");
    throw std::runtime_error("TLS handshake with " + base_url + " failed: " + why);
  }

  http::request<http::string_body> make_request(std::string const& method, std::string const& target,
                                                std::string const& body, std::string const& content_type) const {
    http::request<http::string_body> req;
    req.method(http::string_to_verb(method));
    if (req.method() == http::verb::unknown) req.method_string(method);
    req.target(endpoint.path_prefix + target);
    req.version(11);
    req.set(http::field::host, endpoint.host + ":" + endpoint.port);
    req.set(http::field::user_agent, "corral-client");
    req.set(http::field::accept, "application/json");
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    for (auto const& [name, value] : extra_headers) req.set(name, value);
    // POSTs always say what they carry, even when empty: the server may check the type of any body.
    if (!content_type.empty() && (!body.empty() || req.method() == http::verb::post))
      req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
    return req;
  }

  // One request/response exchange on the current connection. `received_any` tells the caller
  // whether the server started answering, which makes a resend unsafe.
  error_code exchange(http::request<http::string_body>& req, Response& out, bool& received_any) {
    tcp().expires_after(timeout);
    error_code ec = with_stream([&](auto& s) { return run([&](auto h) { http::async_write(s, req, std::move(h)); }); });
    if (ec) return ec;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    ec = with_stream([&](auto& s) { return run([&](auto h) { http::async_read(s, buffer, parser, std::move(h)); }); });
    received_any = parser.got_some() || buffer.size() > 0;
    if (ec) return ec;
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (auto const& field : res) out.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    if (!res.keep_alive()) close();
    return {};
  }
};

Client::Client(std::string base_url, Options options) : impl_(std::make_unique<Impl>()) {
  impl_->endpoint = parse_base_url(base_url);
  impl_->base_url = std::move(base_url);
  impl_->timeout = options.timeout;
  if (!options.token.empty()) impl_->authorization = "Bearer " + options.token;
  if (impl_->endpoint.tls) impl_->tls_context.emplace(net::make_client_tls_context({.ca_file = options.ca_file}));
}

Client::Client(std::string base_url, std::chrono::milliseconds timeout)
    : Client(std::move(base_url), Options{.timeout = timeout}) {}

Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Response Client::request(std::string const& method, std::string const& target, std::string const& body,
                         std::string const& content_type, std::map<std::string, std::string> const& headers) {
  auto& d = *impl_;
  if (d.cancelled) throw std::runtime_error("request to " + d.base_url + " cancelled");

  auto req = d.make_request(method, target, body, content_type);
  for (auto const& [name, value] : headers) req.set(name, value);

  // A kept-alive connection the server closed while idle fails on first use; resend once on a
  // fresh connection, but only if nothing of a reply arrived, so a request is never sent twice
  // after the server began answering it.
  for (int tries = 0;; ++tries) {
    bool reused = d.connected;
    if (!d.connected) d.connect();
    Response out;
    bool received_any = false;
    error_code ec = d.exchange(req, out, received_any);
    if (!ec) {
      observe(method, target, out);
      return out;
    }
    if (reused && tries == 0 && !received_any && !d.cancelled && is_closed_connection(ec)) {
      d.close();
      continue;
    }
    d.fail("request to", ec);
  }
}

Response Client::stream(std::string const& target, std::map<std::string, std::string> const& headers,
                        std::function<void(std::string_view)> const& on_bytes) {
  auto& d = *impl_;
  if (d.cancelled) throw std::runtime_error("request to " + d.base_url + " cancelled");
  auto req = d.make_request("GET", target, "", "");
  req.set(http::field::accept, "text/event-stream");
  for (auto const& [name, value] : headers) req.set(name, value);
  // A stream is long-lived: it starts on a connection of its own rather than one the server may
  // have closed while it was idle.
  d.close();
  d.connect();
  d.tcp().expires_after(d.timeout);
  error_code ec = d.with_stream([&](auto& s) { return d.run([&](auto h) { http::async_write(s, req, std::move(h)); }); });
  if (ec) d.fail("request to", ec);
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);   // a stream has no end the client knows of
  d.tcp().expires_after(d.timeout);
  ec = d.with_stream([&](auto& s) {
    return d.run([&](auto h) { http::async_read_header(s, d.buffer, parser, std::move(h)); });
  });
  if (ec) d.fail("request to", ec);
  Response out;
  out.status = static_cast<int>(parser.get().result_int());
  for (auto const& field : parser.get()) out.headers[lower(std::string(field.name_string()))] = std::string(field.value());
  if (out.status == 200) observe("GET", target, out);
  std::array<char, 16384> piece;
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    // Each read waits up to the timeout: a live stream sends at least a keep-alive comment before.
    d.tcp().expires_after(d.timeout);
    ec = d.with_stream([&](auto& s) {
      return d.run([&](auto h) { http::async_read_some(s, d.buffer, parser, std::move(h)); });
    });
    if (ec == http::error::need_buffer) ec = {};
    if (ec) d.fail("stream from", ec);
    std::string_view const bytes(piece.data(), piece.size() - parser.get().body().size);
    if (out.status == 200) {
      on_bytes(bytes);
    } else {
      out.body += bytes;
    }
  }
  if (!parser.get().keep_alive()) d.close();
  if (out.status != 200) observe("GET", target, out);
  return out;
}

void set_reply_observer(ReplyObserver observer) { reply_observer.store(observer, std::memory_order_release); }

Response Client::post(std::string const& target, boost::json::value const& body,
                      std::map<std::string, std::string> const& headers) {
  return request("POST", target, wire::serialize_json(body), "application/json", headers);
}

std::chrono::milliseconds Client::timeout() const { return impl_->timeout; }

void Client::add_header(std::string name, std::string value) {
  impl_->extra_headers.emplace_back(std::move(name), std::move(value));
}

void Client::cancel() {
  impl_->cancelled = true;
  // Posted so that the socket is only touched by the thread running the request.
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->tcp().cancel(); });
}

}  // namespace corral::client
