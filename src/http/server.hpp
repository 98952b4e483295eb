// The HTTP/1.1 server: an acceptor and one coroutine per connection, each on its own strand, over
// `threads` threads that each run an io_context of their own; a connection is served from accept
// to close on one of them, picked in turn. The only file that includes Beast.
//
// Limits, each answered with a clear error rather than a hang: more than max_connections open
// connections get 503 too_many_connections on the new one (the others keep being served); heads
// over max_header_bytes get 431, bodies over max_body_bytes 413; more than max_long_polls waiting
// long-polls get 503 too_many_long_polls (long_poll_admission.hpp); more than max_streams open
// event streams get 503 too_many_streams. Timeouts: a connection waits idle_timeout for the first
// byte of a request, and from that byte the whole request must arrive within read_timeout, so a
// client sending a byte now and then (slowloris) is closed; each write must finish within
// write_timeout, so a client that does not read is closed (a stream's so counted as dropped).
// Exceptions from a handler are caught at the session boundary and become 500 internal with the
// request id, the details going to the log only.
//
// Streamed replies (Response::stream: Server-Sent Events) are sent with chunked encoding, one
// chunk per piece the stream yields, until it ends; the connection may then serve another request.
//
// TLS (ServerOptions::tls_cert_file): every connection on `listen` is HTTPS; `plain_listen` may
// add a plain HTTP listener (the configuration keeps it to loopback). The handshake counts
// against read_timeout.
//
// Shutdown (SIGINT/SIGTERM or stop()): stop accepting, wake long-polls so they answer empty and
// end event streams (the queue closes their waiters), let in-flight requests (from their first
// byte) finish, bounded by drain_timeout, then return from run(). A stream is not an in-flight
// request: it gets at most kStreamEndGrace to send its last chunk, so a consumer that does not
// read cannot hold up the drain. Requests are answered with Connection: close from then on.
#pragma once

#include "http/router.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace corral::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:7878";
  int threads = 0;                                   // 0: one per core (serving_threads)
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 10'000;
  std::size_t max_long_polls = 10'000;
  std::size_t max_streams = 1'000;
  std::chrono::milliseconds idle_timeout{60'000};    // for the first byte of a request
  std::chrono::milliseconds read_timeout{30'000};    // from a request's first byte to its end
  std::chrono::milliseconds write_timeout{30'000};   // longest one write of a reply may take
  std::chrono::milliseconds drain_timeout{10'000};   // longest wait for in-flight requests at shutdown
  // HTTPS on `listen` when set (PEM files: the certificate with its chain, and its key). SIGHUP
  // loads them again: new connections get the new pair, open ones keep theirs; a pair that does
  // not load is logged and the previous one kept.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string plain_listen;   // a second listener, plain HTTP, beside HTTPS; empty: none
};

// The threads that serve HTTP for ServerOptions::threads `requested` (0: one per core).
int serving_threads(int requested);

// Why `cert_file` and `key_file` cannot serve HTTPS (unreadable, not PEM, a key that is not the
// certificate's), for a person; none when they can. Lets a start fail before it opens anything.
std::optional<std::string> tls_files_problem(std::string const& cert_file, std::string const& key_file);

class Server {
 public:
  Server(ServerOptions options, Context ctx);
  ~Server();
  // Binds, logs "listening on HOST:PORT", serves until a signal or stop(). Errors (bad address,
  // port in use) are returned, not thrown.
  core::Result<void> run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::http
