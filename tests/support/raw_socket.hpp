// Bytes over a plain loopback socket, for requests no HTTP client would send (conflicting
// framing headers, header injection, oversized heads) and for reading the reply's head as sent.
#pragma once

#include "client/client.hpp"

#include <string>

namespace corral::test {

// Connects to 127.0.0.1:port, sends `request` (as much as the server accepts), then reads until
// the server closes the connection or a whole reply (head, and Content-Length bytes of body) has
// come. Returns what was read: empty if nothing came. Never blocks for more than 30 s at a time.
std::string raw_exchange(int port, std::string const& request);

// A raw reply's status and body; status 0 if it does not start with an HTTP/1.1 status line.
client::Response parse_raw_reply(std::string const& reply);

}  // namespace corral::test
