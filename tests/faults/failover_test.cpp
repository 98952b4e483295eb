// PostgreSQL failover under load, as a team running Corral on a primary with a standby meets it:
// two real `corral` nodes on the multi-host URL of a private primary and standby
// (support/pg_pair.hpp), producers and workers through both, the primary SIGKILLed mid-run with
// every process it started, and the standby promoted after an outage of a few seconds.
//
// Counted the Jepsen way (faults/history.hpp) with the executions recorded by the workers, outside
// Corral: every acknowledged enqueue exists once, every acknowledged completion stays completed
// and its job does not run again, no attempt ran twice and no two leases of a job overlap, and
// after a drain every job is completed. During the outage every request must get a 5xx (503 with
// Retry-After, in the test's own budget) while /readyz says not ready; after the promotion both
// nodes must serve again, and a long-poll on one node must be woken by an enqueue on the other.
// The time from `pg_ctl promote` to each node's first acknowledged write is measured and written
// into the fault table, not asserted.
//
// The producers retry with the client's retry policy (client/retry_policy.hpp), the same key
// until it is acknowledged; the workers are client::Worker, which retries its fetches and
// reports through the outage instead of stopping or dropping a report.
//
// The control: the same run with asynchronous replication and the primary's WAL sender stopped
// just before the kill must lose acknowledged writes, so the checks are known to see a loss.
#include "client/retry_policy.hpp"
#include "client/worker.hpp"
#include "faults/history.hpp"
#include "http/api_helpers.hpp"
#include "support/list_all_jobs.hpp"
#include "support/pg_pair.hpp"

#include <atomic>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

namespace corral::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Replication = PgPair::Replication;

constexpr int kProducersPerNode = 2;
constexpr int kWorkerThreadsPerNode = 3;
constexpr int kAcksBeforeKill = 300;       // enqueues and completions: the load is in full swing
constexpr int kUnreplicatedAcks = 100;     // the control: acknowledged after the WAL sender stopped
constexpr int kAcksAfterPromotion = 300;   // both nodes take the load again
constexpr auto kOutage = 3s;               // from the kill to the promotion: a quick automatic failover
constexpr int kLeaseS = 5;                 // short, so a lease whose holder never heard of it ends soon
// Generous bounds, never timing assertions: a request unanswered this long counts as no reply, and
// each phase gives up after its deadline.
constexpr auto kReplyDeadline = 15s;
constexpr auto kPhaseDeadline = 60s;
constexpr char const* kQueue = "failover";

