#include "http/server.hpp"

#include "http/open_file_limit.hpp"
#include "http/request_log.hpp"
#include "http/respond.hpp"
#include "http/server_metrics.hpp"
#include "net/tls_server_context.hpp"
#include "push/dispatcher.hpp"
#include "schedules/ticker.hpp"
#include "webhooks/dispatcher.hpp"

#include <pthread.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <mutex>
#include <algorithm>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

namespace corral::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// How long a shutdown lets event streams send their last chunk once in-flight requests are done.
constexpr auto kStreamEndGrace = std::chrono::seconds(1);
// Connections over max_connections that are being answered at once; beyond that they are closed
// without a reply, so a flood cannot hold more descriptors than the limit plus this.
constexpr std::size_t kMaxRefusing = 256;
// How long a failed accept (out of descriptors) waits before the next one, rather than spin.
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

Method method_of(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get: return Method::get;
    case bhttp::verb::post: return Method::post;
    case bhttp::verb::put: return Method::put;
    case bhttp::verb::patch: return Method::patch;
    case bhttp::verb::delete_: return Method::del;
    case bhttp::verb::head: return Method::head;
    case bhttp::verb::options: return Method::options;
    default: return Method::other;
  }
}

// Splits "HOST:PORT" or "[V6]:PORT".
core::Result<tcp::endpoint> parse_listen(std::string const& listen) {
  auto const colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return core::make_error(core::Errc::invalid_argument, "listen must be HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port > 65535) throw std::out_of_range("port");
  } catch (std::exception const&) {
    return core::make_error(core::Errc::invalid_argument, "listen port must be 0..65535, got '" + listen + "'");
  }
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return core::make_error(core::Errc::invalid_argument, "listen host must be an IP address, got '" + host + "'");
  return tcp::endpoint(addr, static_cast<unsigned short>(port));
}

// The request's headers that Corral reads, in one pass over them: a lookup by name per header
// walks Beast's field set each time, and a profile showed the dozen of them at about 2 % of an
// enqueue. The first of a repeated header counts, as Beast's operator[] would have it.
void read_headers(bhttp::request<bhttp::string_body> const& in, Request& req) {
  auto const keep = [](std::string& to, beast::string_view value) {
    if (to.empty()) to.assign(value.data(), value.size());
  };
  for (auto const& f : in) {
    switch (f.name()) {
      case bhttp::field::content_type: keep(req.content_type, f.value()); break;
      case bhttp::field::upgrade: keep(req.upgrade, f.value()); break;
      case bhttp::field::accept_encoding: keep(req.accept_encoding, f.value()); break;
      case bhttp::field::if_none_match: keep(req.if_none_match, f.value()); break;
      case bhttp::field::host: keep(req.host, f.value()); break;
      case bhttp::field::authorization: keep(req.authorization, f.value()); break;
      case bhttp::field::cookie: keep(req.cookie, f.value()); break;
      case bhttp::field::origin: keep(req.origin, f.value()); break;
      default: {
        // Names Beast may or may not know: compared as text, whatever its enum says.
        auto const name = f.name_string();
        if (beast::iequals(name, "Last-Event-ID")) {
          keep(req.last_event_id, f.value());
        } else if (beast::iequals(name, "traceparent")) {
          keep(req.traceparent, f.value());
        } else if (beast::iequals(name, "Prefer")) {
          keep(req.prefer, f.value());
        } else if (beast::iequals(name, "X-Amz-Target")) {
          keep(req.amz_target, f.value());
        } else if (beast::iequals(name, "X-CSRF-Token")) {
          keep(req.csrf_token, f.value());
        } else if (beast::iequals(name, "Sec-Fetch-Site")) {
          keep(req.sec_fetch_site, f.value());
        }
      }
    }
  }
}

