// JSON -> Job values: the inverse of job_json.cpp, for the C++ client and tests.
//
// Fields to_json always writes are required; the rest default when absent, so a client keeps
// working against a server that adds a field or leaves an optional one out. `seq` is not on the
// wire (lists page with opaque cursors) and stays 0.
#include "wire/job_json.hpp"

#include "core/job_state.hpp"
#include "wire/field_reader.hpp"

namespace corral::wire {
namespace json = boost::json;

namespace {

core::Error invalid(std::string message) {
  return core::make_error(core::Errc::invalid_argument, std::move(message));
}

// A string field that names an enumerator, read with `parse` (core::parse_job_state, …).
template <class Enum, class Parse>
std::optional<Enum> read_enum(FieldReader& r, std::string_view name, Parse parse) {
  std::optional<std::string> text = r.string(name);
  if (!text) return std::nullopt;
  std::optional<Enum> value = parse(*text);
  if (!value) r.fail(name, "is not a known value: " + *text);
  return value;
}

core::Backoff read_backoff(FieldReader& r) {
  core::Backoff backoff;
  json::object const* object = r.object("backoff");
  if (object == nullptr) return backoff;
  FieldReader fields(*object, r.path("backoff."));
  backoff.initial_s = fields.number("initial_s").value_or(backoff.initial_s);
  backoff.multiplier = fields.number("multiplier").value_or(backoff.multiplier);
  backoff.max_s = fields.number("max_s").value_or(backoff.max_s);
  backoff.jitter = fields.number("jitter").value_or(backoff.jitter);
  if (!fields.ok()) r.check(fields.error());
  return backoff;
}

core::Progress read_progress(FieldReader& fields) {
  core::Progress p;
  p.percent = fields.number("percent");
  p.stage = fields.string("stage");
  p.message = fields.string("message");
  p.current = fields.number("current");
  p.total = fields.number("total");
  return p;
}

std::optional<core::JobError> read_job_error(FieldReader& r, std::string_view name) {
  json::object const* object = r.object(name);
  if (object == nullptr) return std::nullopt;
  FieldReader fields(*object, r.path(name) + ".");
  core::JobError e;
  e.code = fields.string("code").value_or("");
  e.message = fields.string("message").value_or("");
  e.retryable = fields.boolean("retryable").value_or(true);
  if (!fields.ok()) r.check(fields.error());
  return e;
}

std::optional<core::Webhook> read_webhook(FieldReader& r) {
  json::object const* object = r.object("webhook");
  if (object == nullptr) return std::nullopt;
  FieldReader fields(*object, "webhook.");
  core::Webhook w;
  w.delivery_id = fields.string("delivery_id").value_or("");
  w.state = read_enum<core::WebhookState>(fields, "state", core::parse_webhook_state).value_or(w.state);
  w.attempts = fields.integer("attempts").value_or(0);
  w.last_error = fields.string("last_error");
  w.last_attempt_at = fields.time("last_attempt_at");
  w.delivered_at = fields.time("delivered_at");
  if (!fields.ok()) r.check(fields.error());
  return w;
}

core::Result<core::Attempt> read_attempt(json::value const& v, std::string const& name) {
  if (!v.is_object()) return invalid(name + " must be an object");
  FieldReader r(v.get_object(), name + ".");
  r.require({"attempt", "started_at", "outcome"});
  core::Attempt a;
  a.number = r.integer("attempt").value_or(0);
  a.started_at = r.time("started_at").value_or(core::TimePoint{});
  a.ended_at = r.time("ended_at");
  a.worker_id = r.string("worker_id").value_or("");
  a.outcome = read_enum<core::AttemptOutcome>(r, "outcome", core::parse_attempt_outcome).value_or(a.outcome);
  a.error = read_job_error(r, "error");
  if (!r.ok()) return r.error();
  return a;
}

core::Result<std::vector<core::Attempt>> read_attempts(json::array const& items) {
  std::vector<core::Attempt> attempts;
  attempts.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto a = read_attempt(items[i], "attempts[" + std::to_string(i) + "]");
    if (!a) return a.error();
    attempts.push_back(std::move(*a));
  }
  return attempts;
}

core::Result<std::vector<core::Stage>> read_stages(json::array const& items) {
  std::vector<core::Stage> stages;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string const name = "stages[" + std::to_string(i) + "]";
    if (!items[i].is_object()) return invalid(name + " must be an object");
    FieldReader r(items[i].get_object(), name + ".");
    r.require({"name", "status"});
    core::Stage stage;
    stage.name = r.string("name").value_or("");
    stage.status = read_enum<core::StageStatus>(r, "status", core::parse_stage_status).value_or(stage.status);
    stage.started_at = r.time("started_at");
    stage.ended_at = r.time("ended_at");
    if (!r.ok()) return r.error();
    stages.push_back(std::move(stage));
  }
  return stages;
}

}  // namespace

