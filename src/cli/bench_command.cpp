// `corral bench`: a load generator over HTTP against any Corral server, local or remote.
//
// Two ways to run:
// - Phases (default): producers enqueue `--jobs` jobs (one per request, or `--batch` per request),
//   then workers fetch (`--fetch-count` per request) and complete them (one per request, or
//   `--complete-batch` per POST /api/v1/complete) until every job is done. `--only enqueue` leaves
//   the jobs queued (to fill a database); `--only drain` completes `--jobs` jobs already queued.
//   Prints jobs per second and request latency percentiles for each phase.
// - Rate (`--rate R`): workers start first and long-poll; producers enqueue R jobs per second in
//   all for `--duration` seconds (or `--jobs` jobs). Each payload carries the instant its enqueue
//   call began, so a worker measures enqueue call -> handler start for every job, on one clock.
// `--minimal-replies` enqueues with `Prefer: return=minimal`: replies of ids and statuses only.
//
// Every connection is kept alive, one per producer or worker thread. Every loop is bounded by the
// job count and by `--max-seconds`.
#include "cli/commands.hpp"
#include "cli/flag_checks.hpp"
#include "client/client.hpp"
#include "client/worker.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
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
  std::string api_key;   // sent as a bearer token; an admin key, since bench enqueues and works
  std::string queue = "bench";
  int jobs = 20000;
  int producers = 1;
  int batch = 1;
  int workers = 16;
  int fetch_count = 10;
  int complete_batch = 1;
  int payload_bytes = 100;
  double rate = 0;       // jobs/s in all; 0 = as fast as replies allow
  double duration = 0;   // with --rate: seconds of load (overrides --jobs)
  std::string only;      // "", "enqueue" or "drain"
  bool worker_class = false;   // drain with one client::Worker of `workers` threads
  bool minimal_replies = false;   // enqueue with `Prefer: return=minimal`: ids and statuses back
  double max_seconds = 300;
};

// Latencies of one kind of event, in milliseconds.
struct Samples {
  std::vector<double> ms;
  void add(Clock::time_point began, Clock::time_point end = Clock::now()) {
    ms.push_back(std::chrono::duration<double, std::milli>(end - began).count());
  }
  void merge(Samples const& o) { ms.insert(ms.end(), o.ms.begin(), o.ms.end()); }
  double percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))];
  }
  std::string summary(char const* what) {
    char line[160];
    std::snprintf(line, sizeof line, "%s p50 %.3f ms  p99 %.3f ms  max %.3f ms", what, percentile(0.5),
                  percentile(0.99), percentile(1.0));
    return line;
  }
};

struct Phase {
  std::string name;
  int jobs = 0;
  double seconds = 0;
  Samples requests;        // one per request
  Samples handler_start;   // --rate: enqueue call began -> the worker holds the job
  bool errored = false;    // a thread ended on an exception (server unreachable)
};

void print(Phase& ph) {
  std::printf("%-8s %8d jobs in %7.3f s = %9.0f jobs/s   %s\n", ph.name.c_str(), ph.jobs, ph.seconds,
              ph.jobs / std::max(ph.seconds, 1e-9), ph.requests.summary("request").c_str());
  if (!ph.handler_start.ms.empty()) {
    std::printf("%-8s %8zu jobs   %s\n", "latency", ph.handler_start.ms.size(),
                ph.handler_start.summary("enqueue->handler start").c_str());
  }
  std::fflush(stdout);
}

// What each thread of a phase records; merged into the Phase when the thread ends.
struct Recorder {
  Samples requests, handler_start;
};

// Runs `count` threads of `body(index, recorder)`, each alongside the others, and gathers samples.
class PhaseRunner {
 public:
  explicit PhaseRunner(Phase& phase) : phase_(phase) {}
  template <class Body>
  void spawn(int count, Body body) {
    for (int t = 0; t < count; ++t) {
      pool_.emplace_back([this, t, body] {
        Recorder mine;
        try {
          body(t, mine);
        } catch (std::exception const& e) {
          // An unreachable or broken server ends this thread's share; bench() reports the shortfall.
          std::lock_guard lock(mutex_);
          std::cerr << "bench: " << e.what() << "\n";
          phase_.errored = true;
        }
        std::lock_guard lock(mutex_);
        phase_.requests.merge(mine.requests);
        phase_.handler_start.merge(mine.handler_start);
      });
    }
  }
  void join() {
    for (auto& th : pool_) th.join();
    pool_.clear();
  }