// Beast request -> Corral Request. A target that is not a valid origin-form gives an error.
core::Result<Request> to_request(bhttp::request<bhttp::string_body>&& in, std::string const& request_id) {
  auto url = boost::urls::parse_origin_form(in.target());
  if (!url) return core::make_error(core::Errc::invalid_argument, "the request target is not a valid URL path");
  Request req;
  req.method = method_of(in.method());
  req.path = url->path();
  for (auto param : url->params()) req.query.emplace(param.key, param.value);
  read_headers(in, req);
  req.body = std::move(in.body());
  req.request_id = request_id;
  if (req.authorization.starts_with("AWS4-")) {
    req.target = std::string(in.target());
    for (auto const& field : in) req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return req;
}

// Corral Response -> the bytes of an HTTP/1.x response, headers and body in one buffer, so a reply
// is one write without Beast's serializer (a profile showed it at about a tenth of a request).
// The reply to a HEAD has the head a GET's would have, Content-Length included, and no body.
std::string to_wire(Response&& r, unsigned version, bool keep_alive, std::string const& request_id, bool head = false) {
  auto const reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  std::string out;
  out.reserve(160 + r.body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: corral\r\n";
  auto header = [&out](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  if (!r.content_type.empty()) header("Content-Type", r.content_type);
  header("X-Request-Id", request_id);
  for (auto const& [name, value] : r.headers) header(name, value);
  // No body may follow 1xx, 204 and 304, so they carry no length either.
  if (!(r.status < 200 || r.status == 204 || r.status == 304)) header("Content-Length", std::to_string(r.body.size()));
  if (version == 10 && keep_alive) header("Connection", "keep-alive");
  if (version != 10 && !keep_alive) header("Connection", "close");
  out += "\r\n";
  if (!head) out += r.body;
  return out;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Context ctx;
  // Before ioc: coroutine frames still suspended when ioc is destroyed hold Passes.
  Admission admission{Gate(options.max_connections), Gate(options.max_long_polls), Gate(),
                      Gate(options.max_streams)};
  ServerMetrics metrics{ctx.queue.events()};
  Gate refusing{kMaxRefusing};
  std::atomic<bool> stopping{false};
  // The main thread's: the acceptors, signals, the shutdown, the background loops (webhooks,
  // pushes, schedules) and its share of the connections. One thread runs each context.
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};         // listen: HTTPS when TLS is set, else HTTP
  tcp::acceptor plain_acceptor{ioc};   // plain_listen, beside HTTPS on loopback
  // One context per other serving thread (ServerOptions::threads); a connection is served, from
  // accept to close, on the context picked for it in turn. With one context shared by every
  // thread, each wake-up of a connection (its socket ready, its commit done) was posted to
  // whichever thread was free, which woke the thread waiting in epoll and made both take the
  // context's lock: about 7 context switches per one-job request where 2 do (docs/benchmarks.md).
  // Declared after ioc and the acceptors, so that their connections' frames are destroyed first.
  std::vector<std::unique_ptr<asio::io_context>> thread_contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::size_t next_context = 0;   // the accept loops' (ioc's thread's) only
  std::mutex tls_mutex;
  std::shared_ptr<asio::ssl::context> tls;   // guarded by tls_mutex; null: plain HTTP on listen

  Impl(ServerOptions o, Context c) : options(std::move(o)), ctx(c) {
    ctx.admission = &admission;
    ctx.metrics = &metrics;
  }

  awaitable<Response> handle(Request& req) {
    try {
      co_return co_await dispatch(req, ctx);
    } catch (std::exception const& e) {
      spdlog::error("request_id={} {} {}: unexpected exception: {}", req.request_id, to_string(req.method), req.path,
                    e.what());
    }
    co_return respond::error(core::make_error(core::Errc::internal, "internal error; request id " + req.request_id));
  }

  // Lingering close: the client may still be sending the body we refused (413). Closing at once
  // would make the kernel answer its data with a reset, which can destroy our reply before the
  // client reads it; so stop sending, then read and drop what arrives until it stops, for a short
  // while and a bounded amount.
  // Over TLS the bytes drained are records, read below TLS: they are dropped unread all the same.
  template <class Stream>
  static awaitable<void> linger(Stream& stream) {
    constexpr std::size_t kMaxDrain = 64 << 20;
    auto& tcp_stream = beast::get_lowest_layer(stream);
    boost::system::error_code ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp_stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> scratch;
    for (std::size_t drained = 0; drained < kMaxDrain;) {
      auto [ec, n] = co_await tcp_stream.async_read_some(asio::buffer(scratch), kTuple);
      if (ec) break;
      drained += n;
    }
  }

  // The reply to a framing error, an oversized head or body; the connection closes after it.
  Response framing_error(boost::system::error_code ec) const {
    if (ec == bhttp::error::body_limit) {
      return respond::error(core::make_error(
          core::Errc::payload_too_large, "the body exceeds " + std::to_string(options.max_body_bytes) + " bytes"));
    }
    if (ec == bhttp::error::header_limit) {
      auto r = respond::error(core::make_error(core::Errc::invalid_argument,
                                               "the request headers exceed " + std::to_string(options.max_header_bytes) +
                                                   " bytes (max_header_bytes)"));
      r.status = 431;
      return r;
    }
    return respond::error(core::make_error(core::Errc::invalid_argument, "malformed HTTP request: " + ec.message()));
  }

  static bool is_framing_error(boost::system::error_code ec) {
    return ec.category() == boost::system::error_code(bhttp::error::bad_target).category() &&
           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
  }

  // Reads one request whose first byte has come. From that byte the whole request, head and
  // body, must arrive within read_timeout: a client that trickles it is closed however often it
  // sends a byte. Beast limits the request line and the header fields each on its own, so the
  // head as a whole is checked here against max_header_bytes.
  template <class Stream>
  awaitable<boost::system::error_code> read_request(Stream& stream, beast::flat_buffer& buffer,
                                                    bhttp::request_parser<bhttp::string_body>& parser) {
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    beast::get_lowest_layer(stream).expires_after(options.read_timeout);
    auto [ec, head_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (ec) co_return ec;
    if (head_bytes > options.max_header_bytes) co_return bhttp::error::header_limit;
    if (parser.is_done()) co_return ec;
    auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    co_return body_ec;
  }

  // Serves the requests of one connection, plain or TLS, until it closes or fails.
  template <class Stream>
  awaitable<void> session(Stream& stream) {
    auto& tcp_stream = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    for (;;) {
      // Idle between requests: wait up to idle_timeout for the next one's first byte (it may be
      // in the buffer already, pipelined behind the last one).
      if (buffer.size() == 0) {
        tcp_stream.expires_after(options.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
        if (ec) break;
        buffer.commit(n);
      }
      auto in_flight = admission.requests.try_enter();   // unbounded: always admitted
      bhttp::request_parser<bhttp::string_body> parser;
      auto ec = co_await read_request(stream, buffer, parser);
      if (ec) {
        if (!is_framing_error(ec)) break;  // closed, timed out or reset: nothing to answer
        // After a framing error the stream position is unknown: answer once, then close. The
        // client's request id is known if its header fields were read (a body over the limit).
        auto reply = framing_error(ec);
        auto const request_id = request_id_of(parser.get()["X-Request-Id"]);
        log_refusal(request_id, reply.status, ec.message());
        auto res = to_wire(std::move(reply), 11, false, request_id);
        tcp_stream.expires_after(options.write_timeout);
        co_await asio::async_write(stream, asio::buffer(res), kTuple);
        co_await linger(stream);
        break;
      }
      auto in = parser.release();
      unsigned const version = in.version();
      bool const keep_alive = in.keep_alive();
      auto const request_id = request_id_of(in["X-Request-Id"]);
      auto req = to_request(std::move(in), request_id);
      if (req) {
        req->secure = std::is_same_v<Stream, TlsStream>;
        // A peek that reads end-of-stream means the client hung up; "no data yet" means it waits.
        // Over TLS a client that hangs up sends its close_notify record first, so the peek sees
        // data, not the end: such a long-poll is found gone only when its reply cannot be sent.
        req->client_gone = [fd = tcp_stream.socket().native_handle()] {
          char byte;
          return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
        };
      }
      // Not a conditional expression: g++ 12 destroys temporaries of `c ? co_await x : y` twice.
      Response res;
      if (req) {
        res = co_await handle(*req);
      } else {
        res = respond::error(req.error());
      }
      if (req) log_reply(*req, res.status);
      else log_refusal(request_id, res.status, req.error().message);
      if (res.stream) {
        in_flight = Gate::Pass();   // a stream is not what a shutdown waits for
        if (!co_await write_stream(stream, res, version, keep_alive && !stopping, request_id) || stopping) break;
        continue;
      }
      bool const keep = keep_alive && !stopping;
      bool const head = req && req->method == Method::head;
      auto out = to_wire(std::move(res), version, keep, request_id, head);
      tcp_stream.expires_after(options.write_timeout);
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), kTuple);
      if (wec || !keep) break;
    }
  }

  // Sends a streamed reply: the head, then each piece of the body as one chunk (to an HTTP/1.0
  // client as it is, the close ending the body), each write bounded by write_timeout. True if the
  // reply ended cleanly and the connection may serve another request.
  template <class Stream>
  awaitable<bool> write_stream(Stream& stream, Response& res, unsigned version, bool keep_alive,
                               std::string const& request_id) {
    auto& tcp_stream = beast::get_lowest_layer(stream);
    bool const chunked = version != 10;
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
    head.set(bhttp::field::server, "corral");
    head.set(bhttp::field::content_type, res.content_type);
    if (!request_id.empty()) head.set("X-Request-Id", request_id);
    for (auto const& [name, value] : res.headers) head.set(name, value);
    head.keep_alive(keep_alive && chunked);
    head.chunked(chunked);
    bhttp::response_serializer<bhttp::empty_body> serializer{head};
    tcp_stream.expires_after(options.write_timeout);
    auto [head_ec, head_n] = co_await bhttp::async_write_header(stream, serializer, kTuple);
    if (head_ec) co_return false;
    for (;;) {
      auto piece = co_await res.stream->next();
      if (!piece) break;
      tcp_stream.expires_after(options.write_timeout);
      // Not a conditional expression: g++ 12 destroys temporaries of `c ? co_await x : y` twice.
      boost::system::error_code ec;
      if (chunked) {
        std::tie(ec, std::ignore) = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(*piece)), kTuple);
      } else {
        std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(*piece), kTuple);
      }
      if (ec == beast::error::timeout) {
        ++admission.streams_dropped;
        spdlog::info("request_id={} event stream closed: a write did not finish within write_timeout_s (its consumer "
                     "does not read)", request_id);
      }
      if (ec) co_return false;
    }
    if (!chunked || res.stream->aborted()) co_return false;
    tcp_stream.expires_after(options.write_timeout);
    auto [last_ec, last_n] = co_await asio::async_write(stream, bhttp::make_chunk_last(), kTuple);
    co_return !last_ec;
  }

  // A connection over max_connections: one clear reply, whatever it sends, then close.
  template <class Stream>
  awaitable<void> refuse(Stream& stream) {
    auto const request_id = request_id_of("");
    log_refusal(request_id, 503, "max_connections");
    auto reply = to_wire(respond::error(core::make_error(
                             core::Errc::too_many_connections,
                             std::to_string(options.max_connections) + " connections are open (max_connections); retry later")),
                         11, false, request_id);
    beast::get_lowest_layer(stream).expires_after(options.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(reply), kTuple);
    if (!ec) co_await linger(stream);
  }

  // One accepted connection, served (or refused) as plain HTTP, or over TLS when `tls` is set:
  // the handshake must finish within read_timeout, and a TLS connection ends with close_notify,
  // given a second to be sent. Holds its place under max_connections or among the refusals (the
  // Pass) until the connection ends.
  awaitable<void> connection(tcp::socket socket, std::shared_ptr<asio::ssl::context> tls, bool refusal,
                             Gate::Pass /*place*/) {
    beast::tcp_stream plain(std::move(socket));
    boost::system::error_code ignored;
    if (!tls) {
      if (refusal) co_await refuse(plain);
      else co_await session(plain);
      plain.socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_return;
    }
    TlsStream stream(std::move(plain), *tls);
    auto& tcp_stream = beast::get_lowest_layer(stream);
    tcp_stream.expires_after(options.read_timeout);
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (hec) {
      spdlog::debug("TLS handshake failed: {}", hec.message());
      co_return;
    }
    if (refusal) co_await refuse(stream);
    else co_await session(stream);
    tcp_stream.expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(kTuple);   // best effort: a peer gone or slow changes nothing
    tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // The TLS context new connections on `listen` get; null: plain HTTP. SIGHUP swaps it.
  std::shared_ptr<asio::ssl::context> current_tls() {
    std::lock_guard lock(tls_mutex);
    return tls;
  }

  // Loads the certificate and key again; on failure the server keeps the pair it has.
  void reload_tls() {
    try {
      auto loaded = net::make_server_tls(options.tls_cert_file, options.tls_key_file);
      {
        std::lock_guard lock(tls_mutex);
        tls = loaded.context;
      }
      spdlog::info("TLS certificate reloaded: {}, valid until {}; open connections keep the one they began with",
                   loaded.certificate.subject, loaded.certificate.not_after);
    } catch (std::exception const& e) {
      spdlog::error("TLS certificate not reloaded, still serving the previous one: {}", e.what());
    }
  }

  awaitable<void> reload_on_sighup(asio::signal_set& hangups) {
    for (;;) {
      auto [ec, signal] = co_await hangups.async_wait(kTuple);
      if (ec) co_return;
      reload_tls();
    }
  }

  static void log_unexpected(std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (std::exception const& ex) {
      spdlog::error("connection ended by an unexpected exception: {}", ex.what());
    }
  }

  // Accepts on `from`; TLS when `secure` (with the context current at each accept).
  awaitable<void> accept_loop(tcp::acceptor& from, bool secure) {
    asio::steady_timer pause(ioc);
    for (;;) {
      // Each connection runs on its own strand: its coroutine and the wake-ups posted to it by the
      // queue (long-poll waiters, writer replies) never run at the same time.
      auto strand = asio::make_strand(context_of_next_connection());
      auto [ec, socket] = co_await from.async_accept(strand, kTuple);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        // Out of file descriptors and the like: log, keep serving the connections we have, and
        // try again shortly (an accept that fails at once would otherwise spin).
        spdlog::warn("accept failed: {}", ec.message());
        pause.expires_after(kAcceptRetry);
        co_await pause.async_wait(kTuple);
        continue;
      }
      auto tls_context = secure ? current_tls() : nullptr;
      if (auto place = admission.connections.try_enter()) {
        asio::co_spawn(strand, connection(std::move(socket), std::move(tls_context), false, std::move(place)),
                       log_unexpected);
      } else if (auto refusal = refusing.try_enter()) {
        asio::co_spawn(strand, connection(std::move(socket), std::move(tls_context), true, std::move(refusal)),
                       log_unexpected);
      }
      // else: the socket closes here, unanswered; a flood is not worth more descriptors.
    }
  }

  asio::io_context& context_of_next_connection() {
    auto const i = next_context++ % (thread_contexts.size() + 1);
    return i == 0 ? ioc : *thread_contexts[i - 1];
  }

  void stop_contexts() {
    keep_running.clear();
    for (auto& c : thread_contexts) c->stop();
    ioc.stop();
  }

  awaitable<void> drain() {
    // Long-polls answer empty now and streams end; in-flight requests get until drain_timeout to
    // finish, as do push delivery's loops and POSTs (so their replies are reported), streams
    // kStreamEndGrace to send their last chunk.
    ctx.queue.shutdown();
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto const start = std::chrono::steady_clock::now();
    auto const deadline = start + options.drain_timeout;
    auto const streams_deadline = start + std::min<std::chrono::steady_clock::duration>(options.drain_timeout, kStreamEndGrace);
    auto busy = [&](auto now) {
      return admission.requests.count() > 0 || (admission.streams.count() > 0 && now < streams_deadline) ||
             (ctx.push && ctx.push->busy());
    };
    while (busy(std::chrono::steady_clock::now()) && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(kTuple);
    }
    stop_contexts();
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections; finishing in-flight requests");
    if (ctx.webhooks) ctx.webhooks->stop();
    if (ctx.push) ctx.push->stop();
    if (ctx.schedules) ctx.schedules->stop();
    boost::system::error_code ignored;
    acceptor.close(ignored);
    plain_acceptor.close(ignored);
    asio::co_spawn(ioc, drain(), asio::detached);
  }
};

