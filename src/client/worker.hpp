// A worker for Corral's lease protocol, on top of Client.
//
// run() starts `concurrency` threads and one heartbeat thread. The threads share one long-poll
// of POST /fetch, which asks for as many jobs as threads are free and hands them out; each thread
// runs the handler on its job and reports the outcome. Completions that are ready while another
// is being sent go together in one POST /complete (the server commits them with one fsync), so a
// worker of a few lines gets the speed of a batched one without being asked; a failure goes alone
// (POST fail). The heartbeat thread keeps the lease of every running job alive on its own,
// a heartbeat after a third of what the lease has left, so a handler need not know about leases:
// it reports progress and checkpoints through its JobContext (sent with a heartbeat within a
// quarter second), and learns there, as soon as a heartbeat reply says so, that a cancel was
// requested. stop() ends the worker gracefully: no new fetches (one still waiting for work after
// half a second is cancelled), running handlers finish and are reported, then run() returns;
// stop(grace) hands back, when the grace is up, the jobs still running (their last checkpoint
// sent first) and tells their handlers to end.
//
//   client::Worker worker({.server_url = "http://127.0.0.1:7878", .queues = {"reports"}},
//                         [](client::JobContext& job) {
//                           job.progress({.percent = 50, .stage = "render"});
//                           job.checkpoint(boost::json::object{{"page", 10}});
//                           if (job.cancel_requested()) return client::JobOutcome::failure("cancelled", "", false);
//                           return client::JobOutcome::success(boost::json::object{{"pages", 20}});
//                         });
//   worker.run();   // until worker.stop() from another thread (a signal handler's thread)
//
// The worker owns one connection for fetches, which stop() may cancel from another thread, and
// each thread one for reports, which must go out even while stopping. The heartbeat thread has
// its own, and sends the heartbeats of all jobs one after another.
// Rejected: a heartbeat thread per job, which costs a thread and a connection per running job
// for requests that take milliseconds every few seconds; and heartbeats the handler sends itself
// (as this worker once did), which a handler busy in a library call cannot send in time.
#pragma once

#include "api/requests.hpp"
#include "client/client.hpp"
#include "client/retry_policy.hpp"
#include "core/job.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace corral::client {

class Heartbeater;

struct WorkerOptions {
  std::string server_url;
  std::vector<std::string> queues;   // tried in this order
  int concurrency = 1;
  std::optional<double> lease_s;     // the lease each fetch asks for; default: each job's timeout_s
  double fetch_wait_s = 30;          // how long one fetch waits for work (server maximum 60)
  std::string worker_id;             // default "HOSTNAME:PID"; the fetches send it
  Options client;                    // token and ca_file for every connection (timeouts are the worker's)
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

// What a worker reports as it goes, for its log. Delivered on worker threads and the heartbeat
// thread, concurrently, at times with the job's context locked: a sink must be quick and must not
// call a JobContext.
struct WorkerEvent {
  enum class Kind {
    started,     // a job was fetched and its handler started
    completed,   // the server accepted complete
    failed,      // the server accepted fail (message: "CODE: MESSAGE")
    cancelled,   // the server accepted fail for a job whose cancel was requested: it is cancelled
    lease_lost,  // the job is no longer this worker's; its outcome was not reported (message: why)
    released,    // handed back: fetched while stopping, or still running when stop(grace) ran out
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

// One fetched job, as its handler sees it. Thread-safe: the handler calls it while the heartbeat
// thread reports for it.
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
  JobContext(core::Job job, std::chrono::duration<double> asked_lease, WorkerEventSink events);
  ~JobContext();
  JobContext(JobContext const&) = delete;
  JobContext& operator=(JobContext const&) = delete;

  // The job as fetched: its payload, and the checkpoint an earlier attempt saved.
  core::Job const& job() const { return job_; }
  std::string const& id() const { return job_.id; }
  std::string const& type() const { return job_.type; }
  int attempt() const { return job_.attempt; }
  std::string const& lease_token() const { return lease_token_; }

  // Reports progress: the fields `progress` has are set, the others kept. It goes out with a
  // heartbeat within a quarter second; reports closer together than that share one heartbeat,
  // the later fields winning. Progress a completing handler leaves unsent goes with the complete.
  void progress(core::Progress const& progress);
  // Saves `checkpoint` (any JSON) as the job's checkpoint, replacing the one saved before; it goes
  // out with a heartbeat within a quarter second, and at the latest before the job is reported
  // or handed back. A later attempt of the job finds it in job().checkpoint.
  void checkpoint(boost::json::value const& checkpoint);