// A stop flag that pausing threads wake up for.
class StopSignal {
 public:
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() {
    std::lock_guard lock(mutex_);
    return stopped_;
  }
  void pause(std::chrono::duration<double> delay) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, delay, [this] { return stopped_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

// The replies to the writes sent during the outage: from the kill until the promotion began.
class OutageReplies {
 public:
  void open() { from_ = Clock::now().time_since_epoch().count(); }
  void close() { to_ = Clock::now().time_since_epoch().count(); }

  // One write, sent at `sent` and answered (or not) at `answered`.
  void record(Clock::time_point sent, Clock::time_point answered, client::Response const* reply) {
    auto const at = [](Clock::time_point t) { return t.time_since_epoch().count(); };
    if (at(sent) < from_ || at(sent) >= to_) return;
    if (reply && at(answered) >= to_) return;   // answered after the promotion: anything may happen
    std::lock_guard lock(mutex_);
    ++count_;
    slowest_ = std::max(slowest_, answered - sent);
    if (!reply) ++no_reply_;
    else if (!client::is_transient(*reply)) bad_.push_back(describe(*reply));
    else if (client::retry_after_s(*reply) != 1.0) bad_.push_back("no Retry-After: 1 on " + describe(*reply));
  }

  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }
  int no_reply() {
    std::lock_guard lock(mutex_);
    return no_reply_;
  }
  std::vector<std::string> bad() {
    std::lock_guard lock(mutex_);
    return bad_;
  }
  double slowest_ms() {
    std::lock_guard lock(mutex_);
    return std::chrono::duration<double, std::milli>(slowest_).count();
  }

 private:
  std::atomic<Clock::rep> from_{std::numeric_limits<Clock::rep>::max()};
  std::atomic<Clock::rep> to_{std::numeric_limits<Clock::rep>::max()};
  std::mutex mutex_;
  int count_ = 0, no_reply_ = 0;   // GUARDED_BY(mutex_)
  Clock::duration slowest_{};      // GUARDED_BY(mutex_)
  std::vector<std::string> bad_;   // GUARDED_BY(mutex_): replies that were not a 503 with Retry-After
};

// What the load did, as its clients saw it. Thread-safe.
struct Ledger {
  History history;
  OutageReplies outage;
  std::mutex mutex;
  std::map<std::pair<std::string, int>, int> executions;   // GUARDED_BY(mutex): (job, attempt) -> runs
  std::map<std::string, int> completed_attempt;            // GUARDED_BY(mutex): acknowledged completions
  std::atomic<int> worker_problems{0};   // fetches and reports the workers had to try again
};

json::object job_spec(std::string const& key) {
  // No backoff: a job whose lease ran out is ready again at once, and the drain stays short.
  return {{"type", "failover"}, {"queue", kQueue},   {"idempotency_key", key}, {"timeout_s", kLeaseS},
          {"max_attempts", 20}, {"backoff", {{"initial_s", 0}}}};
}

// Enqueues job after job, each with a key of its own, until stopped. A key whose enqueue was not
// acknowledged is sent again, with backoff, until it is: as a client that must not lose a job does.
void produce(std::string const& url, std::string const& name, Ledger& ledger, StopSignal& stop) {
  Client api(url, kReplyDeadline);
  client::RetryBackoff retry;
  int n = 0;
  while (!stop.stopped()) {
    std::string const key = name + "-" + std::to_string(n);
    auto const sent = Clock::now();
    std::optional<Response> reply;
    try {
      reply = api.post("/api/v1/jobs", job_spec(key));
    } catch (std::exception const&) {
    }
    ledger.outage.record(sent, Clock::now(), reply ? &*reply : nullptr);
    if (reply && (reply->status == 201 || reply->status == 200)) {
      ledger.history.enqueue(key, Outcome::acknowledged, str(reply->json().as_object(), "id"));
      retry.reset();
      ++n;
      continue;
    }
    ledger.history.enqueue(key, reply ? Outcome::failed : Outcome::no_reply);
    if (reply && !client::is_transient(*reply)) {
      ADD_FAILURE() << "enqueue " << key << " refused: " << describe(*reply);
      return;
    }
    stop.pause(retry.next(reply ? &*reply : nullptr));
  }
}

// A client::Worker on one node whose handler records each execution and succeeds.
class NodeWorker {
 public:
  NodeWorker(std::string const& url, std::string const& name, Ledger& ledger)
      : worker_(client::WorkerOptions{url, {kQueue}, kWorkerThreadsPerNode, std::nullopt, 1, name},
                [&ledger](client::JobContext& job) {
                  ledger.history.fetch(job.id(), job.attempt());
                  std::lock_guard lock(ledger.mutex);
                  ++ledger.executions[{job.id(), job.attempt()}];
                  return client::JobOutcome::success(nullptr);
                },
                [&ledger](client::WorkerEvent const& e) {
                  if (e.kind == client::WorkerEvent::Kind::completed) {
                    ledger.history.complete(e.job_id, Outcome::acknowledged);
                    std::lock_guard lock(ledger.mutex);
                    ledger.completed_attempt[e.job_id] = e.attempt;
                  } else if (e.kind == client::WorkerEvent::Kind::problem) {
                    ++ledger.worker_problems;
                    // A report the worker gave up on: refused (its lease had run out) or unanswered.
                    if (!e.job_id.empty()) ledger.history.complete(e.job_id, Outcome::failed);
                  }
                }),
        thread_([this] { fatal_ = worker_.run(); }) {}

  ~NodeWorker() { stop(); }

  // Stops fetching, lets the running jobs be reported, and returns why run() ended early, if it did.
  std::optional<std::string> stop() {
    if (thread_.joinable()) {
      worker_.stop();
      thread_.join();
    }
    return fatal_;
  }

