// A worker for Corral's lease protocol, on top of Client.
//
// run() starts `concurrency` threads. Each one long-polls POST /fetch for one job at a time, runs
// the handler on it, and reports the outcome (POST complete or fail). While the handler runs, it
// keeps the lease alive through its JobContext: the handler calls heartbeat() whenever
// heartbeat_due() has passed (and to send progress), and learns from it whether a cancel was
// requested. stop() ends the worker gracefully: no new fetches (one still waiting for work after
// half a second is cancelled), running handlers finish and are reported, then run() returns.
//
// Each thread owns two connections: one for fetches, which stop() may cancel from another thread,
// and one for the reports of its job, which must go out even while stopping. The handler runs on
// its thread and sends heartbeats itself, rather than a heartbeat thread per job, so that a job
// needs no locking and the handler hears of a cancel the moment a heartbeat returns.
#pragma once

#include "client/client.hpp"
#include "core/job.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace corral::client {

struct WorkerOptions {
  std::string server_url;
  std::vector<std::string> queues;   // tried in this order
  int concurrency = 1;
  std::optional<double> lease_s;     // the lease each fetch asks for; default: each job's timeout_s
  double fetch_wait_s = 30;          // how long one fetch waits for work (server maximum 60)
  std::string worker_id;             // default "HOSTNAME:PID"; each thread appends ":N"
};

// How a handler's job ended.
struct JobOutcome {
  bool completed = false;
  boost::json::value result;         // when completed; null: no result
  std::optional<core::Progress> progress;  // when completed: the last progress ({"percent": 100})
  std::string error_code;            // when failed
  std::string error_message;
  bool retryable = true;

  static JobOutcome success(boost::json::value result);
  static JobOutcome failure(std::string code, std::string message, bool retryable = true);
};

// What a worker reports as it goes, for its log. Delivered on worker threads, concurrently.
struct WorkerEvent {
  enum class Kind {
    started,     // a job was fetched and its handler started
    completed,   // the server accepted complete
    failed,      // the server accepted fail (message: "CODE: MESSAGE")
    cancelled,   // the server accepted fail for a job whose cancel was requested: it is cancelled
    lease_lost,  // the job is no longer this worker's; its outcome was not reported (message: why)
    released,    // fetched while stopping, and handed back
    problem,     // the server could not be reached, or refused something; the worker carries on
  };
  Kind kind;
  std::string job_id, job_type;
  int attempt = 0;
  double duration_s = 0;   // completed, failed: how long the handler ran
  std::string message;
  std::string trace_id;    // the job's W3C trace id, where the event is about a job
};

using WorkerEventSink = std::function<void(WorkerEvent const&)>;

// One fetched job, as its handler sees it. Used only on the thread running the handler.
//
// The lease it keeps is the one the server granted, not the one the fetch asked for: a job's
// max_run_s caps it, and then heartbeats cannot extend it either. Each fetch or heartbeat reply
// tells how long the lease has left (lease_expires_at - updated_at, both on the server's clock,
// so the two machines' clocks need not agree); it is counted from when the request went out
// (from when the reply came, for a fetch, whose wait for work may have been long), and the next
// heartbeat is due after a third of it, so two may be lost before it runs out. Once it has run
// out, or the server says the lease is gone, nothing the attempt reports can count: lease_lost().
class JobContext {
 public:
  using Clock = std::chrono::steady_clock;

  // `job` is the fetched job, with its lease_token, lease_expires_at and updated_at;
  // `asked_lease` stands in for the granted lease if the reply lacks those.
  JobContext(Client& client, core::Job job, std::chrono::duration<double> asked_lease,
             WorkerEventSink const& events);

  core::Job const& job() const { return job_; }
  std::string const& id() const { return job_.id; }
  std::string const& type() const { return job_.type; }
  int attempt() const { return job_.attempt; }
  std::string const& lease_token() const { return lease_token_; }

  // When the next heartbeat must go out to keep the lease; never later than the lease's end, so
  // a handler that heartbeats when due learns in time that the lease has run out.
  Clock::time_point heartbeat_due() const { return heartbeat_due_; }
  // Sends a heartbeat now, with `progress` if there is one (the fields it has are set, the others
  // kept). If the server cannot be reached, the next one is due sooner than usual. The lease is
  // lost (lease_lost(), logged with the reason) if the server answers 404 or 409, or if it has
  // run out already, in which case nothing is sent.
  void heartbeat(std::optional<core::Progress> const& progress = std::nullopt);
  bool cancel_requested() const { return cancel_requested_; }
  bool lease_lost() const { return lease_lost_; }
  // Why the lease was lost, for the log; empty while it is held.
  std::string const& lease_lost_reason() const { return lease_lost_reason_; }

 private:
  // Takes the lease's end and the next heartbeat from a fetch or heartbeat reply `job`, counting
  // from `sent`. Returns false, changing nothing, if `job` does not tell.
  bool renew(Clock::time_point sent, core::Job const& job);
  void lose_lease(std::string reason);
  void problem(std::string message) const;

  Client& client_;
  core::Job job_;
  std::string lease_token_;
  Clock::time_point lease_end_;
  Clock::time_point heartbeat_due_;
  bool capped_by_max_run_ = false;   // the lease ends where max_run_s does: no heartbeat extends it
  WorkerEventSink const& events_;
  bool cancel_requested_ = false;
  bool lease_lost_ = false;
  std::string lease_lost_reason_;
};

class Worker {
 public:
  using Handler = std::function<JobOutcome(JobContext&)>;

  Worker(WorkerOptions options, Handler handler, WorkerEventSink events = {});

  // Runs until stop(), or until the server refuses the fetch request itself (a 4xx: bad queue
  // names, say), which stops every thread and is returned as the message. nullopt after stop().
  std::optional<std::string> run();
  // Thread-safe (not async-signal-safe): stop fetching; running jobs finish and are reported.
  // Returns within half a second, once fetches in flight are answered or cancelled.
  void stop();

 private:
  void work(int index);
  void run_job(Client& reporter, core::Job job);
  void report(Client& reporter, JobContext const& context, JobOutcome const& outcome, double duration_s);
  void release(Client& reporter, core::Job job);
  void halt(std::string reason);   // stop at once, with run() returning `reason`
  bool stopping();
  void pause_unless_stopped(std::chrono::duration<double> delay);
  // One fetch, known to stop() while in flight. nullopt with `problem` set if it failed, with
  // `problem` empty if the worker is stopping.
  std::optional<Response> fetch(Client& fetcher, std::string const& body, std::string& problem);
  void emit(WorkerEvent event) const;

  WorkerOptions options_;
  Handler handler_;
  WorkerEventSink events_;

  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;                 // guarded by mutex_
  std::vector<Client*> fetching_;         // guarded by mutex_: fetches in flight, for stop()
  std::optional<std::string> fatal_;      // guarded by mutex_
};

}  // namespace corral::client
