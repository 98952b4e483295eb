#include "client/worker.hpp"

#include "client/reply_error.hpp"
#include "client/target.hpp"
#include "wire/time_format.hpp"

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

std::string string_field(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<core::TimePoint> time_field(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return wire::parse_rfc3339(v->get_string());
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

JobContext::JobContext(Client& client, json::object job, std::chrono::duration<double> asked_lease,
                       WorkerEventSink const& events)
    : client_(client),
      job_(std::move(job)),
      id_(string_field(job_, "id")),
      lease_token_(string_field(job_, "lease_token")),
      events_(events) {
  auto const now = Clock::now();
  if (!renew(now, job_)) {
    auto const lease = std::chrono::duration_cast<Clock::duration>(asked_lease);
    lease_end_ = now + lease;
    heartbeat_due_ = now + lease / 3;
  }
}

std::string JobContext::type() const { return string_field(job_, "type"); }

int JobContext::attempt() const {
  auto const* v = job_.if_contains("attempt");
  return v && v->is_int64() ? static_cast<int>(v->get_int64()) : 0;
}

bool JobContext::renew(Clock::time_point sent, json::object const& job) {
  auto const expires = time_field(job, "lease_expires_at");
  auto const server_now = time_field(job, "updated_at");
  if (!expires || !server_now) return false;
  auto const left = std::chrono::duration_cast<Clock::duration>(*expires - *server_now);
  lease_end_ = sent + left;
  heartbeat_due_ = std::min(sent + std::max(left / 3, kMinHeartbeatGap), lease_end_);
  auto const started = time_field(job, "started_at");
  auto const* max_run = job.if_contains("max_run_s");
  capped_by_max_run_ = started && max_run && max_run->is_number() &&
                       *expires >= *started + core::seconds_to_micros(max_run->to_number<double>());
  return true;
}

void JobContext::heartbeat(json::value const& progress) {
  if (lease_lost_) return;
  auto const now = Clock::now();
  if (now >= lease_end_) {
    // The server has ended the attempt by now, or will as soon as it acts on the expiry.
    lose_lease(capped_by_max_run_ ? "the attempt reached the job's max_run_s"
                                  : "the lease ran out before a heartbeat could renew it");
    return;
  }
  json::object body{{"lease_token", lease_token_}};
  if (progress.is_object()) body["progress"] = progress;
  try {
    auto reply = client_.post(job_target(id_, "heartbeat"), body);
    if (reply.status == 200) {
      auto v = reply.json();
      auto const* job = v.if_object();
      auto const* cancel = job ? job->if_contains("cancel_requested") : nullptr;
      cancel_requested_ = cancel_requested_ || (cancel && cancel->is_bool() && cancel->get_bool());
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
  if (events_) events_(WorkerEvent{WorkerEvent::Kind::problem, id_, type(), attempt(), 0, std::move(message)});
}

}  // namespace corral::client
