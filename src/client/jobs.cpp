#include "client/jobs.hpp"

#include "client/reply_error.hpp"
#include "client/reply_jobs.hpp"
#include "client/retry_policy.hpp"
#include "client/target.hpp"
#include "core/number_text.hpp"
#include "wire/json_text.hpp"
#include "wire/reply_json.hpp"
#include "wire/request_body.hpp"

#include <algorithm>
#include <thread>

namespace corral::client {

namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr double kMaxWaitS = 60;   // the server's ceiling for ?wait
// A long-poll is given this much less than the client's timeout, so the reply beats it.
constexpr Seconds kWaitMargin{5};

// The reply if its status is `expected`; ApiError otherwise.
Response const& expect(Response const& reply, int expected) {
  if (reply.status != expected) throw ApiError::of(reply);
  return reply;
}

template <class T>
T decoded(core::Result<T> value, Response const& reply) {
  if (!value) throw ApiError(reply.status, "invalid_reply", value.error().message);
  return std::move(*value);
}

}  // namespace

api::EnqueueResult Jobs::enqueue(core::EnqueueRequest const& request) {
  auto reply = client_.post("/api/v1/jobs", wire::enqueue_body(request));
  // 201: created; 200: the job an idempotency key already named.
  if (reply.status != 201 && reply.status != 200) throw ApiError::of(reply);
  return {.job = decoded(job_of(reply), reply), .created = reply.status == 201};
}

std::vector<core::Job> Jobs::enqueue_batch(std::span<core::EnqueueRequest const> requests) {
  auto reply = client_.post("/api/v1/jobs/batch", wire::enqueue_batch_body(requests));
  return decoded(jobs_of(expect(reply, 201)), reply);
}

std::vector<JobRef> Jobs::enqueue_batch_refs(std::span<core::EnqueueRequest const> requests) {
  auto reply = client_.post("/api/v1/jobs/batch", wire::enqueue_batch_body(requests), {{"Prefer", "return=minimal"}});
  return decoded(job_refs_of(expect(reply, 201)), reply);
}

core::Job Jobs::get(std::string const& id) {
  auto reply = client_.get(job_target(id));
  return decoded(job_of(expect(reply, 200)), reply);
}

core::Job Jobs::wait(std::string const& id, std::chrono::duration<double> timeout) {
  auto const deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout);
  double const longest_s = std::max(1.0, std::min(kMaxWaitS, (Seconds(client_.timeout()) - kWaitMargin).count()));
  RetryBackoff backoff;
  for (;;) {
    auto const sent = Clock::now();
    double const wait_s = std::clamp(Seconds(deadline - sent).count(), 0.0, longest_s);
    auto reply = client_.get(with_query(job_target(id), {{"wait", core::format_number(wait_s)}}));
    auto const answered = Clock::now();
    Seconds pause{0};
    if (is_transient(reply)) {
      pause = backoff.next(&reply);   // too_many_long_polls, or the server is going away
    } else {
      auto job = decoded(job_of(expect(reply, 200)), reply);
      if (core::is_terminal(job.status) || answered >= deadline) return job;
      // A reply long before its wait was up, with the job still going, is a server that answers
      // every wait at once (one shutting down): asking again at once would spin.
      if (Seconds(answered - sent).count() < wait_s / 2) pause = backoff.next(nullptr);
    }
    if (answered + std::chrono::duration_cast<Clock::duration>(pause) >= deadline) {
      if (is_transient(reply)) throw ApiError::of(reply);
      std::this_thread::sleep_until(deadline);
      continue;   // one last look at the deadline
    }
    std::this_thread::sleep_for(pause);
  }
}

JobList Jobs::list(ListFilter const& f) {
  std::vector<std::pair<std::string, std::string>> query{
      {"status", f.status ? std::string(core::to_string(*f.status)) : ""},
      {"queue", f.queue.value_or("")},
      {"type", f.type.value_or("")},
      {"owner", f.owner.value_or("")},
      {"limit", f.limit ? std::to_string(*f.limit) : ""},
      {"cursor", f.cursor.value_or("")}};
  auto reply = client_.get(with_query("/api/v1/jobs", query));
  JobList page{.jobs = decoded(jobs_of(expect(reply, 200)), reply)};
  auto v = wire::parse_reply(reply.body);
  auto const* cursor = v && v->is_object() ? v->get_object().if_contains("next_cursor") : nullptr;
  if (cursor && cursor->is_string()) page.next_cursor = std::string(cursor->get_string());
  return page;
}

core::Job Jobs::cancel(std::string const& id) {
  auto reply = client_.post(job_target(id, "cancel"));
  return decoded(job_of(expect(reply, 200)), reply);
}

core::Job Jobs::retry(std::string const& id) {
  auto reply = client_.post(job_target(id, "retry"));
  return decoded(job_of(expect(reply, 200)), reply);
}

void Jobs::remove(std::string const& id) { expect(client_.del(job_target(id)), 204); }

}  // namespace corral::client
