// A push endpoint for tests: a HookReceiver that answers each pushed job as its payload's "reply"
// says, counts the requests it is answering at once (the concurrency the server keeps to), and
// holds the jobs told to "hold" until the test opens its gate.
//
// Header-only, as tests/CMakeLists.txt builds only the *_test.cpp files of a folder.
#pragma once

#include "http/api_helpers.hpp"
#include "support/hook_receiver.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>

namespace corral::test {

// How long a test waits for the server to push a job and settle it.
inline constexpr std::chrono::seconds kPushDeadline{30};

// An IMF-fixdate (the HTTP date of Retry-After) `seconds` from now.
inline std::string http_date_in(std::int64_t seconds) {
  std::time_t const at = std::time(nullptr) + seconds;
  std::tm tm{};
  gmtime_r(&at, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

class PushEndpoint {
 public:
  // A "hold" waits at most this long for the gate, so that a failed test cannot hang.
  static constexpr auto kLongestHold = std::chrono::seconds(60);

  PushEndpoint() {
    receiver_.answer_with([this](ReceivedRequest const& r) { return answer(r); });
  }
  ~PushEndpoint() { open_gate(); }

  std::string url(std::string const& path = "/run") const { return receiver_.url(path); }
  HookReceiver& receiver() { return receiver_; }

  void open_gate() {
    {
      std::lock_guard lock(mutex_);
      gate_open_ = true;
    }
    changed_.notify_all();
  }
  int in_flight() const {
    std::lock_guard lock(mutex_);
    return in_flight_;
  }
  int most_in_flight() const {
    std::lock_guard lock(mutex_);
    return most_in_flight_;
  }

 private:
  ScriptedReply answer(ReceivedRequest const& r) {
    {
      std::lock_guard lock(mutex_);
      most_in_flight_ = std::max(most_in_flight_, ++in_flight_);
    }
    auto const reply = reply_for(r);
    std::lock_guard lock(mutex_);
    --in_flight_;
    return reply;
  }

  ScriptedReply reply_for(ReceivedRequest const& r) {
    auto const body = json::parse(r.body).as_object();
    auto const& payload = body.at("job").as_object().at("payload").as_object();
    std::string const reply = payload.contains("reply") ? str(payload, "reply") : "json";
    if (reply == "json") return {200, R"({"thumb": "t.png", "pages": 3})"};
    if (reply == "text") return {200, "plain words", "text/plain"};
    if (reply == "204") return {204, ""};
    if (reply == "empty200") return {200, ""};
    if (reply == "202") return {202, ""};
    if (reply == "400") return {400, "bad payload: " + std::string(1000, 'x')};
    if (reply == "408") return {408, ""};
    if (reply == "500") return {500, "it broke"};
    if (reply == "429") return {429, "", "application/json", {{"Retry-After", "120"}}};
    if (reply == "503date") return {503, "", "application/json", {{"Retry-After", http_date_in(3600)}}};
    if (reply == "hold") {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, kLongestHold, [&] { return gate_open_; });
      return {200, R"({"held": true})"};
    }
    return {500, "unknown reply " + reply};
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool gate_open_ = false;   // GUARDED_BY(mutex_)
  int in_flight_ = 0;        // GUARDED_BY(mutex_)
  int most_in_flight_ = 0;   // GUARDED_BY(mutex_)
  // Last: destroyed first, so no request is still being answered when the rest goes.
  HookReceiver receiver_;
};

}  // namespace corral::test
