// Bytes over a plain loopback socket, for requests no HTTP client would send (conflicting
// framing headers, header injection, oversized heads) and for reading the reply's head as sent;
// and connections a test holds open, thousands at once without a thread each (idle clients,
// parked long-polls, clients that send a byte now and then).
#pragma once

#include "client/client.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace corral::test {

// Connects to 127.0.0.1:port, sends `request` (as much as the server accepts), then reads until
// the server closes the connection or a whole reply (head, and Content-Length bytes of body) has
// come. Returns what was read: empty if nothing came. Never blocks for more than 30 s at a time.
std::string raw_exchange(int port, std::string const& request);

// A raw reply's status and body; status 0 if it does not start with an HTTP/1.1 status line.
client::Response parse_raw_reply(std::string const& reply);

// One connection to 127.0.0.1:port, open until destroyed. Sends when the test says; reads with
// a deadline. Throws std::runtime_error if it cannot connect.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;

  // Sends all of `bytes`; false if the server has closed the connection (or reset it).
  bool send(std::string_view bytes);
  // Reads until a whole reply has come (head, and Content-Length bytes of body), the server
  // closes, or `timeout` passes; returns what was read.
  std::string read_reply(std::chrono::steady_clock::duration timeout);
  // True once the server has closed the connection (whatever it sent before is dropped); false
  // if it is still open after `timeout`.
  bool wait_closed(std::chrono::steady_clock::duration timeout);

 private:
  int fd_ = -1;
  std::string unread_;   // read while waiting for a close, not yet returned by read_reply
};

// A POST of `body` as JSON to `target`, with keep-alive: the bytes to send on a RawConnection.
std::string raw_post_request(std::string const& target, std::string const& body);

// Raises this process's open-file soft limit to its hard limit; returns the soft limit now.
std::size_t raise_open_file_limit();

}  // namespace corral::test
