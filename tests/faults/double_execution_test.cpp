// No double execution, against the real server and 32 worker processes
// (tests/faults/tools/exec_worker.cpp) that fetch and complete in batches and record every
// execution in a file of their own, outside Corral.
//
// Without a fault, every job runs exactly once, as attempt 1. With 2 of the 32 workers (5 %)
// stopped by SIGSTOP for twice their lease while holding leases, their jobs go to other workers;
// the server's attempt history must then show one lease after the other, never two at once;
// every report on an attempt whose lease expired must get 409 stale_lease (the resumed workers'
// reports above all); every job must end completed and nothing may be lost. Both checks compare
// the workers' records with the server's history attempt by attempt.
#include "faults/history.hpp"
#include "http/api_helpers.hpp"
#include "support/files.hpp"
#include "support/list_all_jobs.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <signal.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace corral::test {
namespace {

using namespace std::chrono_literals;

constexpr int kWorkers = 32;
constexpr int kStoppedWorkers = 2;      // 5 % of the workers
constexpr int kFetchCount = 50;
constexpr double kNoExpiryLeaseS = 600;   // no lease can run out however slow the machine is
constexpr double kShortLeaseS = 2;        // stopped for twice this, the stopped workers' leases run out
constexpr int kDrainJobs = 50000;
constexpr auto kDrainDeadline = 180s;   // generous: a drain takes 20 to 60 s on two busy cores

// One execution, as the worker that ran it recorded it.
struct Execution {
  std::string worker_id;
  int attempt = 0;
  std::string reply;   // to its completion: "completed", "stale_lease", ...; "" if it has none
};
using Executions = std::map<std::string, std::vector<Execution>>;   // job id -> its executions

// What a run left behind, read back once every job is completed.
struct RunResult {
  std::vector<core::Job> jobs;
  Executions executions;
  History::Check found;
};

// The worker processes, each with its record file.
class Fleet {
 public:
  Fleet(std::string const& url, double lease_s) {
    for (int w = 0; w < kWorkers; ++w) {
      Process::Options options;
      options.argv = {CORRAL_EXEC_WORKER, url, worker_id(w), record(w).string(), std::to_string(lease_s),
                      std::to_string(kFetchCount)};
      options.stdout_path = options.stderr_path = dir_ / ("worker-" + std::to_string(w) + ".log");
      workers_.push_back(std::make_unique<Process>(options));
    }
  }

  static std::string worker_id(int w) { return "w" + std::to_string(w); }
  std::filesystem::path record(int w) const { return dir_ / (worker_id(w) + ".record"); }

  // The worker stops itself right after its next fetch that hands it jobs.
  void stop_after_next_fetch(int w) const { write_file(record(w).string() + ".stop", ""); }
  // True while the kernel holds the worker stopped (state T in /proc/PID/stat).
  bool is_stopped(int w) const {
    auto const stat = read_file("/proc/" + std::to_string(workers_[w]->pid()) + "/stat");
    auto const after_name = stat.rfind(')');
    return after_name != std::string::npos && stat.compare(after_name, 3, ") T") == 0;
  }
  void resume(int w) const { workers_[w]->signal(SIGCONT); }

  // SIGTERM to each worker; each must finish its batch and exit 0.
  void end() {
    for (auto& worker : workers_) worker->signal(SIGTERM);
    for (int w = 0; w < kWorkers; ++w) {
      EXPECT_TRUE(workers_[w]->wait_for_exit(30s)) << worker_id(w) << " did not exit";
      EXPECT_EQ(workers_[w]->exit_code(), 0) << read_file(dir_ / ("worker-" + std::to_string(w) + ".log"));
    }
  }

  // What worker `w` recorded: a run line per execution, a done line per completion reply.
  Executions executions(int w) const {
    Executions out;
    std::istringstream lines(read_file(record(w)));
    std::string kind, id, reply;
    int attempt = 0;
    while (lines >> kind >> id >> attempt) {
      auto& runs = out[id];
      if (kind == "run") {
        runs.push_back({worker_id(w), attempt, ""});
      } else if (lines >> reply) {
        auto const run = std::find_if(runs.begin(), runs.end(), [&](Execution const& r) { return r.attempt == attempt; });
        if (run != runs.end()) run->reply = reply;
      }
    }
    return out;
  }
  Executions all_executions() const {
    Executions all;
    for (int w = 0; w < kWorkers; ++w) {
      for (auto& [id, runs] : executions(w)) all[id].insert(all[id].end(), runs.begin(), runs.end());
    }
    return all;
  }

