// A Server-Sent Events consumer for the stream tests: follows one stream on a thread of its own
// with the real client (Client::stream and SseParser), and lets the test wait on what it has
// received. Header-only, as every helper of tests/http.
#pragma once

#include "client/client.hpp"
#include "client/sse_parser.hpp"
#include "support/wait_until.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace corral::test {

class StreamReader {
 public:
  StreamReader(std::string const& url, std::string target, std::map<std::string, std::string> headers = {})
      : client_(url, std::chrono::seconds(60)) {
    thread_ = std::thread([this, target = std::move(target), headers = std::move(headers)] {
      client::SseParser parser(
          [this](client::SseMessage const& m) {
            std::lock_guard lock(mutex_);
            messages_.push_back(m);
          },
          [this](std::string_view comment) {
            std::lock_guard lock(mutex_);
            comments_.emplace_back(comment);
          });
      try {
        auto reply = client_.stream(target, headers, [&](std::string_view bytes) {
          parser.feed(bytes);
          std::lock_guard lock(mutex_);
          position_ = parser.last_event_id();
          connected_ = true;
        });
        std::lock_guard lock(mutex_);
        reply_ = std::move(reply);
      } catch (std::exception const& e) {
        std::lock_guard lock(mutex_);
        error_ = e.what();
      }
      ended_ = true;
    });
  }
  ~StreamReader() { close(); }
  StreamReader(StreamReader const&) = delete;
  StreamReader& operator=(StreamReader const&) = delete;

  // Hangs up (if the stream is still open) and waits for the thread.
  void close() {
    if (!ended_) client_.cancel();
    if (thread_.joinable()) thread_.join();
  }

  // True once the stream's first bytes came: its position is fixed, so what happens next reaches it.
  bool wait_connected(std::chrono::steady_clock::duration timeout = std::chrono::seconds(10)) {
    return wait_until(timeout, [&] {
      std::lock_guard lock(mutex_);
      return connected_;
    });
  }
  // True once the server has ended the stream (or the connection broke: see error()).
  bool wait_ended(std::chrono::steady_clock::duration timeout = std::chrono::seconds(10)) {
    return wait_until(timeout, [&] { return ended_.load(); });
  }
  // True once `n` messages of event type `event` ("" for any) have come.
  bool wait_for(std::size_t n, std::string const& event = "",
                std::chrono::steady_clock::duration timeout = std::chrono::seconds(10)) {
    return wait_until(timeout, [&] { return messages(event).size() >= n; });
  }

  std::vector<client::SseMessage> messages(std::string const& event = "") const {
    std::lock_guard lock(mutex_);
    std::vector<client::SseMessage> out;
    for (auto const& m : messages_) {
      if (event.empty() || m.event == event) out.push_back(m);
    }
    return out;
  }
  std::vector<std::string> comments() const {
    std::lock_guard lock(mutex_);
    return comments_;
  }
  // The last event id the stream set (its opening position, then each event's id).
  std::string position() const {
    std::lock_guard lock(mutex_);
    return position_;
  }
  bool ended() const { return ended_; }
  // After the end: the reply (its status and headers; a non-200's body) and the error, if any.
  client::Response reply() const {
    std::lock_guard lock(mutex_);
    return reply_;
  }
  std::string error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  client::Client client_;
  mutable std::mutex mutex_;
  std::vector<client::SseMessage> messages_;   // GUARDED_BY(mutex_)
  std::vector<std::string> comments_;          // GUARDED_BY(mutex_)
  std::string position_;                       // GUARDED_BY(mutex_)
  bool connected_ = false;                     // GUARDED_BY(mutex_)
  client::Response reply_;                     // GUARDED_BY(mutex_)
  std::string error_;                          // GUARDED_BY(mutex_)
  std::atomic<bool> ended_{false};
  std::thread thread_;   // last: starts once the members it uses exist
};

// A message's data as a JSON object (empty if it is not one).
inline boost::json::object data_of(client::SseMessage const& m) {
  boost::system::error_code ec;
  auto v = boost::json::parse(m.data, ec);
  return !ec && v.is_object() ? v.get_object() : boost::json::object();
}

}  // namespace corral::test
