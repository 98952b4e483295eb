// HTTP over a plain socket, for what the blocking Client cannot show: the reply to a request
// body the server refuses before reading all of it (413).
#pragma once

#include "client/client.hpp"
#include "support/raw_socket.hpp"

#include <string>

namespace corral::test {

// One request (`head` ends with the blank line) on a fresh connection. Writes as much of it as
// the server accepts, then reads the reply to its end; status 0 if none came. Never blocks for
// more than 30 s at a time.
inline client::Response raw_request(int port, std::string const& head, std::string const& body) {
  return parse_raw_reply(raw_exchange(port, head + body));
}

// A POST of `body` as JSON over raw_request.
inline client::Response raw_post(int port, std::string const& target, std::string const& body) {
  std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                     "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return raw_request(port, head, body);
}

}  // namespace corral::test
