#include "client/worker.hpp"

#include "client/heartbeater.hpp"
#include "client/reply_error.hpp"
#include "client/reply_jobs.hpp"
#include "client/retry_policy.hpp"
#include "client/target.hpp"
#include "wire/json_text.hpp"
#include "wire/request_body.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace corral::client {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// A report the server could not take (a 5xx, no reply: a restart, a database failover) is resent
// with backoff (retry_policy.hpp) for this long before the worker gives up on it and leaves the
// job to its lease expiry: longer than a failover takes. Resending is safe: the server recognises
// a report that already won, and refuses one whose lease has run out.
constexpr auto kReportRetryFor = 5min;
constexpr auto kReportTimeout = 30s;
// A fetch may take its wait_s, plus this, before its connection is given up.
constexpr auto kFetchSlack = 30s;
// How long stop() lets fetches in flight finish before it cancels them (see stop()).
constexpr auto kFetchCancelGrace = 500ms;

std::string default_worker_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
  return std::string(host) + ":" + std::to_string(::getpid());
}

std::string first_line(std::string const& text) { return text.substr(0, text.find('\n')); }

// The progress a completing handler gave, over what it reported and was not sent yet.
std::optional<core::Progress> final_progress(std::optional<core::Progress> unsent, std::optional<core::Progress> given) {
  return given ? core::merge(std::move(unsent), core::ProgressUpdate::setting(*given)) : unsent;
}

}  // namespace

JobOutcome JobOutcome::success(json::value result) {
  JobOutcome outcome;
  outcome.completed = true;
  outcome.result = std::move(result);
  return outcome;
}

JobOutcome JobOutcome::failure(std::string code, std::string message, bool retryable) {
  JobOutcome outcome;
  outcome.error_code = std::move(code);
  outcome.error_message = std::move(message);
  outcome.retryable = retryable;
  return outcome;
}

Worker::Worker(WorkerOptions options, Handler handler, WorkerEventSink events)
    : options_(std::move(options)), handler_(std::move(handler)), events_(std::move(events)) {
  if (options_.worker_id.empty()) options_.worker_id = default_worker_id();
  heartbeater_ = std::make_unique<Heartbeater>(connect(kReportTimeout));
}

Worker::~Worker() = default;

Client Worker::connect(std::chrono::milliseconds timeout) const {
  auto options = options_.client;
  options.timeout = timeout;
  return Client(options_.server_url, options);
}

std::optional<std::string> Worker::run() {
  std::thread heartbeats([this] { heartbeater_->run(); });
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, options_.concurrency); ++i) threads.emplace_back([this, i] { work(i + 1); });
  for (auto& t : threads) t.join();
  heartbeater_->finish();
  heartbeats.join();
  std::lock_guard lock(mutex_);
  return fatal_;
}

void Worker::stop(std::chrono::duration<double> grace) {
  heartbeater_->release_all_at(std::chrono::steady_clock::now() +
                               std::chrono::duration_cast<std::chrono::steady_clock::duration>(grace));
  stop();
}

void Worker::stop() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  stop_signal_.notify_all();
  // A fetch the server has just answered must still be read, or its job would stay leased to no
  // one until the lease expires. Replies come within milliseconds of the server's decision, so
  // fetches still waiting after this grace are waiting for work, and can be cancelled.
  stop_signal_.wait_for(lock, kFetchCancelGrace, [this] { return fetching_.empty(); });
  for (auto* fetcher : fetching_) fetcher->cancel();
}

void Worker::halt(std::string reason) {
  std::lock_guard lock(mutex_);
  fatal_ = std::move(reason);
  stopping_ = true;
  for (auto* fetcher : fetching_) fetcher->cancel();   // the server refuses fetches: none is answered
  stop_signal_.notify_all();
}

bool Worker::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void Worker::pause_unless_stopped(std::chrono::duration<double> delay) {
  std::unique_lock lock(mutex_);
  stop_signal_.wait_for(lock, delay, [this] { return stopping_; });
}

std::optional<Response> Worker::fetch(Client& fetcher, std::string const& body, std::string& problem) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return std::nullopt;
    fetching_.push_back(&fetcher);
  }
  std::optional<Response> reply;
  try {
    reply = fetcher.request("POST", "/api/v1/fetch", body);
  } catch (std::runtime_error const& e) {
    problem = e.what();
  }
  {
    std::lock_guard lock(mutex_);
    fetching_.erase(std::remove(fetching_.begin(), fetching_.end(), &fetcher), fetching_.end());
    if (!reply && stopping_) problem.clear();   // cancelled by stop(): not a problem
  }
  stop_signal_.notify_all();
  return reply;
}

void Worker::emit(WorkerEvent event) const {
  if (events_) events_(event);
}

