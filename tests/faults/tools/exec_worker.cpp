// A worker process for the no-double-execution test (tests/faults/double_execution_test.cpp). It
// records every execution outside Corral, so the test can compare what ran with what the server
// says ran:
//
//   exec_worker URL WORKER_ID RECORD_FILE LEASE_S FETCH_COUNT
//
// Loop: fetch up to FETCH_COUNT jobs from queue "exec" with a lease of LEASE_S; append
// "run ID ATTEMPT" for each to RECORD_FILE (the execution); complete them in one
// POST /api/v1/complete; append "done ID ATTEMPT REPLY" for each, REPLY being the item's status
// ("completed") or error code ("stale_lease"), or "no_reply" if the call got no answer.
//
// The fault: once RECORD_FILE.stop exists, the worker removes it and stops itself with SIGSTOP
// right after its next fetch, so it is certain to hold leases while it is stopped (a SIGSTOP from
// outside could land between two batches, holding nothing). The test sends SIGCONT; the worker
// then reports as if nothing had happened. SIGTERM ends the loop after the current fetch: exit 0.
#include "client/client.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

namespace {

namespace json = boost::json;
using corral::client::Client;

volatile std::sig_atomic_t stopping = 0;

void on_sigterm(int) { stopping = 1; }

// Appends `lines` with one write: the file holds whole lines whatever happens to the process.
void append(int fd, std::string const& lines) {
  if (!lines.empty() && ::write(fd, lines.data(), lines.size()) != static_cast<ssize_t>(lines.size())) {
    std::perror("exec_worker: write");
    std::_Exit(2);
  }
}

std::string text(json::value const& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: exec_worker URL WORKER_ID RECORD_FILE LEASE_S FETCH_COUNT\n");
    return 2;
  }
  std::string const record = argv[3];
  std::filesystem::path const stop_trigger = record + ".stop";
  int const fd = ::open(record.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::perror("exec_worker: open");
    return 2;
  }
  std::signal(SIGTERM, on_sigterm);

  Client api(argv[1]);
  auto const fetch_body = json::serialize(json::object{{"queues", {"exec"}},
                                                       {"worker_id", argv[2]},
                                                       {"count", std::stoi(argv[5])},
                                                       {"wait_s", 0.5},
                                                       {"lease_s", std::stod(argv[4])}});
  while (!stopping) {
    corral::client::Response fetched;
    try {
      fetched = api.request("POST", "/api/v1/fetch", fetch_body);
    } catch (std::exception const& e) {
      std::fprintf(stderr, "exec_worker: fetch: %s\n", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));   // the server is not reachable: retry
      continue;
    }
    if (fetched.status != 200) {
      std::fprintf(stderr, "exec_worker: fetch: HTTP %d %s\n", fetched.status, fetched.body.c_str());
      return 1;
    }
    auto const reply = fetched.json();
    auto const& jobs = reply.at("jobs").as_array();
    if (jobs.empty()) continue;

    std::string runs;
    json::array completions;
    std::vector<std::string> keys;   // "ID ATTEMPT", in request order
    for (auto const& j : jobs) {
      auto const& job = j.as_object();
      keys.push_back(text(job.at("id")) + " " + text(job.at("attempt")));
      runs += "run " + keys.back() + "\n";
      completions.push_back(json::object{{"id", job.at("id")}, {"lease_token", job.at("lease_token")}});
    }
    append(fd, runs);
    if (std::error_code ec; std::filesystem::remove(stop_trigger, ec)) ::raise(SIGSTOP);

    std::string done;
    try {
      auto const completed = api.post("/api/v1/complete", json::object{{"jobs", std::move(completions)}});
      auto const body = completed.json();
      auto const* results = body.is_object() ? body.get_object().if_contains("results") : nullptr;
      for (std::size_t i = 0; i < keys.size(); ++i) {
        std::string outcome = "http_" + std::to_string(completed.status);
        if (results && results->is_array() && i < results->get_array().size()) {
          auto const& item = results->get_array()[i].as_object();
          outcome = item.contains("error") ? text(item.at("error").at("code")) : text(item.at("status"));
        }
        done += "done " + keys[i] + " " + outcome + "\n";
      }
    } catch (std::exception const& e) {
      std::fprintf(stderr, "exec_worker: complete: %s\n", e.what());
      for (auto const& key : keys) done += "done " + key + " no_reply\n";
    }
    append(fd, done);
  }
  ::close(fd);
  return 0;
}
