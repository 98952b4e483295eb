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

// `event`, as a problem with `message`: a report the server did not take.
WorkerEvent problem_with(WorkerEvent event, std::string message) {
  event.kind = WorkerEvent::Kind::problem;
  event.message = std::move(message);
  return event;
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
    : options_(std::move(options)),
      handler_(std::move(handler)),
      events_(std::move(events)),
      fetcher_(connect(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::duration<double>(options_.fetch_wait_s)) + kFetchSlack)) {
  if (options_.worker_id.empty()) options_.worker_id = default_worker_id();
  options_.concurrency = std::max(1, options_.concurrency);
  fetch_request_ = {.queues = options_.queues,
                    .worker_id = options_.worker_id,
                    .count = 1,
                    .wait = core::seconds_to_micros(options_.fetch_wait_s)};
  if (options_.lease_s) fetch_request_.lease = core::seconds_to_micros(*options_.lease_s);
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
  for (int i = 0; i < options_.concurrency; ++i) threads.emplace_back([this] { work(); });
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

void Worker::emit(WorkerEvent event) const {
  if (events_) events_(event);
}

// One worker thread: take a job, run it, report it, until stopped.
void Worker::work() {
  Client reporter = connect(kReportTimeout);
  while (auto job = next_job()) {
    // A job handed out once stopping is handed back at once, for another worker to run.
    if (stopping()) {
      release(reporter, std::move(*job));
    } else {
      run_job(reporter, std::move(*job));
    }
    std::lock_guard lock(mutex_);
    --running_;
  }
}

std::optional<core::Job> Worker::next_job() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!fetched_.empty()) {
      auto job = std::move(fetched_.front());
      fetched_.pop_front();
      ++running_;
      return job;
    }
    if (stopping_) return std::nullopt;
    if (fetch_in_flight_) {
      stop_signal_.wait(lock);
      continue;
    }
    // Every thread that holds no job is free, this one among them. At most 100 per fetch, the
    // server's limit.
    fetch_jobs(lock, std::min(100, options_.concurrency - running_));
  }
}

