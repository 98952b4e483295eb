// Job, queue and error values -> JSON. The reverse direction is in job_from_json.cpp.
//
// Two choices clients see:
// - JSON-text fields (payload, checkpoint, result, metadata) are embedded as JSON values, not as
//   strings holding JSON. Text that does not parse (it cannot come from wire/, which serializes
//   what it parsed) is embedded as a string rather than dropped.
// - A whole-number double (timeout_s = 300) becomes an integer value, so a client that reads the
//   value (or serializes it with Boost.JSON, which would write 300.0 as 3E2) sees 300. Corral's
//   own text (json_text.hpp) writes every number as people write it.
#include "wire/job_json.hpp"

#include "core/job_state.hpp"
#include "core/progress_rules.hpp"
#include "wire/time_format.hpp"

#include <boost/json/parse.hpp>

#include <cmath>

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr std::size_t kStoredTextMaxDepth = 100000;
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53: every integer below is exact

json::value number(double d) {
  if (d == std::trunc(d) && std::fabs(d) <= kMaxExactInteger) return static_cast<std::int64_t>(d);
  return d;
}

template <class T, class F>
json::value optional_value(std::optional<T> const& o, F&& convert) {
  return o ? json::value(convert(*o)) : json::value(nullptr);
}

json::value time_value(core::TimePoint t) { return json::value(format_rfc3339(t)); }
json::value optional_time(std::optional<core::TimePoint> const& t) { return optional_value(t, time_value); }
json::value optional_string(std::optional<std::string> const& s) {
  return optional_value(s, [](std::string const& v) { return json::value(v); });
}
json::value optional_number(std::optional<double> const& d) { return optional_value(d, number); }

json::value embed(std::string_view text) {
  // The text passed parse_body's depth limit when it came in, which is configurable; reading it
  // back must not apply Boost's default of 32 and turn a deep payload into a string.
  json::parse_options options;
  options.max_depth = kStoredTextMaxDepth;
  json::error_code ec;
  json::value v = json::parse(text, ec, json::storage_ptr(), options);
  return ec ? json::value(text) : v;
}
json::value optional_embed(std::optional<std::string> const& text) { return optional_value(text, embed); }

json::object backoff_to_json(core::Backoff const& b) {
  return {{"initial_s", number(b.initial_s)},
          {"multiplier", number(b.multiplier)},
          {"max_s", number(b.max_s)},
          {"jitter", number(b.jitter)}};
}

json::object progress_to_json(core::Progress const& p) {
  return {{"percent", optional_number(p.percent)},
          {"stage", optional_string(p.stage)},
          {"message", optional_string(p.message)},
          {"current", optional_number(p.current)},
          {"total", optional_number(p.total)}};
}

json::array stages_to_json(std::vector<core::Stage> const& stages) {
  json::array out;
  for (core::Stage const& stage : stages) {
    out.emplace_back(json::object{{"name", stage.name},
                                  {"status", core::to_string(stage.status)},
                                  {"started_at", optional_time(stage.started_at)},
                                  {"ended_at", optional_time(stage.ended_at)}});
  }
  return out;
}

json::object job_error_to_json(core::JobError const& e) {
  return {{"code", e.code}, {"message", e.message}, {"retryable", e.retryable}};
}

// The lease token of an attempt is kept only in storage (queue/stored_json.hpp), where it lets a
// resent report be recognised; on the API it would hand out a past lease.
json::object attempt_to_json(core::Attempt const& a) {
  json::object o{{"attempt", a.number},
                 {"started_at", time_value(a.started_at)},
                 {"ended_at", optional_time(a.ended_at)},
                 {"worker_id", a.worker_id},
                 {"outcome", core::to_string(a.outcome)},
                 {"error", optional_value(a.error, job_error_to_json)}};
  return o;
}

json::object webhook_to_json(core::Webhook const& w) {
  return {{"delivery_id", w.delivery_id},
          {"state", core::to_string(w.state)},
          {"attempts", w.attempts},
          {"last_error", optional_string(w.last_error)},
          {"last_attempt_at", optional_time(w.last_attempt_at)},
          {"delivered_at", optional_time(w.delivered_at)}};
}

json::object parent_to_json(core::ParentOutcome const& p) {
  return {{"id", p.id},
          {"status", p.status ? json::value(core::to_string(*p.status)) : json::value(nullptr)},
          {"result", optional_embed(p.result)}};
}

json::array attempts_to_json(std::vector<core::Attempt> const& attempts) {
  json::array out;
  out.reserve(attempts.size());
  for (core::Attempt const& a : attempts) out.emplace_back(attempt_to_json(a));
  return out;
}

}  // namespace

