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

// After a heartbeat that did not get through, try again this soon (or at the usual time, if sooner).
constexpr auto kHeartbeatRetry = std::chrono::seconds(2);

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

JobContext::JobContext(Client& client, core::Job job, std::chrono::duration<double> lease,
                       WorkerEventSink const& events)
    : client_(client),
      job_(std::move(job)),
      lease_token_(job_.lease_token.value_or("")),
      // A third of the lease: two heartbeats may be lost before the lease runs out.
      interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(lease / 3)),
      heartbeat_due_(std::chrono::steady_clock::now() + interval_),
      events_(events) {}

void JobContext::heartbeat(std::optional<core::Progress> const& progress) {
  auto const now = std::chrono::steady_clock::now();
  try {
    auto reply = client_.post(job_target(id(), "heartbeat"),
                              wire::heartbeat_body({.lease_token = lease_token_, .progress = progress}));
    if (reply.status == 200) {
      auto job = job_of(reply);
      if (!job) problem("cannot read the heartbeat's reply: " + job.error().message);
      cancel_requested_ = cancel_requested_ || (job && job->cancel_requested);
      heartbeat_due_ = now + interval_;
      return;
    }
    if (reply.status == 404 || reply.status == 409) {
      // Stale lease, run time exceeded, or the job is gone: nothing this attempt reports will count.
      lease_lost_ = true;
      heartbeat_due_ = std::chrono::steady_clock::time_point::max();
      problem("lease lost: " + describe_error(reply));
      return;
    }
    problem("heartbeat refused: " + describe_error(reply));
  } catch (std::runtime_error const& e) {
    problem(std::string("heartbeat failed: ") + e.what());
  }
  heartbeat_due_ = now + std::min<std::chrono::steady_clock::duration>(interval_, kHeartbeatRetry);
}

void JobContext::problem(std::string message) const {
  if (events_) events_(WorkerEvent{WorkerEvent::Kind::problem, id(), type(), attempt(), 0, std::move(message)});
}

}  // namespace corral::client