  // True once the handler should end: a cancel was requested (a heartbeat reply said so), or the
  // worker, stopping, handed the job back (released()). What the handler returns then is reported
  // (a failure makes a cancelled job cancelled) unless the job was handed back.
  bool cancel_requested() const;
  bool released() const;
  // True once nothing the attempt reports can count: the server said the lease is gone, or it ran
  // out. The handler should end; its outcome is not reported.
  bool lease_lost() const;
  std::string lease_lost_reason() const;   // for the log; empty while the lease is held
  // Waits until cancel_requested() or lease_lost(), or `timeout`: true if the handler should end.
  // Lets a handler that waits on something else wait on this as well, without polling.
  bool wait_for_stop(std::chrono::duration<double> timeout) const;
  // Calls `callback` once when the handler should end, at once if it should already; nullptr
  // removes it. It runs on the heartbeat thread with the context locked: it must be quick (write
  // a byte to a pipe, notify a condition variable) and must not call the context. Once on_stop
  // returns, a callback it replaced or removed is never called again.
  void on_stop(std::function<void()> callback);

 private:
  friend class Heartbeater;
  friend class Worker;
  struct State;

  // The heartbeat thread's side. next_report: when beat() should next run; beat: sends a
  // heartbeat with what is pending; release: sends what is pending, then hands the job back.
  Clock::time_point next_report() const;
  void beat(Client& client);
  void release(Client& client);
  // The worker's side, once the handler has returned: the progress left unsent (for a complete
  // to carry), and a last heartbeat for whatever is still unsent.
  std::optional<core::Progress> take_unsent_progress();
  void flush(Client& client);
  void set_wake(std::function<void()> wake);   // the heartbeat thread's, for reports to send

  void problem(std::string message) const;
  void emit(WorkerEvent const& event) const;

  core::Job const job_;
  std::string const lease_token_;
  WorkerEventSink const events_;
  std::unique_ptr<State> state_;
};

class Worker {
 public:
  using Handler = std::function<JobOutcome(JobContext&)>;

  // Throws std::invalid_argument for a malformed server_url, std::runtime_error for a CA file
  // that cannot be read.
  Worker(WorkerOptions options, Handler handler, WorkerEventSink events = {});
  ~Worker();

  // Runs until stop(), or until the server refuses the fetch request itself (a 4xx: bad queue
  // names, say), which stops every thread and is returned as the message. nullopt after stop().
  // Returns once every handler has returned: a handler that ignores cancel_requested() after a
  // stop(grace) keeps it waiting.
  std::optional<std::string> run();
  // Thread-safe (not async-signal-safe): stop fetching; running jobs finish and are reported.
  // Returns within half a second, once fetches in flight are answered or cancelled.
  void stop();
  // The same, with a deadline: jobs still running `grace` from now are handed back (POST release,
  // after a heartbeat with their last checkpoint and progress) for another worker to run, and
  // their handlers see cancel_requested() and released(). A later call can shorten the grace.
  void stop(std::chrono::duration<double> grace);

 private:
  // A completion waiting to be sent, and what the log is told once it is.
  struct PendingCompletion {
    api::CompleteItem item;
    WorkerEvent event;
  };

  void work();
  // The next job for a free thread: one fetched already, or one this thread fetches for every
  // free thread. nullopt once stopping and none is left to hand back.
  std::optional<core::Job> next_job();
  // The fetch of `count` jobs, made by whichever free thread found none fetched; the lock is
  // released while it waits.
  void fetch_jobs(std::unique_lock<std::mutex>& lock, int count);
  void run_job(Client& reporter, core::Job job);
  void report(Client& reporter, JobContext const& context, JobOutcome const& outcome, double duration_s);
  // Queues a completion; the thread that finds none being sent sends every queued one, in
  // batches, until none is left, so each completion is sent before its thread's run() ends.
  void complete(Client& reporter, PendingCompletion completion);
  void send_completions(Client& reporter, std::vector<PendingCompletion> batch);
  void release(Client& reporter, core::Job job);
  void halt(std::string reason);   // stop at once, with run() returning `reason`
  bool stopping();
  void pause_unless_stopped(std::chrono::duration<double> delay);
  // One fetch, known to stop() while in flight. nullopt with `problem` set if it failed, with
  // `problem` empty if the worker is stopping.
  std::optional<Response> fetch(Client& fetcher, std::string const& body, std::string& problem);
  void emit(WorkerEvent event) const;
  Client connect(std::chrono::milliseconds timeout) const;

  WorkerOptions options_;
  Handler handler_;
  WorkerEventSink events_;
  std::unique_ptr<Heartbeater> heartbeater_;

  Client fetcher_;                        // used by one thread at a time: the one fetching
  api::FetchRequest fetch_request_;       // each fetch asks for this, `count` set to the free threads
  RetryBackoff fetch_retry_;              // used by the thread fetching

  std::mutex mutex_;
  std::condition_variable stop_signal_;   // also: jobs fetched, a fetch ended
  bool stopping_ = false;                 // guarded by mutex_
  std::deque<core::Job> fetched_;         // guarded by mutex_: fetched, not yet taken by a thread
  int running_ = 0;                       // guarded by mutex_: threads holding a job
  bool fetch_in_flight_ = false;          // guarded by mutex_
  std::vector<PendingCompletion> completions_;  // guarded by mutex_: waiting to be sent
  bool completing_ = false;               // guarded by mutex_: a thread is sending completions
  std::vector<Client*> fetching_;         // guarded by mutex_: fetches in flight, for stop()
  std::optional<std::string> fatal_;      // guarded by mutex_
};

}  // namespace corral::client
