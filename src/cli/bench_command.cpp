// `corral bench`: a load generator over HTTP against any Corral server. Two phases, measured
// apart: producers enqueue `--jobs` jobs (one per request, or `--batch` per request), then workers
// fetch (`--fetch-count` per request) and complete them until every job is done. Prints jobs per
// second and request latency percentiles for each phase. Every loop is bounded by the job count
// and by `--max-seconds`.
#include "cli/commands.hpp"
#include "client/client.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

namespace corral::cli {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct BenchOptions {
  std::string server = "http://127.0.0.1:7878";
  std::string queue = "bench";
  int jobs = 20000;
  int producers = 1;
  int batch = 1;
  int workers = 16;
  int fetch_count = 10;
  int payload_bytes = 100;
  double max_seconds = 300;
};

struct Phase {
  std::string name;
  int jobs = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;   // one per request
  bool errored = false;               // a thread ended on an exception (server unreachable)
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

void print(Phase& ph) {
  std::printf("%-8s %8d jobs in %7.3f s = %9.0f jobs/s   request p50 %.3f ms  p99 %.3f ms  max %.3f ms\n",
              ph.name.c_str(), ph.jobs, ph.seconds, ph.jobs / std::max(ph.seconds, 1e-9),
              percentile(ph.latencies_ms, 0.5), percentile(ph.latencies_ms, 0.99),
              percentile(ph.latencies_ms, 1.0));
}

// Runs `threads` copies of body(thread_index, record_latency) and gathers the latencies.
template <class Body>
Phase run_phase(std::string name, int threads, Body body) {
  Phase ph{std::move(name)};
  std::mutex mutex;
  auto const start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::vector<double> mine;
      try {
        body(t, [&mine](Clock::time_point began) {
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
        });
      } catch (std::exception const& e) {
        // An unreachable or broken server ends this thread's share; bench() reports the shortfall.
        std::lock_guard lock(mutex);
        std::cerr << "bench: " << e.what() << "\n";
        ph.errored = true;
      }
      std::lock_guard lock(mutex);
      ph.latencies_ms.insert(ph.latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& th : pool) th.join();
  ph.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return ph;
}

int bench(BenchOptions const& o) {
  json::object job{{"type", "bench.noop"}, {"queue", o.queue},
                   {"payload", {{"data", std::string(static_cast<std::size_t>(std::max(0, o.payload_bytes - 11)), 'x')}}}};
  auto const deadline = Clock::now() + std::chrono::duration<double>(o.max_seconds);
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};

  Phase enqueue = run_phase("enqueue", o.producers, [&](int, auto record) {
    client::Client c(o.server);
    while (!failed && Clock::now() < deadline) {
      int const first = next.fetch_add(o.batch);
      int const n = std::min(o.batch, o.jobs - first);
      if (n <= 0) return;
      auto const began = Clock::now();
      client::Response r;
      if (o.batch == 1) {
        r = c.post("/api/v1/jobs", job);
      } else {
        json::array jobs(static_cast<std::size_t>(n), job);
        r = c.post("/api/v1/jobs/batch", json::object{{"jobs", std::move(jobs)}});
      }
      record(began);
      if (r.status != 201) {
        std::cerr << "enqueue failed: " << r.status << " " << r.body << "\n";
        failed = true;
      }
    }
  });
  enqueue.jobs = std::min(next.load(), o.jobs);
  print(enqueue);

  std::atomic<int> done{0};
  Phase drain = run_phase("drain", o.workers, [&](int t, auto record) {
    client::Client c(o.server);
    json::object fetch{{"queues", {o.queue}}, {"worker_id", "bench-" + std::to_string(t)},
                       {"count", o.fetch_count}, {"wait_s", 1}};
    while (!failed && done < enqueue.jobs && Clock::now() < deadline) {
      auto began = Clock::now();
      auto r = c.post("/api/v1/fetch", fetch);
      record(began);
      auto const body = r.json();
      if (r.status != 200) {
        failed = true;
        return;
      }
      for (auto const& j : body.at("jobs").as_array()) {
        std::string const id(j.at("id").as_string());
        began = Clock::now();
        auto done_reply = c.post("/api/v1/jobs/" + id + "/complete", json::object{{"lease_token", j.at("lease_token")}});
        record(began);
        if (done_reply.status == 200) ++done;
      }
    }
  });
  drain.jobs = done;
  print(drain);
  if (failed || enqueue.errored || drain.errored || done < enqueue.jobs) {
    std::cerr << "bench: not every job completed (" << done << " of " << enqueue.jobs << ")\n";
    return kExitServerError;
  }
  return kExitOk;
}

}  // namespace

void register_bench_command(CLI::App& app) {
  auto o = std::make_shared<BenchOptions>();
  auto* cmd = app.add_subcommand("bench", "Measure enqueue and fetch+complete throughput against a server");
  cmd->add_option("--server", o->server, "server URL")->envname("CORRAL_URL");
  cmd->add_option("--queue", o->queue, "queue to use (default bench)");
  cmd->add_option("--jobs", o->jobs, "jobs to enqueue and then complete")->check(CLI::Range(1, 100000000));
  cmd->add_option("--producers", o->producers, "concurrent enqueue clients")->check(CLI::Range(1, 1024));
  cmd->add_option("--batch", o->batch, "jobs per enqueue request (1 = POST /jobs)")->check(CLI::Range(1, 1000));
  cmd->add_option("--workers", o->workers, "concurrent workers")->check(CLI::Range(1, 1024));
  cmd->add_option("--fetch-count", o->fetch_count, "jobs per fetch")->check(CLI::Range(1, 100));
  cmd->add_option("--payload-bytes", o->payload_bytes, "approximate payload size")->check(CLI::Range(0, 1000000));
  cmd->add_option("--max-seconds", o->max_seconds, "stop each phase after this long");
  cmd->callback([o] {
    int const code = bench(*o);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace corral::cli
