// The HTTP/1.1 server: an acceptor and one coroutine per connection, each on its own strand, over
// an io_context run by `threads` threads. The only file that includes Beast.
//
// Every read and write has a timeout (idle keep-alive connections and slow clients are closed);
// bodies over max_body_bytes get 413; exceptions from a handler are caught at the session boundary
// and become 500 internal with a trace id, the details going to the log only.
//
// Shutdown (SIGINT/SIGTERM or stop()): stop accepting, wake long-polls so they answer empty, let
// in-flight requests finish (bounded), then return from run().
#pragma once

#include "http/router.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace corral::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:7878";
  int threads = 0;                                   // 0: one per core
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds drain_timeout{10'000};   // longest wait for in-flight requests at shutdown
};

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