 private:
  Phase& phase_;
  std::mutex mutex_;
  std::vector<std::thread> pool_;
};

// Shared state of one run.
struct Run {
  BenchOptions const& o;
  Clock::time_point const epoch = Clock::now();
  Clock::time_point const deadline = epoch + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(o.max_seconds));
  int target = 0;                    // jobs to enqueue (and complete)
  std::atomic<int> next{0};          // jobs handed to producers so far
  std::atomic<int> enqueued{0};      // jobs acknowledged by the server
  std::atomic<int> done{0};          // completions acknowledged
  std::atomic<Clock::rep> last_done{0};  // when the latest completion was acknowledged (since epoch)
  std::atomic<bool> producing{true}; // false once every producer has finished
  std::atomic<bool> failed{false};
  std::string filler;

  explicit Run(BenchOptions const& opts)
      : o(opts), filler(static_cast<std::size_t>(std::max(0, opts.payload_bytes - 30)), 'x') {}

  bool live() const { return !failed && Clock::now() < deadline; }

  void completed(int n) {
    done += n;
    last_done = (Clock::now() - epoch).count();
  }
  // A drain ends at its last completion, not when the last worker's long-poll gives up.
  double seconds_to_last_completion(Clock::time_point start) const {
    return std::chrono::duration<double>(epoch + Clock::duration(last_done.load()) - start).count();
  }

  json::object job(Clock::time_point sent) const {
    auto const sent_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(sent - epoch).count();
    return json::object{{"type", "bench.noop"},
                        {"queue", o.queue},
                        {"payload", {{"data", filler}, {"sent_ns", sent_ns}}}};
  }
};

// Enqueues until `run.target` jobs are handed out. With a rate, job i is due at epoch + i / rate.
void produce(Run& run, Recorder& rec) {
  auto const& o = run.o;
  client::Client c(o.server, client::Options{.token = o.api_key});
  if (o.minimal_replies) c.add_header("Prefer", "return=minimal");
  while (run.live()) {
    int const first = run.next.fetch_add(o.batch);
    int const n = std::min(o.batch, run.target - first);
    if (n <= 0) return;
    if (o.rate > 0) {
      auto const due = run.epoch + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(first / o.rate));
      std::this_thread::sleep_until(std::min(due, run.deadline));
    }
    auto const began = Clock::now();
    client::Response r;
    if (o.batch == 1) {
      r = c.post("/api/v1/jobs", run.job(began));
    } else {
      json::array jobs(static_cast<std::size_t>(n), run.job(began));
      r = c.post("/api/v1/jobs/batch", json::object{{"jobs", std::move(jobs)}});
    }
    rec.requests.add(began);
    if (r.status != 201) {
      std::cerr << "enqueue failed: " << r.status << " " << r.body << "\n";
      run.failed = true;
      return;
    }
    run.enqueued += n;
  }
}

// Completes one fetched batch, one request per job or `--complete-batch` per request.
void complete_all(Run& run, client::Client& c, json::array const& jobs, Recorder& rec) {
  auto const per_call = static_cast<std::size_t>(run.o.complete_batch);
  if (per_call == 1) {
    for (auto const& j : jobs) {
      auto const began = Clock::now();
      auto r = c.post("/api/v1/jobs/" + std::string(j.at("id").as_string()) + "/complete",
                      json::object{{"lease_token", j.at("lease_token")}});
      rec.requests.add(began);
      if (r.status == 200) run.completed(1);
    }
    return;
  }
  for (std::size_t from = 0; from < jobs.size(); from += per_call) {
    json::array items;
    for (std::size_t i = from; i < std::min(jobs.size(), from + per_call); ++i) {
      items.push_back(json::object{{"id", jobs[i].at("id")}, {"lease_token", jobs[i].at("lease_token")}});
    }
    auto const began = Clock::now();
    auto r = c.post("/api/v1/complete", json::object{{"jobs", std::move(items)}});
    rec.requests.add(began);
    if (r.status != 200) {
      std::cerr << "complete failed: " << r.status << " " << r.body << "\n";
      run.failed = true;
      return;
    }
    auto const reply = r.json();
    int n = 0;
    for (auto const& result : reply.at("results").as_array()) n += result.as_object().contains("status") ? 1 : 0;
    run.completed(n);
  }
}

