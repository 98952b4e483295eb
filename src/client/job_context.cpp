// JobContext: what the handler, the heartbeat thread and the worker thread share about one job.
// Every field that changes is in State, under its one mutex; no request is sent while it is held,
// so a slow server never blocks a handler reporting progress.
#include "client/heartbeater.hpp"
#include "client/worker.hpp"

#include "client/reply_error.hpp"
#include "client/reply_jobs.hpp"
#include "client/target.hpp"
#include "wire/json_text.hpp"
#include "wire/request_body.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace corral::client {

namespace json = boost::json;

namespace {

using namespace std::chrono_literals;
using Clock = JobContext::Clock;

// After a heartbeat that did not get through, try again this soon (or at the usual time, if sooner).
constexpr Clock::duration kHeartbeatRetry = 2s;
// Heartbeats at a third of what is left would come ever faster as a max_run_s cap nears (the
// lease no longer grows): this is the closest they come.
constexpr Clock::duration kMinHeartbeatGap = 250ms;
// Progress and checkpoints wait at most this long for a heartbeat; reports closer together share one.
constexpr Clock::duration kReportGap = 250ms;

}  // namespace

struct JobContext::State {
  mutable std::mutex mutex;
  mutable std::condition_variable stop_changed;
  // All guarded by mutex.
  Clock::time_point lease_end, heartbeat_due, last_sent{};
  bool capped_by_max_run = false;   // the lease ends where max_run_s does: no heartbeat extends it
  bool cancel_requested = false, released = false, lease_lost = false;
  bool stop_signalled = false;      // on_stop's callback has run
  std::string lease_lost_reason;
  std::optional<core::Progress> pending_progress;
  std::optional<std::string> pending_checkpoint;   // JSON text
  std::function<void()> on_stop, wake;

  bool should_stop() const { return cancel_requested || released || lease_lost; }

  // After a flag behind should_stop() was set.
  void signal_stop() {
    stop_changed.notify_all();
    if (!stop_signalled && on_stop) on_stop();
    stop_signalled = static_cast<bool>(on_stop);
  }

  // Takes the lease's end and the next heartbeat from a fetch or heartbeat reply `job`, counting
  // from `sent`. Returns false, changing nothing, if `job` does not tell.
  bool renew(Clock::time_point sent, core::Job const& job) {
    if (!job.lease_expires_at) return false;
    auto const expires = *job.lease_expires_at;
    auto const left = std::chrono::duration_cast<Clock::duration>(expires - job.updated_at);
    lease_end = sent + left;
    heartbeat_due = std::min(sent + std::max(left / 3, kMinHeartbeatGap), lease_end);
    capped_by_max_run = job.started_at && job.max_run_s &&
                        expires >= *job.started_at + core::seconds_to_micros(*job.max_run_s);
    return true;
  }

  void lose_lease(std::string reason) {
    lease_lost = true;
    lease_lost_reason = std::move(reason);
    signal_stop();
  }
};

JobContext::JobContext(core::Job job, std::chrono::duration<double> asked_lease, WorkerEventSink events)
    : job_(std::move(job)), lease_token_(job_.lease_token.value_or("")), events_(std::move(events)),
      state_(std::make_unique<State>()) {
  auto const now = Clock::now();
  if (!state_->renew(now, job_)) {
    auto const lease = std::chrono::duration_cast<Clock::duration>(asked_lease);
    state_->lease_end = now + lease;
    state_->heartbeat_due = now + lease / 3;
  }
}

JobContext::~JobContext() = default;

void JobContext::progress(core::Progress const& progress) {
  std::function<void()> wake;
  {
    std::lock_guard lock(state_->mutex);
    state_->pending_progress = core::merge(std::move(state_->pending_progress), core::ProgressUpdate::setting(progress));
    wake = state_->wake;
  }
  if (wake) wake();
}

void JobContext::checkpoint(json::value const& checkpoint) {
  std::function<void()> wake;
  {
    std::lock_guard lock(state_->mutex);
    state_->pending_checkpoint = wire::serialize_json(checkpoint);
    wake = state_->wake;
  }
  if (wake) wake();
}

bool JobContext::cancel_requested() const {
  std::lock_guard lock(state_->mutex);
  return state_->cancel_requested || state_->released;
}

bool JobContext::released() const {
  std::lock_guard lock(state_->mutex);
  return state_->released;
}

bool JobContext::lease_lost() const {
  std::lock_guard lock(state_->mutex);
  return state_->lease_lost;
}

std::string JobContext::lease_lost_reason() const {
  std::lock_guard lock(state_->mutex);
  return state_->lease_lost_reason;
}

bool JobContext::wait_for_stop(std::chrono::duration<double> timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->stop_changed.wait_for(lock, timeout, [this] { return state_->should_stop(); });
}