 private:
  TempDir dir_;
  std::vector<std::unique_ptr<Process>> workers_;
};

class NoDoubleExecution : public ApiTest {
 protected:
  // Enqueues the jobs in batches of 1000, each with an idempotency key, recording them in `h`.
  void enqueue_jobs(History& h) {
    for (int first = 0; first < kDrainJobs; first += 1000) {
      json::array specs;
      for (int i = first; i < std::min(kDrainJobs, first + 1000); ++i) {
        // No backoff: a job whose lease ran out is ready for the next worker at once.
        specs.push_back(json::object{{"type", "exec"}, {"queue", "exec"}, {"idempotency_key", "k" + std::to_string(i)},
                                     {"max_attempts", 20}, {"backoff", {{"initial_s", 0}}}});
      }
      for (auto const& job : enqueue_batch(api(), std::move(specs))) {
        h.enqueue(str(job.as_object(), "idempotency_key"), Outcome::acknowledged, str(job.as_object(), "id"));
      }
    }
  }

  std::int64_t count_in(std::string const& state) {
    auto const reply = expect_json(api().get("/api/v1/queues"), 200);
    for (auto const& q : reply.at("queues").as_array()) {
      if (q.at("name") == "exec") return q.at("counts").at(state).as_int64();
    }
    return 0;
  }

  bool all_completed() {
    return wait_until(kDrainDeadline, [&] { return count_in("completed") == kDrainJobs; });
  }

  // Ends the workers, reads back every job and every record, and compares them.
  RunResult end_and_check(Fleet& fleet, History& h);