// Fetches and completes until `run.target` completions, or, while producers still run, waits.
void work(Run& run, int index, Recorder& rec) {
  auto const& o = run.o;
  client::Client c(o.server, client::Options{.token = o.api_key});
  json::object const fetch{{"queues", {o.queue}}, {"worker_id", "bench-" + std::to_string(index)},
                           {"count", o.fetch_count}, {"wait_s", 1}};
  while (run.live() && run.done < run.target) {
    // Without producers running, every job is known: stop once none are left to hand out.
    if (!run.producing && run.done >= run.enqueued) return;
    auto const began = Clock::now();
    auto r = c.post("/api/v1/fetch", fetch);
    auto const got = Clock::now();
    rec.requests.add(began, got);
    if (r.status != 200) {
      std::cerr << "fetch failed: " << r.status << " " << r.body << "\n";
      run.failed = true;
      return;
    }
    auto const body = r.json();
    auto const& jobs = body.at("jobs").as_array();
    if (o.rate > 0) {
      for (auto const& j : jobs) {
        auto const* sent = j.at("payload").as_object().if_contains("sent_ns");
        if (sent && sent->is_int64()) rec.handler_start.add(run.epoch + std::chrono::nanoseconds(sent->as_int64()), got);
      }
    }
    complete_all(run, c, jobs, rec);
  }
}

// --worker-class: the drain by one client::Worker of --workers threads and a handler that does
// nothing, as a worker written in a few lines runs (one fetch for the free threads, completions
// ready together sent together), rather than the bench's own fetch and complete calls.
void worker_drain(Run& run) {
  std::mutex mutex;
  std::condition_variable changed;
  client::Worker worker({.server_url = run.o.server, .queues = {run.o.queue}, .concurrency = run.o.workers, .fetch_wait_s = 1},
                        [](client::JobContext&) { return client::JobOutcome::success(nullptr); },
                        [&](client::WorkerEvent const& e) {
                          if (e.kind != client::WorkerEvent::Kind::completed) return;
                          run.completed(1);
                          changed.notify_all();
                        });
  std::thread stopper([&] {
    std::unique_lock lock(mutex);
    changed.wait_until(lock, run.deadline, [&] { return run.done >= run.enqueued; });
    worker.stop();
  });
  if (auto refused = worker.run()) {
    std::cerr << "bench: " << *refused << "\n";
    run.failed = true;
  }
  changed.notify_all();
  stopper.join();
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Producers, then workers: each phase measured on its own.
int phased(Run& run) {
  auto const& o = run.o;
  if (o.only != "drain") {
    Phase enqueue{"enqueue"};
    PhaseRunner runner(enqueue);
    auto const start = Clock::now();
    runner.spawn(o.producers, [&run](int, Recorder& rec) { produce(run, rec); });
    runner.join();
    enqueue.seconds = seconds_since(start);
    enqueue.jobs = run.enqueued;
    print(enqueue);
  } else {
    run.enqueued = run.target;
  }
  run.producing = false;
  if (o.only == "enqueue") return run.failed || run.enqueued < run.target ? kExitServerError : kExitOk;

  Phase drain{"drain"};
  PhaseRunner runner(drain);
  auto const start = Clock::now();
  if (o.worker_class) {
    worker_drain(run);
  } else {
    runner.spawn(o.workers, [&run](int t, Recorder& rec) { work(run, t, rec); });
    runner.join();
  }
  drain.seconds = run.done > 0 ? run.seconds_to_last_completion(start) : seconds_since(start);
  drain.jobs = run.done;
  print(drain);
  return drain.errored || run.failed || run.done < run.enqueued ? kExitServerError : kExitOk;
}

// Workers wait first; producers pace the load; both run together.
int rated(Run& run) {
  auto const& o = run.o;
  Phase produce_phase{"enqueue"}, work_phase{"drain"};
  PhaseRunner producers(produce_phase), workers(work_phase);
  workers.spawn(o.workers, [&run](int t, Recorder& rec) { work(run, t, rec); });
  auto const start = Clock::now();
  producers.spawn(o.producers, [&run](int, Recorder& rec) { produce(run, rec); });
  producers.join();
  produce_phase.seconds = seconds_since(start);
  produce_phase.jobs = run.enqueued;
  run.producing = false;
  workers.join();
  work_phase.seconds = seconds_since(start);
  work_phase.jobs = run.done;
  print(produce_phase);
  print(work_phase);
  return produce_phase.errored || work_phase.errored || run.failed || run.done < run.enqueued ? kExitServerError
                                                                                             : kExitOk;
}

int bench(BenchOptions const& o) {
  Run run(o);
  run.target = o.rate > 0 && o.duration > 0 ? static_cast<int>(o.rate * o.duration) : o.jobs;
  int const code = o.rate > 0 ? rated(run) : phased(run);
  if (code != kExitOk) {
    std::cerr << "bench: not every job completed (" << run.done << " of " << run.enqueued << " enqueued, "
              << run.target << " planned)\n";
  }
  return code;
}

}  // namespace

