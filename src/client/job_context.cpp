#include "client/worker.hpp"

#include "client/reply_error.hpp"
#include "client/target.hpp"

#include <algorithm>
#include <stdexcept>

namespace corral::client {

namespace json = boost::json;

namespace {

// After a heartbeat that did not get through, try again this soon (or at the usual time, if sooner).
constexpr auto kHeartbeatRetry = std::chrono::seconds(2);

std::string string_field(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
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

JobContext::JobContext(Client& client, json::object job, std::chrono::duration<double> lease,
                       WorkerEventSink const& events)
    : client_(client),
      job_(std::move(job)),
      id_(string_field(job_, "id")),
      lease_token_(string_field(job_, "lease_token")),
      // A third of the lease: two heartbeats may be lost before the lease runs out.
      interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(lease / 3)),
      heartbeat_due_(std::chrono::steady_clock::now() + interval_),
      events_(events) {}

std::string JobContext::type() const { return string_field(job_, "type"); }

int JobContext::attempt() const {
  auto const* v = job_.if_contains("attempt");
  return v && v->is_int64() ? static_cast<int>(v->get_int64()) : 0;
}

void JobContext::heartbeat(json::value const& progress) {
  auto const now = std::chrono::steady_clock::now();
  json::object body{{"lease_token", lease_token_}};
  if (progress.is_object()) body["progress"] = progress;
  try {
    auto reply = client_.post(job_target(id_, "heartbeat"), body);
    if (reply.status == 200) {
      auto v = reply.json();
      auto const* cancel = v.is_object() ? v.get_object().if_contains("cancel_requested") : nullptr;
      cancel_requested_ = cancel_requested_ || (cancel && cancel->is_bool() && cancel->get_bool());
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
  if (events_) events_(WorkerEvent{WorkerEvent::Kind::problem, id_, type(), attempt(), 0, std::move(message)});
}

}  // namespace corral::client