void JobContext::on_stop(std::function<void()> callback) {
  std::lock_guard lock(state_->mutex);
  state_->on_stop = std::move(callback);
  state_->stop_signalled = false;
  if (state_->should_stop()) state_->signal_stop();
}

Clock::time_point JobContext::next_report() const {
  std::lock_guard lock(state_->mutex);
  if (state_->lease_lost || state_->released) return Clock::time_point::max();
  auto next = state_->heartbeat_due;
  if (state_->pending_progress || state_->pending_checkpoint) next = std::min(next, state_->last_sent + kReportGap);
  return std::min(next, state_->lease_end);
}

void JobContext::beat(Client& client) {
  auto const now = Clock::now();
  api::HeartbeatRequest request{.lease_token = lease_token_};
  std::optional<core::Progress> progress;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->lease_lost || state_->released) return;
    if (now >= state_->lease_end) {
      // The server has ended the attempt by now, or will as soon as it acts on the expiry.
      state_->lose_lease(state_->capped_by_max_run ? "the attempt reached the job's max_run_s"
                                                   : "the lease ran out before a heartbeat could renew it");
      problem("lease lost: " + state_->lease_lost_reason);
      return;
    }
    progress = std::exchange(state_->pending_progress, std::nullopt);
    request.checkpoint = std::exchange(state_->pending_checkpoint, std::nullopt);
    state_->last_sent = now;
  }
  if (progress) request.progress = core::ProgressUpdate::setting(*progress);

  std::optional<Response> reply;
  std::string trouble;
  try {
    reply = client.post(job_target(id(), "heartbeat"), wire::heartbeat_body(request));
    if (reply->status != 200) trouble = "heartbeat refused: " + describe_error(*reply);
  } catch (std::runtime_error const& e) {
    trouble = std::string("heartbeat failed: ") + e.what();
  }

  std::lock_guard lock(state_->mutex);
  if (reply && (reply->status == 404 || reply->status == 409)) {
    // Stale lease, run time exceeded, or the job is gone: nothing this attempt reports will count.
    state_->lose_lease("the server answered " + describe_error(*reply));
    return problem("lease lost: " + state_->lease_lost_reason);
  }
  if (reply && reply->status == 200) {
    auto job = job_of(*reply);
    if (!job) problem("cannot read the heartbeat's reply: " + job.error().message);
    if (job && job->cancel_requested && !state_->cancel_requested) {
      state_->cancel_requested = true;
      state_->signal_stop();
    }
    if (job && state_->renew(now, *job)) return;
    state_->heartbeat_due = std::min(now + kHeartbeatRetry, state_->lease_end);
    return;
  }
  // Not delivered: what it carried goes with the next one, under anything reported since.
  if (progress && state_->pending_progress) {
    state_->pending_progress = core::merge(std::move(progress), core::ProgressUpdate::setting(*state_->pending_progress));
  } else if (progress) {
    state_->pending_progress = std::move(progress);
  }
  if (!state_->pending_checkpoint) state_->pending_checkpoint = std::move(request.checkpoint);
  auto const left = state_->lease_end - now;
  state_->heartbeat_due = std::min({now + kHeartbeatRetry, now + std::max(left / 3, kMinHeartbeatGap), state_->lease_end});
  problem(trouble);
}

void JobContext::release(Client& client) {
  flush(client);   // a release takes no checkpoint: it goes with a heartbeat first
  std::optional<std::string> trouble;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->released) return;
    if (!state_->lease_lost) trouble = "";
  }
  if (trouble) trouble = release_lease(client, id(), lease_token_);
  std::lock_guard lock(state_->mutex);
  state_->released = true;
  state_->signal_stop();
  if (!trouble) return;   // the lease was lost already: nothing to hand back
  if (trouble->empty()) {
    emit({WorkerEvent::Kind::released, id(), type(), attempt(), 0, "handed back at the stop deadline", job_.trace_id});
  } else {
    problem("could not hand the job back: " + *trouble);
  }
}

std::optional<core::Progress> JobContext::take_unsent_progress() {
  std::lock_guard lock(state_->mutex);
  return std::exchange(state_->pending_progress, std::nullopt);
}

void JobContext::flush(Client& client) {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->pending_progress && !state_->pending_checkpoint) return;
  }
  beat(client);
}

void JobContext::set_wake(std::function<void()> wake) {
  std::lock_guard lock(state_->mutex);
  state_->wake = std::move(wake);
}

void JobContext::problem(std::string message) const {
  emit(WorkerEvent{WorkerEvent::Kind::problem, id(), type(), attempt(), 0, std::move(message), job_.trace_id});
}

void JobContext::emit(WorkerEvent const& event) const {
  if (events_) events_(event);
}

}  // namespace corral::client