void register_bench_command(CLI::App& app) {
  auto o = std::make_shared<BenchOptions>();
  auto* cmd = app.add_subcommand("bench", "Measure enqueue, fetch+complete throughput and latency against a server");
  cmd->add_option("--server", o->server, "server URL")->envname("CORRAL_URL");
  cmd->add_option("--api-key", o->api_key, "API key (admin: bench enqueues and works)")->envname("CORRAL_API_KEY");
  cmd->add_option("--queue", o->queue, "queue to use (default bench)");
  cmd->add_option("--jobs", o->jobs, "jobs to enqueue and then complete")->check(in_range(1, 100000000));
  cmd->add_option("--producers", o->producers, "concurrent enqueue clients")->check(in_range(1, 1024));
  cmd->add_option("--batch", o->batch, "jobs per enqueue request (1 = POST /jobs)")->check(in_range(1, 1000));
  cmd->add_option("--workers", o->workers, "concurrent workers")->check(in_range(1, 1024));
  cmd->add_option("--fetch-count", o->fetch_count, "jobs per fetch")->check(in_range(1, 100));
  cmd->add_option("--complete-batch", o->complete_batch,
                  "completions per request (1 = POST /jobs/{id}/complete, more = POST /complete)")
      ->check(in_range(1, 1000));
  cmd->add_option("--payload-bytes", o->payload_bytes, "approximate payload size")->check(in_range(0, 1000000));
  cmd->add_option("--rate", o->rate, "enqueue this many jobs per second in all, workers running alongside; "
                                     "reports enqueue->handler-start latency")
      ->check(in_range(0.0, 1e7));
  cmd->add_option("--duration", o->duration, "with --rate: seconds of load (instead of --jobs)")
      ->check(in_range(0.0, 86400.0));
  cmd->add_option("--only", o->only, "run one phase: enqueue (leave the jobs queued) or drain (complete --jobs "
                                     "jobs already queued)")
      ->check(CLI::IsMember({"enqueue", "drain"}));
  cmd->add_option("--max-seconds", o->max_seconds, "stop the run after this long");
  cmd->add_flag("--minimal-replies", o->minimal_replies,
                "enqueue with Prefer: return=minimal, so each reply names the jobs by id and status instead of "
                "holding them in full");
  auto* worker_class = cmd->add_flag("--worker-class", o->worker_class,
                "drain with the worker library (client::Worker, --workers threads, a handler that does nothing) "
                "instead of the bench's own calls; --fetch-count and --complete-batch do not apply");
  worker_class->excludes("--rate");
  cmd->callback([o] {
    int const code = bench(*o);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace corral::cli
