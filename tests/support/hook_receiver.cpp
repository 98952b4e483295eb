#include "support/hook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace corral::test {
namespace {

int listen_on(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
  }
  return fd;
}

int port_of(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Parses one request from the front of `buffer` if all of it has come; removes it.
bool take_request(std::string& buffer, ReceivedRequest& out) {
  auto const end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string const head = buffer.substr(0, end);
  ReceivedRequest r;
  std::size_t line_end = head.find("\r\n");
  std::string const request_line = head.substr(0, line_end);
  auto const sp1 = request_line.find(' ');
  auto const sp2 = request_line.find(' ', sp1 + 1);
  r.method = request_line.substr(0, sp1);
  r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  while (line_end != std::string::npos && line_end < head.size()) {
    auto const next = head.find("\r\n", line_end + 2);
    std::string const line = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    auto const colon = line.find(':');
    if (colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[lower(line.substr(0, colon))] = value;
    }
    line_end = next;
  }
  std::size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end()) length = std::stoul(it->second);
  if (buffer.size() < end + 4 + length) return false;
  r.body = buffer.substr(end + 4, length);
  buffer.erase(0, end + 4 + length);
  r.at = std::chrono::steady_clock::now();
  out = std::move(r);
  return true;
}

}  // namespace

HookReceiver::HookReceiver(int port) : listen_fd_(listen_on(port)), port_(port_of(listen_fd_)) {
  acceptor_ = std::thread([this] { accept_loop(); });
}

HookReceiver::~HookReceiver() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  for (auto& t : threads) t.join();
  for (int fd : connections_) ::close(fd);
  ::close(listen_fd_);
}

int HookReceiver::unused_port() {
  int fd = listen_on(0);
  int const port = port_of(fd);
  ::close(fd);
  return port;
}

std::string HookReceiver::url(std::string const& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

void HookReceiver::reply_with(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  script_.assign(statuses.begin(), statuses.end());
}

void HookReceiver::answer_with(std::function<ScriptedReply(ReceivedRequest const&)> answer) {
  std::lock_guard lock(mutex_);
  answer_ = std::move(answer);
}

std::vector<ReceivedRequest> HookReceiver::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::size_t HookReceiver::connections() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

bool HookReceiver::wait_for(std::size_t n, std::chrono::steady_clock::duration deadline) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, deadline, [&] { return received_.size() >= n; });
}

void HookReceiver::accept_loop() {
  for (;;) {
    pollfd p{listen_fd_, POLLIN, 0};
    int const ready = ::poll(&p, 1, 100);
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (ready <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void HookReceiver::serve(int fd) {
  std::string buffer;
  char chunk[16384];
  for (;;) {
    ReceivedRequest request;
    while (!take_request(buffer, request)) {
      auto const n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;   // the fd is closed by the destructor, which also ends this thread
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    ScriptedReply scripted;
    std::function<ScriptedReply(ReceivedRequest const&)> answer;
    {
      std::lock_guard lock(mutex_);
      if (!script_.empty()) {
        scripted.status = script_.front();
        script_.pop_front();
      }
      answer = answer_;
      received_.push_back(request);
    }
    changed_.notify_all();
    if (answer) {
      scripted = answer(request);
    } else {
      scripted.body = scripted.status >= 200 && scripted.status < 300 ? "{\"ok\":true}" : "{\"error\":\"scripted\"}";
    }
    std::string reply = "HTTP/1.1 " + std::to_string(scripted.status) + " Scripted\r\nContent-Type: " +
                        scripted.content_type + "\r\nContent-Length: " + std::to_string(scripted.body.size()) + "\r\n";
    for (auto const& [name, value] : scripted.headers) reply += name + ": " + value + "\r\n";
    reply += "\r\n" + scripted.body;
    if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) return;
  }
}

}  // namespace corral::test