Server::Server(ServerOptions options, Context ctx) : impl_(std::make_unique<Impl>(std::move(options), ctx)) {}
Server::~Server() = default;

void Server::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->begin_stop(); });
}

namespace {

// Binds and listens on `listen` ("HOST:PORT"); the address it got ("HOST:PORT", the port chosen
// when 0 was asked).
core::Result<std::string> open_listener(tcp::acceptor& acceptor, std::string const& listen) {
  auto endpoint = parse_listen(listen);
  if (!endpoint) return endpoint.error();
  boost::system::error_code ec;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(*endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::make_error(core::Errc::invalid_argument, "cannot listen on " + listen + ": " + ec.message());
  auto const local = acceptor.local_endpoint();
  auto const host = local.address().is_v6() ? "[" + local.address().to_string() + "]" : local.address().to_string();
  return host + ":" + std::to_string(local.port());
}

}  // namespace

int serving_threads(int requested) {
  return requested > 0 ? requested : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::optional<std::string> tls_files_problem(std::string const& cert_file, std::string const& key_file) {
  try {
    net::make_server_tls(cert_file, key_file);
    return std::nullopt;
  } catch (std::exception const& e) {
    return e.what();
  }
}

core::Result<void> Server::run() {
  auto& s = *impl_;
  bool const secure = !s.options.tls_cert_file.empty();
  std::optional<net::ServerCertificate> certificate;
  if (secure) {
    try {
      auto loaded = net::make_server_tls(s.options.tls_cert_file, s.options.tls_key_file);
      s.tls = loaded.context;
      certificate = loaded.certificate;
    } catch (std::exception const& e) {
      return core::make_error(core::Errc::invalid_argument, e.what());
    }
  }
  auto address = open_listener(s.acceptor, s.options.listen);
  if (!address) return address.error();
  std::optional<std::string> plain_address;
  if (!s.options.plain_listen.empty()) {
    auto opened = open_listener(s.plain_acceptor, s.options.plain_listen);
    if (!opened) return opened.error();
    plain_address = *opened;
  }
  raise_open_file_limit(s.options.max_connections);
  // Before the address is told: whoever starts the server may stop it as soon as it learns it
  // (a supervisor, a test), and a SIGTERM before this would end the process unclean (143).
  asio::signal_set signals(s.ioc, SIGINT, SIGTERM);
  signals.async_wait([&s](boost::system::error_code const& e, int) {
    if (!e) s.begin_stop();
  });
  if (certificate) {
    spdlog::info("listening on {} (HTTPS: {}, valid until {})", *address, certificate->subject, certificate->not_after);
  } else {
    spdlog::info("listening on {}", *address);
  }
  if (plain_address) spdlog::info("plain HTTP also on {}", *plain_address);

  // Only with TLS: without it, SIGHUP keeps its default (a hangup of the terminal ends the server).
  std::optional<asio::signal_set> hangups;
  if (secure) {
    hangups.emplace(s.ioc, SIGHUP);
    asio::co_spawn(s.ioc, s.reload_on_sighup(*hangups), asio::detached);
  }
  int const threads = std::max(1, serving_threads(s.options.threads));
  for (int i = 1; i < threads; ++i) {
    s.thread_contexts.push_back(std::make_unique<asio::io_context>(1));
    s.keep_running.push_back(asio::make_work_guard(*s.thread_contexts.back()));
  }
  asio::co_spawn(s.ioc, s.accept_loop(s.acceptor, secure), asio::detached);
  if (plain_address) asio::co_spawn(s.ioc, s.accept_loop(s.plain_acceptor, false), asio::detached);
  if (s.ctx.webhooks) s.ctx.webhooks->start(s.ioc.get_executor());
  if (s.ctx.push) s.ctx.push->start(s.ioc.get_executor());
  if (s.ctx.schedules) s.ctx.schedules->start(s.ioc.get_executor());

  std::vector<std::thread> pool;
  // Named in top, perf and /proc; the main thread, which serves too, keeps the process name.
  for (auto& context : s.thread_contexts) {
    pool.emplace_back([&context = *context] {
      pthread_setname_np(pthread_self(), "corral-http");
      context.run();
    });
  }
  s.ioc.run();
  for (auto& t : pool) t.join();
  return {};
}

}  // namespace corral::http
