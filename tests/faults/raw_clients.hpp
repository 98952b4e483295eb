// What the connection and limit tests send over RawConnections; the server gauges they wait on
// (open connections, long-polls) are read with support/metrics.hpp.
#pragma once

#include "support/metrics.hpp"
#include "support/raw_socket.hpp"

#include <string>

namespace corral::test {

inline std::string const kLivezRequest = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// A long-poll fetch on `queue` that waits up to `wait_s`.
inline std::string fetch_request(std::string const& queue, int wait_s) {
  return raw_post_request("/api/v1/fetch", R"({"worker_id":"w","queues":[")" + queue + R"("],"wait_s":)" +
                                               std::to_string(wait_s) + "}");
}

}  // namespace corral::test
