// A job written straight to JSON text, for the server's replies: the same document as
// serialize_json(to_json(job)) (a test holds them equal), without building a boost::json::object
// first (see json_writer.hpp).
#include "wire/job_json.hpp"

#include "core/job_state.hpp"
#include "core/progress_rules.hpp"
#include "wire/json_writer.hpp"

namespace corral::wire {

namespace {

// Without each attempt's lease token and length, which only storage keeps (see job_json.cpp).
void write_attempts(JsonWriter& w, std::vector<core::Attempt> const& attempts) {
  w.raw("[");
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    auto const& a = attempts[i];
    if (i > 0) w.raw(",");
    w.begin_object();
    w.key("attempt").integer(a.number);
    w.key("started_at").time(a.started_at);
    w.key("ended_at").opt_time(a.ended_at);
    w.key("worker_id").string(a.worker_id);
    w.key("outcome").string(core::to_string(a.outcome));
    w.key("error").optional(a.error, [&w](auto const& e) { w.job_error(e); });
    w.end_object();
  }
  w.raw("]");
}

void write_stages(JsonWriter& w, std::vector<core::Stage> const& stages) {
  w.raw("[");
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (i > 0) w.raw(",");
    w.begin_object();
    w.key("name").string(stages[i].name);
    w.key("status").string(core::to_string(stages[i].status));
    w.key("started_at").opt_time(stages[i].started_at);
    w.key("ended_at").opt_time(stages[i].ended_at);
    w.end_object();
  }
  w.raw("]");
}

void write_ids(JsonWriter& w, std::vector<std::string> const& ids) {
  w.raw("[");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) w.raw(",");
    w.string(ids[i]);
  }
  w.raw("]");
}

void write_parents(JsonWriter& w, std::vector<core::ParentOutcome> const& parents) {
  w.raw("[");
  for (std::size_t i = 0; i < parents.size(); ++i) {
    if (i > 0) w.raw(",");
    w.begin_object();
    w.key("id").string(parents[i].id);
    w.key("status").opt_string(parents[i].status ? std::optional<std::string>(core::to_string(*parents[i].status))
                                                 : std::nullopt);
    w.key("result").opt_embed(parents[i].result);
    w.end_object();
  }
  w.raw("]");
}

void write_webhook(JsonWriter& w, core::Webhook const& hook) {
  w.begin_object();
  w.key("delivery_id").string(hook.delivery_id);
  w.key("state").string(core::to_string(hook.state));
  w.key("attempts").integer(hook.attempts);
  w.key("last_error").opt_string(hook.last_error);
  w.key("last_attempt_at").opt_time(hook.last_attempt_at);
  w.key("delivered_at").opt_time(hook.delivered_at);
  w.end_object();
}

}  // namespace

void append_json_text(std::string& out, core::Job const& job, bool with_lease_token, core::TimePoint now) {
  JsonWriter w(out);
  w.begin_object();
  w.key("id").string(job.id);
  w.key("type").string(job.type);
  w.key("queue").string(job.queue);
  w.key("payload").embed(job.payload);
  w.key("priority").integer(job.priority);
  w.key("status").string(core::to_string(job.status));
  w.key("attempt").integer(job.attempt);
  w.key("max_attempts").integer(job.max_attempts);
  w.key("run_at").time(job.run_at);
  w.key("timeout_s").number(job.timeout_s);
  w.key("max_run_s").opt_number(job.max_run_s);
  w.key("backoff").begin_object();
  w.key("initial_s").number(job.backoff.initial_s);
  w.key("multiplier").number(job.backoff.multiplier);
  w.key("max_s").number(job.backoff.max_s);
  w.key("jitter").number(job.backoff.jitter);
  w.end_object();
  w.key("retryable").boolean(job.retryable);
  w.key("progress").optional(job.progress, [&w](auto const& p) { w.progress(p); });
  w.key("stages");
  write_stages(w, job.stages);
  w.key("eta_s").opt_number(core::eta_seconds(job, now));
  w.key("checkpoint").opt_embed(job.checkpoint);
  w.key("result").opt_embed(job.result);
  w.key("error").optional(job.error, [&w](auto const& e) { w.job_error(e); });
  w.key("attempts");
  write_attempts(w, job.attempts);
  w.key("owner").opt_string(job.owner);
  w.key("idempotency_key").opt_string(job.idempotency_key);
  w.key("metadata").opt_embed(job.metadata);
  w.key("trace_id").opt_string(job.trace_id.empty() ? std::nullopt : std::optional<std::string>(job.trace_id));
  w.key("cancel_requested").boolean(job.cancel_requested);
  w.key("lease_expires_at").opt_time(job.lease_expires_at);
  w.key("worker_id").opt_string(job.worker_id);
  w.key("created_at").time(job.created_at);
  w.key("updated_at").time(job.updated_at);
  w.key("started_at").opt_time(job.started_at);
  w.key("completed_at").opt_time(job.completed_at);
  w.key("callback_url").opt_string(job.callback_url);
  w.key("webhook").optional(job.webhook, [&w](auto const& hook) { write_webhook(w, hook); });
  w.key("schedule").opt_string(job.schedule);
  w.key("scheduled_for").opt_time(job.scheduled_for);
  w.key("concurrency_key").opt_string(job.concurrency_key);
  w.key("start_by").opt_time(job.start_by);
  if (job.depends_on.empty() && job.parents.empty() && job.parents_left == 0 && !job.batch) {
    // Most jobs: one append of the fields' empty values, not ten pieces (every fetch reply
    // writes them).
    w.raw(R"(,"depends_on":[],"on_parent_failure":null,"parents_left":0,"parents":[],"batch":null)");
  } else {
    w.key("depends_on");
    write_ids(w, job.depends_on);
    w.key("on_parent_failure").opt_string(job.depends_on.empty() ? std::nullopt
                                                                 : std::optional<std::string>(core::to_string(job.on_parent_failure)));
    w.key("parents_left").integer(job.parents_left);
    w.key("parents");
    write_parents(w, job.parents);
    w.key("batch").opt_string(job.batch);
  }
  if (with_lease_token) w.key("lease_token").opt_string(job.lease_token);
  w.end_object();
}

std::string to_json_text(core::Job const& job, bool with_lease_token, core::TimePoint now) {
  std::string out;
  out.reserve(768 + job.payload.size());
  append_json_text(out, job, with_lease_token, now);
  return out;
}

}  // namespace corral::wire
