// What the connection and limit tests send over RawConnections, and the server gauges they wait
// on: open connections and waiting long-polls, as GET /metrics shows them.
#pragma once

#include "client/client.hpp"
#include "support/raw_socket.hpp"

#include <string>

namespace corral::test {

inline std::string const kLivezRequest = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

// A long-poll fetch on `queue` that waits up to `wait_s`.
inline std::string fetch_request(std::string const& queue, int wait_s) {
  return raw_post_request("/api/v1/fetch", R"({"worker_id":"w","queues":[")" + queue + R"("],"wait_s":)" +
                                               std::to_string(wait_s) + "}");
}

// A gauge of GET /metrics ("corral_long_polls", "corral_http_connections"); -1 if it is not there.
inline long gauge(client::Client& api, std::string const& name) {
  auto text = api.get("/metrics").body;
  auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size() + 2));
}

}  // namespace corral::test