void Worker::fetch_jobs(std::unique_lock<std::mutex>& lock, int count) {
  fetch_in_flight_ = true;
  fetching_.push_back(&fetcher_);
  lock.unlock();
  auto request = fetch_request_;
  request.count = count;
  std::optional<Response> reply;
  std::string problem;
  try {
    reply = fetcher_.request("POST", "/api/v1/fetch", wire::serialize_json(wire::fetch_body(request)));
  } catch (std::runtime_error const& e) {
    problem = e.what();
  }
  std::optional<std::vector<core::Job>> jobs;
  if (reply && reply->status == 200) {
    fetch_retry_.reset();
    if (auto read = jobs_of(*reply)) {
      jobs = std::move(*read);
    } else {
      // Leased to this worker but unreadable: said in the log, as their leases will run out.
      emit({WorkerEvent::Kind::problem, "", "", 0, 0, "cannot read the fetched jobs: " + read.error().message});
    }
  }
  lock.lock();
  fetching_.erase(std::remove(fetching_.begin(), fetching_.end(), &fetcher_), fetching_.end());
  if (jobs) std::move(jobs->begin(), jobs->end(), std::back_inserter(fetched_));
  bool const cancelled = !reply && stopping_;   // by stop(): not a problem
  if (reply && reply->status != 200 && !is_transient(*reply)) {
    // The request itself is wrong (say, a bad queue name): repeating it cannot help.
    lock.unlock();
    halt("fetch refused: " + describe_error(*reply));
    lock.lock();
  } else if (!cancelled && (!reply || is_transient(*reply))) {
    // A server that is restarting or failing over is not hammered, and is found soon once it is
    // back. The other free threads wait for this one meanwhile.
    lock.unlock();
    emit({WorkerEvent::Kind::problem, "", "", 0, 0,
          reply ? "fetch failed: " + describe_error(*reply) : "cannot fetch: " + problem});
    pause_unless_stopped(fetch_retry_.next(reply ? &*reply : nullptr));
    lock.lock();
  }
  fetch_in_flight_ = false;
  stop_signal_.notify_all();
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

namespace {

// Sends a report until the server answers it: resent while the server cannot take it (5xx, no
// reply) for up to kReportRetryFor. The answer (any status), or nullopt with `problem` set.
// Not cut short by stop(): reporting a finished job is what a stopping worker still owes.
std::optional<Response> send_report(Client& reporter, std::string const& target, json::object const& body,
                                    std::string& problem) {
  auto const give_up = std::chrono::steady_clock::now() + kReportRetryFor;
  RetryBackoff retry;
  for (;;) {
    std::optional<Response> reply;
    try {
      reply = reporter.post(target, body);
      if (!is_transient(*reply)) return reply;
      problem = describe_error(*reply);
    } catch (std::runtime_error const& e) {
      problem = e.what();
    }
    auto const pause = retry.next(reply ? &*reply : nullptr);
    if (std::chrono::steady_clock::now() + pause > give_up) return std::nullopt;
    std::this_thread::sleep_for(pause);
  }
}

}  // namespace

void Worker::report(Client& reporter, JobContext const& context, JobOutcome const& outcome, double duration_s) {
  auto kind = outcome.completed           ? WorkerEvent::Kind::completed
              : context.cancel_requested() ? WorkerEvent::Kind::cancelled
                                           : WorkerEvent::Kind::failed;
  WorkerEvent event{kind,
                    context.id(), context.type(), context.attempt(), duration_s,
                    outcome.completed ? "" : outcome.error_code + ": " + first_line(outcome.error_message),
                    context.job().trace_id};
  if (outcome.completed) {
    api::CompleteRequest report{.lease_token = context.lease_token()};
    if (!outcome.result.is_null()) report.result = wire::serialize_json(outcome.result);
    if (outcome.progress) report.progress = core::ProgressUpdate::setting(*outcome.progress);
    return complete(reporter, {api::CompleteItem{context.id(), std::move(report)}, std::move(event)});
  }
  auto const body = wire::fail_body({.lease_token = context.lease_token(),
                                     .error = {outcome.error_code, outcome.error_message, outcome.retryable}});
  std::string problem;
  auto reply = send_report(reporter, job_target(context.id(), "fail"), body, problem);
  // Anything but 200 is final (409: the lease was lost).
  if (reply && reply->status == 200) return emit(event);
  emit(problem_with(event, "could not report the outcome: " + (reply ? describe_error(*reply) : problem)));
}

void Worker::complete(Client& reporter, PendingCompletion completion) {
  std::unique_lock lock(mutex_);
  completions_.push_back(std::move(completion));
  if (completing_) return;   // the thread sending now sends this one too
  completing_ = true;
  while (!completions_.empty()) {
    // The server takes up to max_batch_jobs (1000 by default) per call; a worker has far fewer
    // threads than that, so one call carries every completion that is ready.
    auto batch = std::move(completions_);
    completions_.clear();
    lock.unlock();
    send_completions(reporter, std::move(batch));
    lock.lock();
  }
  completing_ = false;
}

// Several completions go in one POST /complete, each answered on its own. A batch the server
// refuses whole (a result nested as deep as json_max_depth allows is too deep inside the batch's
// two extra levels; a body over max_body_bytes) goes one completion per request instead, as does
// a single one.
void Worker::send_completions(Client& reporter, std::vector<PendingCompletion> batch) {
  std::string problem;
  if (batch.size() > 1) {
    json::array items;
    items.reserve(batch.size());
    for (auto const& c : batch) {
      auto item = wire::complete_body(c.item.report);
      item["id"] = c.item.id;
      items.push_back(std::move(item));
    }
    auto reply = send_report(reporter, "/api/v1/complete", json::object{{"jobs", std::move(items)}}, problem);
    if (reply && reply->status == 200) {
      auto const results = completion_results(*reply, batch.size());
      for (std::size_t i = 0; i < batch.size(); ++i) {
        emit(results[i].empty() ? batch[i].event : problem_with(batch[i].event, "could not report the outcome: " + results[i]));
      }
      return;
    }
    if (!reply) {
      for (auto const& c : batch) emit(problem_with(c.event, "could not report the outcome: " + problem));
      return;
    }
  }
  for (auto const& c : batch) {
    auto reply = send_report(reporter, job_target(c.item.id, "complete"), wire::complete_body(c.item.report), problem);
    if (reply && reply->status == 200) {
      emit(c.event);
    } else {
      emit(problem_with(c.event, "could not report the outcome: " + (reply ? describe_error(*reply) : problem)));
    }
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