 private:
  client::Worker worker_;
  std::optional<std::string> fatal_;
  std::thread thread_;   // last: starts once the worker exists
};

// The producers and the workers, on every node. Stops and joins them all when it dies.
class Load {
 public:
  Load(std::vector<std::string> const& urls, Ledger& ledger) {
    for (std::size_t n = 0; n < urls.size(); ++n) {
      std::string const node(1, static_cast<char>('A' + n));
      for (int p = 0; p < kProducersPerNode; ++p) {
        producers_.emplace_back(produce, urls[n], node + std::to_string(p), std::ref(ledger), std::ref(stop_));
      }
      workers_.push_back(std::make_unique<NodeWorker>(urls[n], node, ledger));
    }
  }
  ~Load() {
    stop_producers();
    stop_workers();
  }

  void stop_producers() {
    stop_.stop();
    for (auto& p : producers_) p.join();
    producers_.clear();
  }
  // Why each worker that ended early did; empty if none did.
  std::vector<std::string> stop_workers() {
    std::vector<std::string> ended_early;
    for (auto& w : workers_) {
      if (auto why = w->stop()) ended_early.push_back(*why);
    }
    return ended_early;
  }

 private:
  StopSignal stop_;
  std::vector<std::thread> producers_;
  std::vector<std::unique_ptr<NodeWorker>> workers_;
};

std::int64_t count_in(Client& api, std::string const& state) {
  auto const reply = expect_json(api.get("/api/v1/queues"), 200);
  for (auto const& q : reply.at("queues").as_array()) {
    if (q.at("name") == kQueue) return q.at("counts").at(state).to_number<std::int64_t>();
  }
  return 0;
}

// True when no job of the queue is waiting, running or due again.
bool drained(Client& api) {
  try {
    for (auto const* state : {"queued", "scheduled", "running", "retrying"}) {
      if (count_in(api, state) != 0) return false;
    }
    return true;
  } catch (std::exception const&) {
    return false;
  }
}

int readyz_status(Client& api) {
  try {
    return api.get("/readyz").status;
  } catch (std::exception const&) {
    return 0;
  }
}

// A number the backend reports in /readyz; -1 if there is none.
double backend_stat(Client& api, std::string const& name) {
  try {
    return api.get("/readyz").json().at("backend").at(name).to_number<double>();
  } catch (std::exception const&) {
    return -1;
  }
}

// What the history says of the final jobs, plus what the workers' records say: no attempt ran
// twice, no two leases of a job overlap, a job whose completion was acknowledged did not run
// again, and every job ended completed.
History::Check check(Ledger& ledger, std::vector<core::Job> const& jobs) {
  auto found = ledger.history.check(jobs);
  std::lock_guard lock(ledger.mutex);
  for (auto const& [run, times] : ledger.executions) {
    if (times > 1) found.duplicated.insert(run.first + " attempt " + std::to_string(run.second) + " ran " +
                                           std::to_string(times) + " times");
  }
  for (auto const& job : jobs) {
    if (job.status != core::JobState::completed) {
      found.unexpected.insert(job.id + " ended " + std::string(core::to_string(job.status)));
    }
    for (std::size_t i = 0; i + 1 < job.attempts.size(); ++i) {
      auto const& a = job.attempts[i];
      if (!a.ended_at || *a.ended_at > job.attempts[i + 1].started_at) {
        found.unexpected.insert(job.id + ": the leases of attempts " + std::to_string(a.number) + " and " +
                                std::to_string(a.number + 1) + " overlap");
      }
    }
    auto const acknowledged = ledger.completed_attempt.find(job.id);
    if (acknowledged != ledger.completed_attempt.end() && acknowledged->second != job.attempt) {
      found.lost.insert("the completion of " + job.id + " attempt " + std::to_string(acknowledged->second) +
                        " was acknowledged, yet it ran again as attempt " + std::to_string(job.attempt));
    }
  }
  return found;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string whole_ms(double ms) { return std::to_string(static_cast<long>(ms + 0.5)) + " ms"; }

// What one failover run found.
struct Result {
  History::Check found;
  std::size_t jobs = 0;
  double serve_again_ms[2] = {0, 0};   // from `pg_ctl promote` to each node's first acknowledged write
  double promote_ms = 0;               // from `pg_ctl promote` to its return, once the standby took writes
  int outage_writes = 0;               // writes sent while there was no primary
  double slowest_outage_reply_ms = 0;
};

class Failover : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!serves_from_postgres()) GTEST_SKIP() << "a PostgreSQL failover: runs under the postgres: prefix";
  }

  Result run(Replication replication);

  // Waits until `n` more operations are acknowledged than now.
  bool acknowledged_more(int n) {
    auto const target = ledger_.history.acknowledged() + n;
    return wait_until(kPhaseDeadline, [&] { return ledger_.history.acknowledged() >= target; });
  }
  void kill_primary_for_a_while(PgPair& pair);
  void promote_and_time_serving_again(PgPair& pair, Result& result);
  void expect_a_long_poll_on_b_woken_by_an_enqueue_on_a();

  Ledger ledger_;
  CorralProcess nodes_[2];
  std::optional<Client> a_, b_;
};

