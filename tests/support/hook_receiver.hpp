// A webhook receiver for tests: a small HTTP/1.1 server on 127.0.0.1 that records every request
// (head and body, with when it came) and answers each with the next status of a script (then
// 200). Keep-alive connections are served until the client closes them, each on a thread of its
// own (a test makes a handful).
//
//   HookReceiver hooks;                       // listening on an ephemeral port
//   hooks.reply_with({500});                  // the first request gets 500, later ones 200
//   ASSERT_TRUE(hooks.wait_for(2, 10s));
//   hooks.received()[1].header("x-corral-delivery");
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace corral::test {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;   // names in lower case
  std::string body;
  std::chrono::steady_clock::time_point at;

  std::string header(std::string const& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A reply chosen by the test for one request (HookReceiver::answer_with).
struct ScriptedReply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;   // besides Content-Type and Content-Length
};

class HookReceiver {
 public:
  // Listens on `port` (0: an ephemeral one). Throws std::runtime_error if it cannot.
  explicit HookReceiver(int port = 0);
  ~HookReceiver();
  HookReceiver(HookReceiver const&) = delete;
  HookReceiver& operator=(HookReceiver const&) = delete;

  // A port on 127.0.0.1 that nothing listens on now: for a receiver that starts later.
  static int unused_port();

  int port() const { return port_; }
  std::string url(std::string const& path = "/hook") const;
  // The statuses of the next replies, in order; once used up, replies are 200.
  void reply_with(std::vector<int> statuses);
  // Answers every request with what `answer` returns, in place of the statuses. Called on the
  // connection's thread without the receiver's lock, so it may block (a slow endpoint) while other
  // connections are served; it must return before the receiver is destroyed.
  void answer_with(std::function<ScriptedReply(ReceivedRequest const&)> answer);
  std::vector<ReceivedRequest> received() const;
  // Connections accepted so far.
  std::size_t connections() const;
  // True once `n` requests have come; false if `deadline` passes first.
  bool wait_for(std::size_t n, std::chrono::steady_clock::duration deadline) const;

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  bool stopping_ = false;                    // GUARDED_BY(mutex_)
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<int> script_;                   // GUARDED_BY(mutex_)
  std::function<ScriptedReply(ReceivedRequest const&)> answer_;   // GUARDED_BY(mutex_)
  std::vector<ReceivedRequest> received_;    // GUARDED_BY(mutex_)
  std::vector<int> connections_;             // GUARDED_BY(mutex_): open fds, shut down at the end
  std::vector<std::thread> threads_;         // GUARDED_BY(mutex_)
  std::thread acceptor_;
};

}  // namespace corral::test
