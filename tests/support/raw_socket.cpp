#include "support/raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>

namespace corral::test {
namespace {

// True once `reply` holds a head and the Content-Length bytes it announces.
bool whole(std::string const& reply) {
  auto const end_of_head = reply.find("\r\n\r\n");
  if (end_of_head == std::string::npos) return false;
  std::string head = reply.substr(0, end_of_head);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto const at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return false;
  return reply.size() >= end_of_head + 4 + std::stoul(head.substr(at + 17));
}

}  // namespace

std::string raw_exchange(int port, std::string const& request) {
  std::string reply;
  int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr const*>(&addr), sizeof addr) == 0) {
    for (std::size_t sent = 0; sent < request.size();) {
      auto const n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;   // the server stopped reading: its reply is what matters
      sent += static_cast<std::size_t>(n);
    }
    char buffer[4096];
    while (!whole(reply)) {
      auto const n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      reply.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return reply;
}

client::Response parse_raw_reply(std::string const& reply) {
  client::Response out;
  if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return out;
  out.status = std::stoi(reply.substr(9, 3));
  if (auto at = reply.find("\r\n\r\n"); at != std::string::npos) out.body = reply.substr(at + 4);
  return out;
}

}  // namespace corral::test