Result Failover::run(Replication replication) {
  PgPair pair(replication);
  for (auto& node : nodes_) {
    node.use_db(pair.url());
    node.start({"--db-pool-size", "4", "--db-acquire-timeout-s", "1", "--db-statement-timeout-s", "5"});
  }
  a_.emplace(nodes_[0].url(), kReplyDeadline);
  b_.emplace(nodes_[1].url(), kReplyDeadline);
  Result result;
  {
    Load load({nodes_[0].url(), nodes_[1].url()}, ledger_);
    // The load runs; in the control, the standby stops receiving WAL, and writes are acknowledged
    // that only the primary has.
    EXPECT_TRUE(acknowledged_more(kAcksBeforeKill));
    if (replication == Replication::asynchronous) {
      pair.pause_wal_sender();
      EXPECT_TRUE(acknowledged_more(kUnreplicatedAcks));
    }
    kill_primary_for_a_while(pair);
    promote_and_time_serving_again(pair, result);
    EXPECT_TRUE(acknowledged_more(kAcksAfterPromotion)) << "the producers and workers carry on";

    // Drain: the jobs leased when the primary died come back when their lease runs out.
    load.stop_producers();
    EXPECT_TRUE(wait_until(kPhaseDeadline, [&] { return drained(*a_); })) << "jobs still waiting or running";
    EXPECT_EQ(load.stop_workers(), std::vector<std::string>{}) << "the workers kept going through the outage";
    EXPECT_GT(ledger_.worker_problems.load(), 0) << "the workers met the outage and tried again";
  }
  expect_a_long_poll_on_b_woken_by_an_enqueue_on_a();

  auto const jobs = list_all_jobs(*a_, kQueue);
  result.found = check(ledger_, jobs);
  result.jobs = jobs.size();
  result.outage_writes = ledger_.outage.count();
  result.slowest_outage_reply_ms = ledger_.outage.slowest_ms();
  EXPECT_GT(result.outage_writes, 0) << "the producers wrote during the outage";
  EXPECT_EQ(ledger_.outage.no_reply(), 0) << "every write during the outage was answered";
  EXPECT_EQ(ledger_.outage.bad(), std::vector<std::string>{}) << "every write during the outage got a 503 with Retry-After";
  for (auto& node : nodes_) {
    EXPECT_TRUE(node.stop()) << node.log();
    EXPECT_EQ(node.exit_code(), 0) << node.log();
  }
  std::cout << "failover: " << result.jobs << " jobs; " << result.outage_writes
            << " writes during the outage, the slowest answered in " << whole_ms(result.slowest_outage_reply_ms)
            << "; the nodes served again " << whole_ms(result.serve_again_ms[0]) << " and "
            << whole_ms(result.serve_again_ms[1]) << " after pg_ctl promote was called, which returned after "
            << whole_ms(result.promote_ms) << "\n";
  return result;
}

// The primary dies with every process it started. While there is none, every write gets a 503
// with Retry-After and /readyz says not ready; the outage lasts a few seconds, as an automatic
// failover's does.
void Failover::kill_primary_for_a_while(PgPair& pair) {
  pair.kill_primary();
  ledger_.outage.open();
  auto const killed = Clock::now();
  EXPECT_TRUE(wait_until(kPhaseDeadline, [&] { return readyz_status(*a_) == 503 && readyz_status(*b_) == 503; }))
      << "/readyz says not ready on both nodes while there is no primary";
  for (auto* node : {&*a_, &*b_}) {
    auto const write = node->post("/api/v1/jobs", job_spec("outage-probe"));
    EXPECT_TRUE(is_error(write, 503, "storage_unavailable"));
    EXPECT_EQ(client::retry_after_s(write), 1.0) << describe(write);
    EXPECT_TRUE(is_error(node->get("/api/v1/queues"), 503, "storage_unavailable")) << "reads need the database too";
    EXPECT_EQ(node->get("/livez").status, 200);
  }
  wait_until(kPhaseDeadline, [&] { return Clock::now() - killed >= kOutage; });
  ledger_.outage.close();
}