json::object to_json(core::Job const& job, bool with_lease_token, core::TimePoint now) {
  json::object o;
  o.reserve(44);
  o["id"] = job.id;
  o["type"] = job.type;
  o["queue"] = job.queue;
  o["payload"] = embed(job.payload);
  o["priority"] = job.priority;
  o["status"] = core::to_string(job.status);
  o["attempt"] = job.attempt;
  o["max_attempts"] = job.max_attempts;
  o["run_at"] = time_value(job.run_at);
  o["timeout_s"] = number(job.timeout_s);
  o["max_run_s"] = optional_number(job.max_run_s);
  o["backoff"] = backoff_to_json(job.backoff);
  o["retryable"] = job.retryable;
  o["progress"] = optional_value(job.progress, progress_to_json);
  o["stages"] = stages_to_json(job.stages);
  o["eta_s"] = optional_number(core::eta_seconds(job, now));
  o["checkpoint"] = optional_embed(job.checkpoint);
  o["result"] = optional_embed(job.result);
  o["error"] = optional_value(job.error, job_error_to_json);
  o["attempts"] = attempts_to_json(job.attempts);
  o["owner"] = optional_string(job.owner);
  o["idempotency_key"] = optional_string(job.idempotency_key);
  o["metadata"] = optional_embed(job.metadata);
  o["trace_id"] = job.trace_id.empty() ? json::value(nullptr) : json::value(job.trace_id);
  o["cancel_requested"] = job.cancel_requested;
  o["lease_expires_at"] = optional_time(job.lease_expires_at);
  o["worker_id"] = optional_string(job.worker_id);
  o["created_at"] = time_value(job.created_at);
  o["updated_at"] = time_value(job.updated_at);
  o["started_at"] = optional_time(job.started_at);
  o["completed_at"] = optional_time(job.completed_at);
  o["callback_url"] = optional_string(job.callback_url);
  o["webhook"] = optional_value(job.webhook, webhook_to_json);
  o["schedule"] = optional_string(job.schedule);
  o["scheduled_for"] = optional_time(job.scheduled_for);
  o["concurrency_key"] = optional_string(job.concurrency_key);
  o["start_by"] = optional_time(job.start_by);
  o["depends_on"] = json::array(job.depends_on.begin(), job.depends_on.end());
  o["on_parent_failure"] = job.depends_on.empty() ? json::value(nullptr) : json::value(core::to_string(job.on_parent_failure));
  o["parents_left"] = job.parents_left;
  json::array parents;
  for (auto const& p : job.parents) parents.emplace_back(parent_to_json(p));
  o["parents"] = std::move(parents);
  o["batch"] = optional_string(job.batch);
  if (with_lease_token) o["lease_token"] = optional_string(job.lease_token);
  return o;
}

json::object counts_json(api::StateCounts const& counts) {
  json::object out;
  for (core::JobState s : core::kAllStates) out[core::to_string(s)] = counts[static_cast<std::size_t>(s)];
  return out;
}

json::object to_summary_json(core::Job const& job, core::TimePoint now) {
  auto o = to_json(job, false, now);
  // stable_erase: the other fields keep the order of the full job.
  for (auto const* large : {"payload", "result", "checkpoint", "attempts", "parents"}) o.stable_erase(large);
  return o;
}

json::object to_json(api::QueueInfo const& q) {
  auto limit = [](std::optional<int> v) { return v ? json::value(*v) : json::value(nullptr); };
  json::object out{{"name", q.name},
                   {"paused", q.paused},
                   {"counts", counts_json(q.counts)},
                   {"max_running", limit(q.limits.max_running)},
                   {"max_running_per_key", limit(q.limits.max_running_per_key)}};
  // The push settings in effect, defaults filled in; all null while the queue is not pushed.
  bool const pushed = q.push.url.has_value();
  out["push_url"] = pushed ? json::value(*q.push.url) : json::value(nullptr);
  out["push_concurrency"] = pushed ? json::value(q.push.concurrency.value_or(api::kDefaultPushConcurrency)) : nullptr;
  out["push_timeout_s"] = pushed ? json::value(q.push.timeout_s.value_or(api::kDefaultPushTimeoutS)) : nullptr;
  return out;
}

json::object to_json(core::Error const& e) {
  return {{"error", {{"code", core::to_string(e.code)}, {"message", e.message}}}};
}

json::object to_json(core::Progress const& p) { return progress_to_json(p); }
json::object to_json(core::JobError const& e) { return job_error_to_json(e); }
json::value json_value_of_text(std::string_view text) { return embed(text); }

}  // namespace corral::wire
