// An example worker on Corral's C++ client: renders "reports" page by page, reporting progress and
// saving a checkpoint after each page, so an attempt that is stopped or crashes resumes where the
// last one left off. Each job's payload is {"pages": N} (default 5); its result {"pages": N,
// "rendered": M}, M the pages this attempt rendered.
//
//   example_cpp_worker [QUEUE...]        (default: the queue "default")
//
// The server comes from CORRAL_URL (default http://127.0.0.1:7878); CORRAL_TOKEN, if set, is sent
// as a bearer token, and CORRAL_CA_FILE names a CA file to trust for an https:// server. SIGINT or
// SIGTERM stops it: running jobs get 10 s to finish, then go back to the queue with their
// checkpoint. See examples/README.md.
#include "client/worker.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

namespace {

namespace client = corral::client;
namespace json = boost::json;
using namespace std::chrono_literals;

std::string env_or(char const* name, std::string fallback) {
  char const* value = std::getenv(name);
  return value && *value ? value : std::move(fallback);
}

// The whole number `key` of the JSON object in `text`, or `fallback` if there is none.
std::int64_t number_or(std::string const& text, char const* key, std::int64_t fallback) {
  boost::system::error_code ec;
  auto const v = json::parse(text, ec);
  auto const* object = ec ? nullptr : v.if_object();
  auto const* field = object ? object->if_contains(key) : nullptr;
  if (!field || !field->is_number()) return fallback;
  auto const n = field->to_number<std::int64_t>(ec);
  return ec ? fallback : n;
}

client::JobOutcome render_report(client::JobContext& job) {
  auto const pages = number_or(job.job().payload, "pages", 5);
  // Resume after the last page an earlier attempt finished.
  auto const done = number_or(job.job().checkpoint.value_or("{}"), "pages_done", 0);
  for (auto page = done + 1; page <= pages; ++page) {
    // The page's work. A real handler renders here; this one waits 200 ms, ending early if
    // the job is cancelled or the worker hands it back.
    if (job.wait_for_stop(200ms)) return client::JobOutcome::failure("cancelled", "stopped at page " + std::to_string(page), false);
    job.progress({.percent = 100.0 * static_cast<double>(page) / static_cast<double>(pages),
                  .stage = "render",
                  .message = "page " + std::to_string(page) + " of " + std::to_string(pages)});
    job.checkpoint(json::object{{"pages_done", page}});
  }
  return client::JobOutcome::success(json::object{{"pages", pages}, {"rendered", pages - done}});
}

}  // namespace

int main(int argc, char** argv) {
  client::WorkerOptions options;
  options.server_url = env_or("CORRAL_URL", "http://127.0.0.1:7878");
  options.client.token = env_or("CORRAL_TOKEN", "");
  options.client.ca_file = env_or("CORRAL_CA_FILE", "");
  for (int i = 1; i < argc; ++i) options.queues.emplace_back(argv[i]);
  if (options.queues.empty()) options.queues = {"default"};

  // Signals are taken by one thread with sigwait(); blocked first, so every thread inherits that.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::mutex log_mutex;
  auto log = [&](client::WorkerEvent const& e) {
    static constexpr char const* kKinds[] = {"started", "completed", "failed", "cancelled",
                                              "lease_lost", "released", "problem"};
    std::lock_guard lock(log_mutex);
    std::cout << kKinds[static_cast<int>(e.kind)] << " " << e.job_id << (e.message.empty() ? "" : ": ")
              << e.message << std::endl;
  };
  client::Worker worker(options, render_report, log);
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    worker.stop(10s);
  });
  std::cout << "ready: taking jobs from " << options.server_url << std::endl;
  auto fatal = worker.run();
  // Ends the stopper's wait if no signal came (the server refused the fetch itself).
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (fatal) {
    std::cerr << "error: " << *fatal << "\n";
    return 1;
  }
  std::cout << "stopped" << std::endl;
  return 0;
}
