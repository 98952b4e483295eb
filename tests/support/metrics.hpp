// The server's numbers as GET /metrics shows them, for tests that wait on the server's state:
// connections open, long-polls admitted, and long-polls parked. A test of a waiting fetch or get
// waits until its request is parked before it makes the change that should answer it; otherwise
// the request's first look could find the change already made, and the test would pass without
// anything having waited.
#pragma once

#include "client/client.hpp"

#include <chrono>
#include <string>

namespace corral::test {

// The value of `name` ("corral_long_polls_parked", "corral_http_connections"); -1 if the server
// does not report it.
double gauge(client::Client& api, std::string const& name);

// True once at least `n` long-polls are parked on the server; false if not by `timeout`.
bool wait_for_parked(client::Client& api, int n,
                     std::chrono::steady_clock::duration timeout = std::chrono::seconds(10));

}  // namespace corral::test