// The standby is promoted; from that moment each node is sent enqueues until one is acknowledged.
void Failover::promote_and_time_serving_again(PgPair& pair, Result& result) {
  auto const promoting = Clock::now();
  bool served[2] = {false, false};
  {
    std::vector<std::jthread> probes;
    for (int n = 0; n < 2; ++n) {
      probes.emplace_back([&, n] {
        Client api(nodes_[n].url(), kReplyDeadline);
        served[n] = wait_until(kPhaseDeadline, [&] {
          try {
            return api.post("/api/v1/jobs", json::object{{"type", "probe"}, {"queue", "probe"}}).status == 201;
          } catch (std::exception const&) {
            return false;
          }
        });
        result.serve_again_ms[n] = ms_since(promoting);
      });
    }
    pair.promote();
    result.promote_ms = ms_since(promoting);
  }
  EXPECT_TRUE(served[0] && served[1]) << "both nodes serve writes again after the promotion";
  EXPECT_TRUE(wait_until(kPhaseDeadline, [&] { return readyz_status(*a_) == 200 && readyz_status(*b_) == 200; }));
}

// With no other load left, a long-poll parked on node B is answered by an enqueue on node A, and
// B counts a notification from A: the nodes hear each other through the new primary.
void Failover::expect_a_long_poll_on_b_woken_by_an_enqueue_on_a() {
  EXPECT_TRUE(wait_until(kPhaseDeadline, [&] { return backend_stat(*b_, "db_listen_connected") == 1; }));
  double const heard_before = backend_stat(*b_, "db_notifications_received_total");
  Background poll(nodes_[1].url(), [](Client& api) {
    return api.post("/api/v1/fetch", json::object{{"queues", {"wake"}}, {"wait_s", 30}, {"worker_id", "wb"}});
  });
  EXPECT_TRUE(wait_until(kPhaseDeadline, [&] {
    return b_->get("/metrics").body.find("\ncorral_long_polls 1\n") != std::string::npos;
  })) << "the fetch waits on node B";
  auto const woken = enqueue_id(*a_, {{"type", "t"}, {"queue", "wake"}});
  EXPECT_EQ(ids_of(expect_json(poll.reply(), 200).at("jobs").as_array()), std::vector<std::string>{woken});
  EXPECT_TRUE(wait_until(kPhaseDeadline, [&] {
    return backend_stat(*b_, "db_notifications_received_total") > heard_before;
  })) << "node B heard of the enqueue from node A";
}

TEST_F(Failover, SynchronousStandbyPromotedAfterThePrimaryIsKilledKeepsEveryAcknowledgedWrite) {
  auto const r = run(Replication::synchronous);
  report_fault("primary SIGKILLed, synchronous standby promoted after 3 s (2 nodes, multi-host URL)", r.found,
               "see the asynchronous row; served again " + whole_ms(r.serve_again_ms[0]) + " and " +
                   whole_ms(r.serve_again_ms[1]) + " after pg_ctl promote (which took " + whole_ms(r.promote_ms) + ")");
  EXPECT_TRUE(r.found.lost.empty() && r.found.unexpected.empty() && r.found.duplicated.empty()) << r.found.problems();
}

TEST_F(Failover, ControlAsynchronousStandbyBehindThePrimaryLosesAcknowledgedWrites) {
  auto const r = run(Replication::asynchronous);
  report_fault("primary SIGKILLed, asynchronous standby without the last WAL promoted (control)", r.found,
               r.found.lost.empty() ? "no" : "yes");
  EXPECT_FALSE(r.found.lost.empty()) << "the writes acknowledged after the WAL sender stopped are not on the standby";
}

}  // namespace
}  // namespace corral::test
