// A tiny HTTP/1.1 server, plain or TLS, that records what each request carried and answers every
// one with 200 and {"jobs":[]} (an empty fetch, which a worker reads as "no work"). For tests of
// what a client sends (headers, TLS) that the real server would not show.
//
// Serves keep-alive connections on 127.0.0.1 at an ephemeral port, from a thread of its own,
// until it is destroyed.
#pragma once

#include "support/test_certificates.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace corral::test {

struct RecordedRequest {
  std::string method, target;
  std::map<std::string, std::string> headers;   // lower-case names
};

class RecordingServer {
 public:
  // With `tls`, serves HTTPS with its server certificate and key.
  explicit RecordingServer(std::optional<TlsFiles> const& tls = std::nullopt);
  ~RecordingServer();
  RecordingServer(RecordingServer const&) = delete;
  RecordingServer& operator=(RecordingServer const&) = delete;

  std::string url() const;   // "http://127.0.0.1:PORT" or "https://..."
  std::vector<RecordedRequest> requests() const;   // thread-safe; in the order they came
  // TLS handshakes that failed (the client refused the certificate, say).
  int failed_handshakes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::test
