#include "client/worker.hpp"

#include "client/reply_error.hpp"
#include "client/reply_jobs.hpp"
#include "client/target.hpp"
#include "wire/request_body.hpp"

#include <algorithm>
#include <stdexcept>

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

JobContext::JobContext(Client& client, core::Job job, std::chrono::duration<double> asked_lease,
                       WorkerEventSink const& events)
    : client_(client), job_(std::move(job)), lease_token_(job_.lease_token.value_or("")), events_(events) {
  auto const now = Clock::now();
  if (!renew(now, job_)) {
    auto const lease = std::chrono::duration_cast<Clock::duration>(asked_lease);
    lease_end_ = now + lease;
    heartbeat_due_ = now + lease / 3;
  }
}

bool JobContext::renew(Clock::time_point sent, core::Job const& job) {
  if (!job.lease_expires_at) return false;
  auto const expires = *job.lease_expires_at;
  auto const left = std::chrono::duration_cast<Clock::duration>(expires - job.updated_at);
  lease_end_ = sent + left;
  heartbeat_due_ = std::min(sent + std::max(left / 3, kMinHeartbeatGap), lease_end_);
  capped_by_max_run_ = job.started_at && job.max_run_s &&
                       expires >= *job.started_at + core::seconds_to_micros(*job.max_run_s);
  return true;
}

void JobContext::heartbeat(std::optional<core::Progress> const& progress) {
  if (lease_lost_) return;
  auto const now = Clock::now();
  if (now >= lease_end_) {
    // The server has ended the attempt by now, or will as soon as it acts on the expiry.
    lose_lease(capped_by_max_run_ ? "the attempt reached the job's max_run_s"
                                  : "the lease ran out before a heartbeat could renew it");
    return;
  }
  api::HeartbeatRequest request{.lease_token = lease_token_};
  if (progress) request.progress = core::ProgressUpdate::setting(*progress);
  try {
    auto reply = client_.post(job_target(id(), "heartbeat"), wire::heartbeat_body(request));
    if (reply.status == 200) {
      auto job = job_of(reply);
      if (!job) problem("cannot read the heartbeat's reply: " + job.error().message);
      cancel_requested_ = cancel_requested_ || (job && job->cancel_requested);
      if (!job || !renew(now, *job)) heartbeat_due_ = std::min(now + kHeartbeatRetry, lease_end_);
      return;
    }
    if (reply.status == 404 || reply.status == 409) {
      // Stale lease, run time exceeded, or the job is gone: nothing this attempt reports will count.
      lose_lease("the server answered " + describe_error(reply));
      return;
    }
    problem("heartbeat refused: " + describe_error(reply));
  } catch (std::runtime_error const& e) {
    problem(std::string("heartbeat failed: ") + e.what());
  }
  heartbeat_due_ = std::min({now + kHeartbeatRetry, now + std::max((lease_end_ - now) / 3, kMinHeartbeatGap), lease_end_});
}

void JobContext::lose_lease(std::string reason) {
  lease_lost_ = true;
  lease_lost_reason_ = std::move(reason);
  heartbeat_due_ = Clock::time_point::max();
  problem("lease lost: " + lease_lost_reason_);
}

void JobContext::problem(std::string message) const {
  if (events_) events_(WorkerEvent{WorkerEvent::Kind::problem, id(), type(), attempt(), 0, std::move(message), job_.trace_id});
}

}  // namespace corral::client
