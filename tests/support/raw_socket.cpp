#include "support/raw_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <utility>

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

bool connect_loopback(int fd, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd, reinterpret_cast<sockaddr const*>(&addr), sizeof addr) == 0;
}

// Waits up to `timeout` for `fd` to be readable (data, or the peer's close).
bool readable(int fd, std::chrono::steady_clock::duration timeout) {
  pollfd p{fd, POLLIN, 0};
  auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  return ::poll(&p, 1, static_cast<int>(std::max<long long>(ms, 0))) > 0;
}

}  // namespace

std::string raw_exchange(int port, std::string const& request) {
  std::string reply;
  int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  if (connect_loopback(fd, port)) {
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

RawConnection::RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  if (fd_ < 0 || !connect_loopback(fd_, port)) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), unread_(std::move(other.unread_)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  std::swap(fd_, other.fd_);
  std::swap(unread_, other.unread_);
  return *this;
}

bool RawConnection::send(std::string_view bytes) {
  constexpr auto kSendDeadline = std::chrono::seconds(30);
  auto const deadline = std::chrono::steady_clock::now() + kSendDeadline;
  while (!bytes.empty()) {
    auto const n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    pollfd p{fd_, POLLOUT, 0};
    if (std::chrono::steady_clock::now() >= deadline || ::poll(&p, 1, 100) < 0) return false;
  }
  return true;
}

std::string RawConnection::read_reply(std::chrono::steady_clock::duration timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  std::string reply = std::exchange(unread_, {});
  char buffer[4096];
  while (!whole(reply)) {
    auto const n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      reply.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) break;   // closed or reset
    auto const now = std::chrono::steady_clock::now();
    if (now >= deadline || !readable(fd_, deadline - now)) break;
  }
  return reply;
}

bool RawConnection::wait_closed(std::chrono::steady_clock::duration timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  for (;;) {
    auto const n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      unread_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return true;
    auto const now = std::chrono::steady_clock::now();
    if (now >= deadline || !readable(fd_, deadline - now)) return false;
  }
}

std::string raw_post_request(std::string const& target, std::string const& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::size_t raise_open_file_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace corral::test
