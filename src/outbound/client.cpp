#include "outbound/client.hpp"

#include "net/tls_context.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

#include <deque>
#include <map>
#include <optional>

namespace corral::outbound {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// One connection to a destination, plain or TLS.
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& tcp() { return tls ? tls->next_layer() : *plain; }
};

// A turn to send to one destination, taken while fewer than per_destination are out.
struct Place {
  std::size_t in_flight = 0;
  std::deque<std::shared_ptr<asio::steady_timer>> waiting;   // woken by cancel() when a turn frees
  std::vector<std::unique_ptr<Connection>> idle;
};

}  // namespace

struct Client::Impl {
  asio::any_io_executor executor;
  ClientOptions options;
  // The checks every outbound TLS connection of Corral's makes (net/tls_context.hpp). Made at the
  // first https destination: loading the system's certificates costs tens of milliseconds of CPU,
  // which a server whose webhooks and pushes are all plain HTTP, or that has none, never pays.
  std::optional<asio::ssl::context> tls_context;
  std::map<std::string, Place> places;

  Impl(asio::any_io_executor ex, ClientOptions o) : executor(std::move(ex)), options(o) {}

  asio::ssl::context& tls() {   // on the strand, as everything here
    if (!tls_context) tls_context.emplace(net::make_client_tls_context());
    return *tls_context;
  }

  asio::awaitable<void> take_turn(Place& place) {
    while (place.in_flight >= options.per_destination) {
      auto timer = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
      place.waiting.push_back(timer);
      co_await timer->async_wait(kTuple);
    }
    ++place.in_flight;
  }

  void give_back_turn(Place& place) {
    --place.in_flight;
    if (!place.waiting.empty()) {
      place.waiting.front()->cancel();
      place.waiting.pop_front();
    }
  }

  // A new connection, TLS handshaken if the destination is https; its error, if any.
  asio::awaitable<std::pair<std::unique_ptr<Connection>, std::string>> connect(Destination const& to,
                                                                               std::chrono::steady_clock::time_point deadline) {
    auto conn = std::make_unique<Connection>();
    tcp::resolver resolver(executor);
    auto [rec, endpoints] = co_await resolver.async_resolve(to.host, std::to_string(to.port), kTuple);
    if (rec) co_return std::pair{nullptr, "cannot resolve " + to.host + ": " + rec.message()};
    if (to.tls) {
      try {
        conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, tls());
      } catch (std::exception const& e) {   // the system's certificates could not be loaded
        co_return std::pair{nullptr, std::string(e.what())};
      }
    } else {
      conn->plain = std::make_unique<beast::tcp_stream>(executor);
    }
    conn->tcp().expires_at(deadline);
    auto [cec, ep] = co_await conn->tcp().async_connect(endpoints, kTuple);
    if (cec) co_return std::pair{nullptr, "cannot connect to " + to.key() + ": " + cec.message()};
    if (to.tls) {
      try {
        net::expect_tls_peer(conn->tls->native_handle(), to.host);
      } catch (std::exception const& e) {
        co_return std::pair{nullptr, std::string(e.what())};
      }
      auto [hec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::client, kTuple);
      if (hec) {
        co_return std::pair{nullptr, "TLS handshake with " + to.key() + " failed: " +
                                         net::tls_failure(conn->tls->native_handle(), hec)};
      }
    }
    co_return std::pair{std::move(conn), std::string()};
  }

  // One request and its reply on `conn`; an error code on failure.
  template <class Stream>
  asio::awaitable<boost::system::error_code> exchange(Stream& stream, Connection& conn,
                                                      bhttp::request<bhttp::string_body>& req, Reply& out, bool& keep) {
    auto [wec, written] = co_await bhttp::async_write(stream, req, kTuple);
    if (wec) co_return wec;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.max_reply_bytes);
    auto [rec, read] = co_await bhttp::async_read(stream, conn.buffer, parser, kTuple);
    if (rec) co_return rec;
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    if (auto it = res.find(bhttp::field::retry_after); it != res.end()) out.retry_after = std::string(it->value());
    keep = res.keep_alive();
    co_return boost::system::error_code{};
  }

  asio::awaitable<Reply> post(Request req) {
    auto& place = places[req.to.key()];
    co_await take_turn(place);
    auto const deadline = std::chrono::steady_clock::now() + options.timeout;
    bhttp::request<bhttp::string_body> message{bhttp::verb::post, req.to.target, 11};
    bool const default_port = req.to.port == (req.to.tls ? 443 : 80);
    std::string const host = req.to.host.find(':') != std::string::npos ? "[" + req.to.host + "]" : req.to.host;
    message.set(bhttp::field::host, default_port ? host : host + ":" + std::to_string(req.to.port));
    message.set(bhttp::field::user_agent, "corral");
    message.set(bhttp::field::content_type, "application/json");
    for (auto const& [name, value] : req.headers) message.set(name, value);
    message.body() = std::move(req.body);
    message.prepare_payload();
    message.keep_alive(true);

    Reply out;
    // A reused connection the peer closed while idle fails at once: the request goes again once,
    // on a new connection.
    for (int tries = 0; tries < 2; ++tries) {
      std::unique_ptr<Connection> conn;
      bool const reused = !place.idle.empty();
      if (reused) {
        conn = std::move(place.idle.back());
        place.idle.pop_back();
      } else {
        auto [fresh, error] = co_await connect(req.to, deadline);
        if (!fresh) {
          out.error = std::move(error);
          break;
        }
        conn = std::move(fresh);
      }
      conn->tcp().expires_at(deadline);
      bool keep = false;
      out = Reply{};
      // Not a conditional expression: g++ 12 destroys temporaries of `c ? co_await x : y` twice.
      boost::system::error_code ec;
      if (conn->tls) ec = co_await exchange(*conn->tls, *conn, message, out, keep);
      else ec = co_await exchange(*conn->plain, *conn, message, out, keep);
      if (!ec) {
        if (keep && place.idle.size() < options.idle_per_destination) {
          conn->tcp().expires_never();
          place.idle.push_back(std::move(conn));
        }
        break;
      }
      out.status = 0;
      out.timed_out = ec == beast::error::timeout;
      out.error = ec == beast::error::timeout ? "no reply from " + req.to.key() + " within " +
                                                    std::to_string(options.timeout.count()) + " ms"
                                              : "request to " + req.to.key() + " failed: " + ec.message();
      if (!reused) break;
    }
    give_back_turn(place);
    co_return out;
  }
};

Client::Client(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), options)) {}
Client::~Client() = default;

asio::awaitable<Reply> Client::post(Request req) { return impl_->post(std::move(req)); }

void Client::close_idle() {
  for (auto& [key, place] : impl_->places) place.idle.clear();
}

}  // namespace corral::outbound
