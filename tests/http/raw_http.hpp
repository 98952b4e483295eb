// HTTP over a plain socket, for what the blocking Client cannot show: the reply to a request
// body the server refuses before reading all of it (413).
#pragma once

#include "client/client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace corral::test {

// One request (`head` ends with the blank line) on a fresh connection. Writes as much of it as
// the server accepts, then reads the reply to its end; status 0 if none came. Never blocks for
// more than 30 s at a time.
inline client::Response raw_request(int port, std::string const& head, std::string const& body) {
  client::Response out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr const*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::string const request = head + body;
  for (std::size_t sent = 0; sent < request.size();) {
    auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server stopped reading: its reply is what matters
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buffer[4096];
  for (;;) {
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
    auto end_of_head = reply.find("\r\n\r\n");
    if (end_of_head == std::string::npos) continue;
    // The reply is whole once Content-Length bytes follow the head.
    auto length_at = reply.find("ontent-Length: ");
    if (length_at == std::string::npos) length_at = reply.find("ontent-length: ");
    if (length_at != std::string::npos && length_at < end_of_head &&
        reply.size() >= end_of_head + 4 + std::stoul(reply.substr(length_at + 15))) {
      break;
    }
  }
  ::close(fd);
  if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return out;
  out.status = std::stoi(reply.substr(9, 3));
  auto end_of_head = reply.find("\r\n\r\n");
  if (end_of_head != std::string::npos) out.body = reply.substr(end_of_head + 4);
  return out;
}

// A POST of `body` as JSON over raw_request.
inline client::Response raw_post(int port, std::string const& target, std::string const& body) {
  std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                     "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return raw_request(port, head, body);
}

}  // namespace corral::test