core::Result<core::Job> job_from_json(json::value const& v) {
  if (!v.is_object()) return invalid("job must be a JSON object");
  FieldReader r(v.get_object());
  r.require({"id", "type", "queue", "priority", "status", "attempt", "max_attempts", "run_at", "timeout_s",
             "created_at", "updated_at"});
  core::Job job;
  job.id = r.string("id").value_or("");
  job.type = r.string("type").value_or("");
  job.queue = r.string("queue").value_or("");
  job.payload = r.json_text("payload").value_or("{}");
  job.priority = r.integer("priority").value_or(0);
  job.status = read_enum<core::JobState>(r, "status", core::parse_job_state).value_or(job.status);
  job.attempt = r.integer("attempt").value_or(0);
  job.max_attempts = r.integer("max_attempts").value_or(0);
  job.run_at = r.time("run_at").value_or(core::TimePoint{});
  job.timeout_s = r.number("timeout_s").value_or(0);
  job.max_run_s = r.number("max_run_s");
  job.backoff = read_backoff(r);
  job.retryable = r.boolean("retryable").value_or(true);
  if (json::object const* progress = r.object("progress")) {
    FieldReader fields(*progress, "progress.");
    job.progress = read_progress(fields);
    if (!fields.ok()) r.check(fields.error());
  }
  if (json::array const* stages = r.array("stages")) {
    auto read = read_stages(*stages);
    if (read) job.stages = std::move(*read);
    else r.check(read.error());
  }
  job.checkpoint = r.json_text("checkpoint");
  job.result = r.json_text("result");
  job.error = read_job_error(r, "error");
  if (json::array const* attempts = r.array("attempts")) {
    auto history = read_attempts(*attempts);
    if (history) job.attempts = std::move(*history);
    else r.check(history.error());
  }
  job.owner = r.string("owner");
  job.idempotency_key = r.string("idempotency_key");
  job.metadata = r.json_text("metadata");
  job.trace_id = r.string("trace_id").value_or("");
  job.cancel_requested = r.boolean("cancel_requested").value_or(false);
  job.lease_expires_at = r.time("lease_expires_at");
  job.worker_id = r.string("worker_id");
  job.lease_token = r.string("lease_token");
  job.created_at = r.time("created_at").value_or(core::TimePoint{});
  job.updated_at = r.time("updated_at").value_or(core::TimePoint{});
  job.started_at = r.time("started_at");
  job.completed_at = r.time("completed_at");
  job.callback_url = r.string("callback_url");
  job.webhook = read_webhook(r);
  job.schedule = r.string("schedule");
  job.scheduled_for = r.time("scheduled_for");
  job.concurrency_key = r.string("concurrency_key");
  job.start_by = r.time("start_by");
  if (json::array const* parents = r.array("depends_on")) {
    for (auto const& id : *parents) {
      if (id.is_string()) job.depends_on.emplace_back(id.get_string());
    }
  }
  if (auto policy = r.string("on_parent_failure")) {
    job.on_parent_failure = core::parse_on_parent_failure(*policy).value_or(core::OnParentFailure::cancel);
  }
  job.parents_left = r.integer("parents_left").value_or(0);
  if (json::array const* parents = r.array("parents")) {
    for (auto const& p : *parents) {
      if (!p.is_object()) continue;
      FieldReader pr(p.get_object());
      core::ParentOutcome outcome{pr.string("id").value_or(""), std::nullopt, pr.json_text("result")};
      if (auto status = pr.string("status")) outcome.status = core::parse_job_state(*status);
      job.parents.push_back(std::move(outcome));
    }
  }
  job.batch = r.string("batch");
  if (!r.ok()) return r.error();
  return job;
}

}  // namespace corral::wire