// One worker thread: fetch, run, report, until stopped.
void Worker::work(int index) {
  Client fetcher = connect(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::duration<double>(options_.fetch_wait_s)) + kFetchSlack);
  Client reporter = connect(kReportTimeout);
  api::FetchRequest request{.queues = options_.queues,
                            .worker_id = options_.worker_id + ":" + std::to_string(index),
                            .count = 1,
                            .wait = core::seconds_to_micros(options_.fetch_wait_s)};
  if (options_.lease_s) request.lease = core::seconds_to_micros(*options_.lease_s);
  auto const body = wire::serialize_json(wire::fetch_body(request));

  // A server that is restarting or failing over is not hammered, and is found soon once it is back.
  RetryBackoff retry;
  for (;;) {
    std::string problem;
    auto reply = fetch(fetcher, body, problem);
    if (!reply && problem.empty()) break;   // stopping
    if (!reply || is_transient(*reply)) {
      emit({WorkerEvent::Kind::problem, "", "", 0, 0,
            reply ? "fetch failed: " + describe_error(*reply) : "cannot fetch: " + problem});
      pause_unless_stopped(retry.next(reply ? &*reply : nullptr));
      continue;
    }
    if (reply->status != 200) {
      // The request itself is wrong (say, a bad queue name): repeating it cannot help.
      halt("fetch refused: " + describe_error(*reply));
      break;
    }
    retry.reset();
    auto jobs = jobs_of(*reply);
    if (!jobs) {
      // Leased to this worker but unreadable: said in the log, as their leases will run out.
      emit({WorkerEvent::Kind::problem, "", "", 0, 0, "cannot read the fetched jobs: " + jobs.error().message});
      continue;
    }
    for (auto& job : *jobs) {
      // A job that arrives once stopping is handed back at once, for another worker to run.
      if (stopping()) {
        release(reporter, std::move(job));
      } else {
        run_job(reporter, std::move(job));
      }
    }
  }
}

void Worker::run_job(Client& reporter, core::Job job) {
  double lease_s = options_.lease_s.value_or(job.timeout_s);
  JobContext context(std::move(job), std::chrono::duration<double>(lease_s), events_);
  emit({WorkerEvent::Kind::started, context.id(), context.type(), context.attempt(), 0, "", context.job().trace_id});

  auto const started = std::chrono::steady_clock::now();
  heartbeater_->add(context);
  JobOutcome outcome;
  try {
    outcome = handler_(context);
  } catch (std::exception const& e) {
    outcome = JobOutcome::failure("handler_error", e.what());
  }
  heartbeater_->remove(context);
  double duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (context.released()) return;   // handed back at the stop deadline: no longer this worker's
  // What the handler reported and was not sent yet goes out before the outcome: a complete
  // carries the progress; a checkpoint (and a failure's progress) goes with a last heartbeat.
  if (outcome.completed) outcome.progress = final_progress(context.take_unsent_progress(), std::move(outcome.progress));
  context.flush(reporter);
  if (context.lease_lost()) {
    // Why, and what became of the work: it completed too late to count, or it was stopped.
    std::string what = outcome.completed ? "it completed, too late to count" : first_line(outcome.error_message);
    emit({WorkerEvent::Kind::lease_lost, context.id(), context.type(), context.attempt(), duration_s,
          context.lease_lost_reason() + (what.empty() ? "" : "; " + what), context.job().trace_id});
    return;
  }
  report(reporter, context, outcome, duration_s);
}

void Worker::report(Client& reporter, JobContext const& context, JobOutcome const& outcome, double duration_s) {
  json::object body;
  if (outcome.completed) {
    api::CompleteRequest complete{.lease_token = context.lease_token()};
    if (!outcome.result.is_null()) complete.result = wire::serialize_json(outcome.result);
    if (outcome.progress) complete.progress = core::ProgressUpdate::setting(*outcome.progress);
    body = wire::complete_body(complete);
  } else {
    body = wire::fail_body({.lease_token = context.lease_token(),
                            .error = {outcome.error_code, outcome.error_message, outcome.retryable}});
  }
  auto const target = job_target(context.id(), outcome.completed ? "complete" : "fail");
  auto kind = outcome.completed           ? WorkerEvent::Kind::completed
              : context.cancel_requested() ? WorkerEvent::Kind::cancelled
                                           : WorkerEvent::Kind::failed;
  WorkerEvent event{kind,
                    context.id(), context.type(), context.attempt(), duration_s,
                    outcome.completed ? "" : outcome.error_code + ": " + first_line(outcome.error_message),
                    context.job().trace_id};

  RetryBackoff retry;
  auto const give_up = std::chrono::steady_clock::now() + kReportRetryFor;
  for (;;) {
    std::string problem;
    std::optional<Response> reply;
    try {
      reply = reporter.post(target, body);
      if (reply->status == 200) return emit(event);
      problem = describe_error(*reply);
    } catch (std::runtime_error const& e) {
      problem = e.what();
    }
    // Anything but a server failure is final (409: the lease was lost).
    bool const final_answer = reply && !is_transient(*reply);
    auto const pause = retry.next(reply ? &*reply : nullptr);
    if (final_answer || std::chrono::steady_clock::now() + pause > give_up) {
      emit({WorkerEvent::Kind::problem, context.id(), context.type(), context.attempt(), duration_s,
            "could not report the outcome: " + problem, context.job().trace_id});
      return;
    }
    // Not cut short by stop(): reporting a finished job is what a stopping worker still owes.
    std::this_thread::sleep_for(pause);
  }
}

void Worker::release(Client& reporter, core::Job job) {
  WorkerEvent event{WorkerEvent::Kind::released, job.id, job.type, job.attempt, 0, "", job.trace_id};
  if (auto trouble = release_lease(reporter, job.id, job.lease_token.value_or("")); !trouble.empty()) {
    event.kind = WorkerEvent::Kind::problem;
    event.message = "could not hand the job back: " + trouble;
  }
  emit(event);
}

}  // namespace corral::client
