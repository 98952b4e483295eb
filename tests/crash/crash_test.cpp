// SIGKILL under load, restart, and check the durability promise: every acknowledged enqueue
// exists, every acknowledged completion is still completed, and after a drain nothing is stuck.
//
// Producers enqueue with idempotency keys; workers fetch and complete. Each side records only what
// the server acknowledged (a 2xx reply). The server is killed at a moment chosen by the load
// itself (after a number of acknowledgements), several times over. It restarts on the same data
// directory, and so on the same database: its SQLite file, or under CORRAL_TEST_BACKEND=postgres
// the PostgreSQL database CorralProcess names after that directory.
#include "faults/history.hpp"
#include "support/corral_process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kProducers = 4;
constexpr int kWorkers = 4;
constexpr int kCycles = 3;
constexpr int kAcksBeforeKill = 400;   // enqueues + completions acknowledged in one cycle
constexpr auto kCycleDeadline = 60s;   // a cycle's load stops by then even if acks are slow

struct Ledger {
  std::mutex mutex;
  std::map<std::string, std::string> enqueued;   // idempotency key -> job id, acknowledged
  std::set<std::string> completed;               // job ids whose completion was acknowledged
  std::atomic<int> acks{0};
  std::atomic<int> failed{0};     // error replies
  std::atomic<int> no_reply{0};   // the connection died first (the kill)
};

// Enqueues until `stop`; a request that fails (the server died) ends the loop.
void produce(std::string const& url, int producer, int cycle, Ledger& ledger, std::atomic<bool>& stop) {
  client::Client c(url, 5s);
  for (int i = 0; !stop && i < 100000; ++i) {
    std::string const key = "c" + std::to_string(cycle) + "-p" + std::to_string(producer) + "-" + std::to_string(i);
    try {
      auto r = c.post("/api/v1/jobs", json::object{{"type", "crash.test"}, {"idempotency_key", key},
                                                   {"payload", {{"n", i}}}, {"timeout_s", 2}, {"max_attempts", 20}});
      if (r.status != 200 && r.status != 201) {
        ++ledger.failed;
        return;
      }
      std::lock_guard lock(ledger.mutex);
      ledger.enqueued[key] = std::string(r.json().at("id").as_string());
      ++ledger.acks;
    } catch (std::exception const&) {
      ++ledger.no_reply;
      return;
    }
  }
}

// Fetches and completes until `stop` or the server dies.
void work(std::string const& url, Ledger& ledger, std::atomic<bool>& stop) {
  client::Client c(url, 5s);
  while (!stop) {
    try {
      auto r = c.post("/api/v1/fetch", json::object{{"queues", {"default"}}, {"count", 5}, {"wait_s", 0.2}});
      if (r.status != 200) return;
      auto const body = r.json();
      for (auto const& j : body.at("jobs").as_array()) {
        std::string const id(j.at("id").as_string());
        auto done = c.post("/api/v1/jobs/" + id + "/complete",
                           json::object{{"lease_token", j.at("lease_token")}, {"result", {{"ok", true}}}});
        if (done.status == 200) {
          std::lock_guard lock(ledger.mutex);
          ledger.completed.insert(id);
          ++ledger.acks;
        } else {
          ++ledger.failed;
        }
      }
    } catch (std::exception const&) {
      ++ledger.no_reply;
      return;
    }
  }
}

std::string status_of(client::Client& c, std::string const& id) {
  auto r = c.get("/api/v1/jobs/" + id);
  if (r.status != 200) return "http " + std::to_string(r.status);
  return std::string(r.json().at("status").as_string());
}

TEST(Crash, AcknowledgedWorkSurvivesSigkillAndNothingIsStuckAfterRestart) {
  TempDir dir;
  CorralProcess server(dir.path());
  Ledger ledger;
  server.start();
  int const port = server.port();

  for (int cycle = 0; cycle < kCycles; ++cycle) {
    if (cycle > 0) server.start({}, port);
    std::atomic<bool> stop{false};
    int const target = ledger.acks + kAcksBeforeKill;
    std::vector<std::thread> threads;
    for (int p = 0; p < kProducers; ++p) threads.emplace_back(produce, server.url(), p, cycle, std::ref(ledger), std::ref(stop));
    for (int w = 0; w < kWorkers; ++w) threads.emplace_back(work, server.url(), std::ref(ledger), std::ref(stop));
    wait_until(kCycleDeadline, [&] { return ledger.acks >= target; });
    server.kill();   // SIGKILL mid-load: no chance to flush anything
    stop = true;
    for (auto& t : threads) t.join();
  }

  // Restart and check every acknowledgement.
  server.start({}, port);
  auto c = server.client();
  ASSERT_FALSE(ledger.enqueued.empty());
  History::Check found{ledger.acks, ledger.failed, ledger.no_reply};
  for (auto const& [key, id] : ledger.enqueued) {
    auto r = c.get("/api/v1/jobs/" + id);
    EXPECT_EQ(r.status, 200) << "acknowledged enqueue " << key << " (" << id << ") is lost";
    if (r.status != 200) {
      found.lost.insert(key);
      continue;
    }
    EXPECT_EQ(r.json().at("idempotency_key").as_string(), key);
  }
  for (auto const& id : ledger.completed) {
    EXPECT_EQ(status_of(c, id), "completed") << "acknowledged completion of " << id << " was undone";
    if (status_of(c, id) != "completed") found.lost.insert(id);
  }
  report_fault("process crash (SIGKILL x" + std::to_string(kCycles) + " under HTTP load)", found,
               serves_from_postgres() ? "n/a: the database outlives the server" : "n/a: the page cache outlives a process");

  // Drain: jobs that were running at a kill come back after their 2 s lease and complete.
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) workers.emplace_back(work, server.url(), std::ref(ledger), std::ref(stop));
  bool const drained = wait_until(60s, [&] {
    auto r = c.get("/api/v1/queues");
    if (r.status != 200) return false;
    auto const body = r.json();
    for (auto const& q : body.at("queues").as_array()) {
      auto const& counts = q.at("counts").as_object();
      for (auto const* state : {"queued", "scheduled", "running", "retrying", "failed", "cancelled"}) {
        if (counts.at(state).as_int64() != 0) return false;
      }
    }
    return true;
  });
  stop = true;
  for (auto& t : workers) t.join();
  EXPECT_TRUE(drained) << "jobs still waiting or running after the drain";
  for (auto const& [key, id] : ledger.enqueued) {
    EXPECT_EQ(status_of(c, id), "completed") << id << " is stuck";
  }
  EXPECT_TRUE(server.stop());
  EXPECT_EQ(server.exit_code(), 0);
}

}  // namespace
}  // namespace corral::test