  // Every job in queue "exec", with its attempt history.
  std::vector<core::Job> final_jobs() { return list_all_jobs(api(), "exec"); }
};

// Compares each job's attempt history with its recorded executions: the job is completed by its
// last attempt; every earlier attempt's lease ran out before the next one began; each attempt was
// executed once, by the worker the server leased it to; each completion's reply matches how the
// attempt ended (completed: "completed"; lease expired: "stale_lease"). Records every execution
// and reply in `h`, and every breach in `found`.
void check_executions(std::vector<core::Job> const& jobs, Executions const& executions, History& h,
                      History::Check& found) {
  for (auto const& [id, runs] : executions) {
    for (auto const& run : runs) {
      h.fetch(id, run.attempt);
      h.complete(id, run.reply == "completed" ? Outcome::acknowledged
                     : run.reply == "no_reply" || run.reply.empty() ? Outcome::no_reply
                                                                     : Outcome::failed);
    }
  }
  for (auto const& job : jobs) {
    auto const problem = [&](std::string const& what) { found.unexpected.insert(job.id + ": " + what); };
    if (job.status != core::JobState::completed) problem("ended " + std::string(core::to_string(job.status)));
    auto const it = executions.find(job.id);
    auto const runs = it == executions.end() ? std::vector<Execution>{} : it->second;
    if (runs.size() != job.attempts.size()) {
      problem(std::to_string(runs.size()) + " executions recorded for " + std::to_string(job.attempts.size()) +
              " attempts");
    }
    for (std::size_t i = 0; i < job.attempts.size(); ++i) {
      auto const& a = job.attempts[i];
      bool const last = i + 1 == job.attempts.size();
      auto const expected = last ? core::AttemptOutcome::completed : core::AttemptOutcome::lease_expired;
      if (a.number != static_cast<int>(i) + 1 || a.outcome != expected || !a.ended_at) {
        problem("attempt " + std::to_string(a.number) + " ended as " + std::string(core::to_string(a.outcome)));
      }
      if (!last && a.ended_at && *a.ended_at > job.attempts[i + 1].started_at) {
        problem("the leases of attempts " + std::to_string(a.number) + " and " + std::to_string(a.number + 1) +
                " overlap");
      }
      auto const ran = std::count_if(runs.begin(), runs.end(), [&](Execution const& r) {
        return r.attempt == a.number && r.worker_id == a.worker_id;
      });
      if (ran != 1) problem("attempt " + std::to_string(a.number) + " ran " + std::to_string(ran) + " times");
      for (auto const& r : runs) {
        auto const reply_expected = last ? "completed" : "stale_lease";
        if (r.attempt == a.number && r.reply != reply_expected) {
          problem("attempt " + std::to_string(a.number) + "'s completion got '" + r.reply + "', not " + reply_expected);
        }
      }
    }
  }
  found.merge(h.check(jobs));
}

RunResult NoDoubleExecution::end_and_check(Fleet& fleet, History& h) {
  fleet.end();
  RunResult r{final_jobs(), fleet.all_executions(), {}};
  check_executions(r.jobs, r.executions, h, r.found);
  EXPECT_EQ(r.jobs.size(), std::size_t{kDrainJobs});
  return r;
}

TEST_F(NoDoubleExecution, EveryJobRunsExactlyOnceAsAttemptOne) {
  History h;
  enqueue_jobs(h);
  Fleet fleet(server_.url(), kNoExpiryLeaseS);
  ASSERT_TRUE(all_completed()) << count_in("completed") << " of " << kDrainJobs << " completed";
  auto [jobs, executions, found] = end_and_check(fleet, h);
  for (auto const& [id, runs] : executions) {
    if (runs.size() != 1 || runs[0].attempt != 1) found.duplicated.insert(id + " ran " + std::to_string(runs.size()) + " times");
  }
  EXPECT_EQ(executions.size(), std::size_t{kDrainJobs});
  report_fault("no double execution (" + std::to_string(kWorkers) + " workers, " + std::to_string(kDrainJobs) + " jobs)",
               found, "see the SIGSTOPped-workers row");
  EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
}

TEST_F(NoDoubleExecution, WorkersStoppedPastTheirLeaseAreFencedOffAndNoTwoLeasesOverlap) {
  History h;
  enqueue_jobs(h);
  Fleet fleet(server_.url(), kShortLeaseS);

  // Stop two workers once the load is in full swing, each right after a fetch.
  ASSERT_TRUE(wait_until(kDrainDeadline, [&] { return count_in("completed") >= kDrainJobs / 5; }));
  for (int w = 0; w < kStoppedWorkers; ++w) fleet.stop_after_next_fetch(w);
  ASSERT_TRUE(wait_until(30s, [&] {
    for (int w = 0; w < kStoppedWorkers; ++w) {
      if (!fleet.is_stopped(w)) return false;
    }
    return true;
  }));
  auto const stopped_at = std::chrono::steady_clock::now();

  // The jobs they hold: recorded as run, with no reply yet.
  std::map<std::string, int> held;   // job id -> the stopped worker's attempt
  for (int w = 0; w < kStoppedWorkers; ++w) {
    for (auto const& [id, runs] : fleet.executions(w)) {
      if (runs.back().reply.empty()) held[id] = runs.back().attempt;
    }
  }
  ASSERT_FALSE(held.empty());

  // Keep them stopped for twice their lease, and until another worker has completed each of
  // their jobs: the fault is a pause longer than the lease.
  ASSERT_TRUE(wait_until(kDrainDeadline, [&] {
    if (std::chrono::steady_clock::now() - stopped_at < std::chrono::duration<double>(2 * kShortLeaseS)) return false;
    return std::all_of(held.begin(), held.end(), [&](auto const& job) { return status_of(api(), job.first) == "completed"; });
  }));
  for (int w = 0; w < kStoppedWorkers; ++w) fleet.resume(w);
  // Resumed, they report their held jobs as if nothing had happened.
  ASSERT_TRUE(wait_until(30s, [&] {
    for (int w = 0; w < kStoppedWorkers; ++w) {
      for (auto const& [id, runs] : fleet.executions(w)) {
        if (held.contains(id) && runs.back().reply.empty()) return false;
      }
    }
    return true;
  }));
  ASSERT_TRUE(all_completed()) << count_in("completed") << " of " << kDrainJobs << " completed";
  auto [jobs, executions, found] = end_and_check(fleet, h);
  // Each job the stopped workers held ran again under a new lease, and their late completion of
  // it was refused.
  int ran_twice = 0;
  for (auto const& [id, attempt] : held) {
    auto const& runs = executions.at(id);
    auto const mine = std::find_if(runs.begin(), runs.end(), [&](Execution const& r) { return r.attempt == attempt; });
    ASSERT_NE(mine, runs.end()) << id;
    EXPECT_EQ(mine->reply, "stale_lease") << id;
    if (mine->reply != "stale_lease") found.unexpected.insert(id + ": a stopped worker's completion got " + mine->reply);
    if (runs.size() > 1) ++ran_twice;
  }
  EXPECT_EQ(ran_twice, static_cast<int>(held.size()));
  report_fault(std::to_string(kStoppedWorkers) + " of " + std::to_string(kWorkers) + " workers SIGSTOPped for 2x their " +
                   std::to_string(static_cast<int>(kShortLeaseS)) + " s lease (" + std::to_string(kDrainJobs) + " jobs)",
               found,
               "yes: the " + std::to_string(ran_twice) + " jobs they held ran twice, one lease after the other");
  EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
}

}  // namespace
}  // namespace corral::test
