// What the concurrency- and rate-limit tests share (tests/http/limits_test.cpp, tests/multinode): setting a
// queue's limits, and workers that record each execution themselves, outside Corral, so that what
// the test asserts about overlap does not rest on the server's own counts.
#pragma once

#include "http/api_helpers.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

namespace corral::test {

inline Response patch_queue(Client& api, std::string_view queue, json::object const& body) {
  return api.request("PATCH", "/api/v1/queues/" + std::string(queue), json::serialize(body), "application/json");
}

// The queue as GET /api/v1/queues shows it; throws if it is not listed.
inline json::object queue_info(Client& api, std::string_view name) {
  auto reply = expect_json(api.get("/api/v1/queues"), 200);
  for (auto const& q : reply.at("queues").as_array()) {
    if (str(q.as_object(), "name") == name) return q.as_object();
  }
  throw std::runtime_error("queue " + std::string(name) + " not in " + json::serialize(reply));
}

// Executions as the workers saw them: each begins when its fetch returned and ends before its
// completion is sent, so while one is open its lease is held. Thread-safe.
class Executions {
 public:
  void begin(std::string const& key) {
    std::lock_guard lock(mutex_);
    starts_.push_back(std::chrono::steady_clock::now());
    max_running_ = std::max(max_running_, ++running_);
    max_of_key_[key] = std::max(max_of_key_[key], ++of_key_[key]);
  }
  void end(std::string const& key) {
    std::lock_guard lock(mutex_);
    --running_;
    if (--of_key_[key] == 0) of_key_.erase(key);
    ++done_;
  }
  int max_running() const {
    std::lock_guard lock(mutex_);
    return max_running_;
  }
  int max_of_key(std::string const& key) const {
    std::lock_guard lock(mutex_);
    auto it = max_of_key_.find(key);
    return it == max_of_key_.end() ? 0 : it->second;
  }
  int done() const {
    std::lock_guard lock(mutex_);
    return done_;
  }
  // How many executions began within `window` of the first one (for rate limits).
  long started_within(std::chrono::steady_clock::duration window) const {
    std::lock_guard lock(mutex_);
    if (starts_.empty()) return 0;
    auto const first = *std::min_element(starts_.begin(), starts_.end());
    return std::count_if(starts_.begin(), starts_.end(), [&](auto t) { return t < first + window; });
  }

 private:
  mutable std::mutex mutex_;
  int running_ = 0, max_running_ = 0, done_ = 0;
  std::map<std::string, int> of_key_, max_of_key_;
  std::vector<std::chrono::steady_clock::time_point> starts_;
};

// `workers` threads, each with its own client on one of `urls` in turn, fetching from `queue` and
// completing what they get, until `jobs` executions are done or `timeout` passes. A worker also
// heartbeats once before completing, so each execution spans a round trip while others fetch.
inline void run_workers(std::vector<std::string> const& urls, int workers, std::string const& queue, int jobs,
                        Executions& seen, std::chrono::steady_clock::duration timeout = std::chrono::seconds(60)) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::thread> threads;
  std::atomic<bool> failed{false};
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      try {
        Client api(urls[static_cast<std::size_t>(w) % urls.size()]);
        while (seen.done() < jobs && std::chrono::steady_clock::now() < deadline && !failed) {
          auto got = fetch(api, {{"queues", json::array{queue}}, {"wait_s", 0.5}, {"worker_id", "w" + std::to_string(w)}});
          if (got.empty()) continue;
          auto const& job = got[0].as_object();
          Lease lease{str(job, "id"), str(job, "lease_token"), job};
          auto const key = str(job, "concurrency_key");
          seen.begin(key);
          expect_json(heartbeat(api, lease), 200);
          seen.end(key);
          expect_json(complete(api, lease), 200);
        }
      } catch (std::exception const& e) {
        failed = true;
        ADD_FAILURE() << "worker " << w << ": " << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
}

}  // namespace corral::test
