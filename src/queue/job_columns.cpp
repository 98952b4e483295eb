#include "queue/job_columns.hpp"

#include "queue/stored_json.hpp"

#include <type_traits>

namespace corral::queue {
namespace {

using core::Job;
using Kind = Cell::Kind;

// How each field type is kept: text, integers (times as microseconds since the Unix epoch), reals
// and booleans; an absent optional is NULL.
Cell text_cell(std::string_view s) { return {.kind = Kind::text, .text = s}; }
Cell to_cell(std::string const& s) { return text_cell(s); }
Cell to_cell(std::int64_t i) { return {.kind = Kind::integer, .integer = i}; }
Cell to_cell(int i) { return to_cell(std::int64_t{i}); }
Cell to_cell(double d) { return {.kind = Kind::real, .real = d}; }
Cell to_cell(bool b) { return {.kind = Kind::boolean, .boolean = b}; }
Cell to_cell(core::TimePoint t) { return to_cell(core::to_unix_micros(t)); }
template <class T>
Cell to_cell(std::optional<T> const& v) { return v ? to_cell(*v) : Cell{}; }

void from_cell(Cell const& c, std::string& out) { out.assign(c.text); }
void from_cell(Cell const& c, std::int64_t& out) { out = c.integer; }
void from_cell(Cell const& c, int& out) { out = static_cast<int>(c.integer); }
void from_cell(Cell const& c, double& out) { out = c.real; }
void from_cell(Cell const& c, bool& out) { out = c.boolean; }
void from_cell(Cell const& c, core::TimePoint& out) { out = core::from_unix_micros(c.integer); }
template <class T>
void from_cell(Cell const& c, std::optional<T>& out) {
  if (c.is_null()) {
    out.reset();
    return;
  }
  from_cell(c, out.emplace());
}

template <class T> struct KindOf;
template <class T> struct KindOf<std::optional<T>> : KindOf<T> {};
template <> struct KindOf<std::string> { static constexpr Kind value = Kind::text; };
template <> struct KindOf<std::int64_t> { static constexpr Kind value = Kind::integer; };
template <> struct KindOf<int> { static constexpr Kind value = Kind::integer; };
template <> struct KindOf<core::TimePoint> { static constexpr Kind value = Kind::integer; };
template <> struct KindOf<double> { static constexpr Kind value = Kind::real; };
template <> struct KindOf<bool> { static constexpr Kind value = Kind::boolean; };

// object.*First.*Rest...: a field of the job, or of one of its parts (&Job::backoff, &Backoff::jitter).
template <auto First, auto... Rest, class Object>
constexpr auto& field(Object& object) {
  if constexpr (sizeof...(Rest) == 0) return object.*First;
  else return field<Rest...>(object.*First);
}

// A column that keeps one field as it is.
template <auto... Path>
constexpr JobColumn member(std::string_view name, Written written) {
  using T = std::remove_cvref_t<decltype(field<Path...>(std::declval<Job&>()))>;
  return {name, KindOf<T>::value, written, [](Job const& j, JobTexts&) { return to_cell(field<Path...>(j)); },
          [](Job& j, Cell const& c) -> core::Result<void> {
            from_cell(c, field<Path...>(j));
            return {};
          }};
}

Cell store_status(Job const& j, JobTexts&) { return text_cell(core::to_string(j.status)); }
core::Result<void> load_status(Job& j, Cell const& c) {
  auto status = core::parse_job_state(c.text);
  if (!status) return core::make_error(core::Errc::internal, "job " + j.id + " has an unknown status");
  j.status = *status;
  return {};
}

Cell store_progress(Job const& j, JobTexts& texts) {
  if (!j.progress) return {};
  texts.progress.clear();
  append_stored_progress(texts.progress, *j.progress);
  return text_cell(texts.progress);
}
core::Result<void> load_progress(Job& j, Cell const& c) {
  j.progress.reset();
  if (c.is_null()) return {};
  auto progress = parse_stored_progress(c.text);
  if (!progress) return progress.error();
  j.progress = *progress;
  return {};
}

// The last error is three columns, all NULL when there is none; its code comes first.
Cell store_error_code(Job const& j, JobTexts&) { return j.error ? text_cell(j.error->code) : Cell{}; }
core::Result<void> load_error_code(Job& j, Cell const& c) {
  j.error.reset();
  if (!c.is_null()) j.error.emplace().code.assign(c.text);
  return {};
}
Cell store_error_message(Job const& j, JobTexts&) { return j.error ? text_cell(j.error->message) : Cell{}; }
core::Result<void> load_error_message(Job& j, Cell const& c) {
  if (j.error) j.error->message.assign(c.text);
  return {};
}
Cell store_error_retryable(Job const& j, JobTexts&) { return j.error ? to_cell(j.error->retryable) : Cell{}; }
core::Result<void> load_error_retryable(Job& j, Cell const& c) {
  if (j.error) j.error->retryable = c.boolean;
  return {};
}

Cell store_attempts(Job const& j, JobTexts& texts) {
  texts.attempts.clear();
  append_stored_attempts(texts.attempts, j.attempts);
  return text_cell(texts.attempts);
}
core::Result<void> load_attempts(Job& j, Cell const& c) {
  auto attempts = parse_stored_attempts(c.text);
  if (!attempts) return attempts.error();
  j.attempts = std::move(*attempts);
  return {};
}

// A job of a type without stages keeps NULL: no text to write at each of its changes.
Cell store_stages(Job const& j, JobTexts& texts) {
  if (j.stages.empty()) return {};
  texts.stages.clear();
  append_stored_stages(texts.stages, j.stages);
  return text_cell(texts.stages);
}
core::Result<void> load_stages(Job& j, Cell const& c) {
  j.stages.clear();
  if (c.is_null()) return {};
  auto stages = parse_stored_stages(c.text);
  if (!stages) return stages.error();
  j.stages = std::move(*stages);
  return {};
}

// A job without parents keeps NULL in both.
Cell store_depends_on(Job const& j, JobTexts& texts) {
  if (j.depends_on.empty()) return {};
  texts.depends_on.clear();
  append_stored_ids(texts.depends_on, j.depends_on);
  return text_cell(texts.depends_on);
}
core::Result<void> load_depends_on(Job& j, Cell const& c) {
  j.depends_on.clear();
  if (c.is_null()) return {};
  auto ids = parse_stored_ids(c.text);
  if (!ids) return ids.error();
  j.depends_on = std::move(*ids);
  return {};
}
Cell store_parents(Job const& j, JobTexts& texts) {
  if (j.parents.empty()) return {};
  texts.parents.clear();
  append_stored_parents(texts.parents, j.parents);
  return text_cell(texts.parents);
}
core::Result<void> load_parents(Job& j, Cell const& c) {
  j.parents.clear();
  if (c.is_null()) return {};
  auto parents = parse_stored_parents(c.text);
  if (!parents) return parents.error();
  j.parents = std::move(*parents);
  return {};
}
// NULL for "cancel", the default: most jobs have no parents.
Cell store_on_parent_failure(Job const& j, JobTexts&) {
  return j.on_parent_failure == core::OnParentFailure::cancel ? Cell{} : text_cell(core::to_string(j.on_parent_failure));
}
core::Result<void> load_on_parent_failure(Job& j, Cell const& c) {
  j.on_parent_failure = core::OnParentFailure::cancel;
  if (c.is_null()) return {};
  auto p = core::parse_on_parent_failure(c.text);
  if (!p) return core::make_error(core::Errc::internal, "job " + j.id + " has an unknown on_parent_failure");
  j.on_parent_failure = *p;
  return {};
}

// How the webhook of the job's last end stands: six columns, all NULL before its first delivery;
// the delivery's id comes first.
Cell store_webhook_id(Job const& j, JobTexts&) { return j.webhook ? text_cell(j.webhook->delivery_id) : Cell{}; }
core::Result<void> load_webhook_id(Job& j, Cell const& c) {
  j.webhook.reset();
  if (!c.is_null()) j.webhook.emplace().delivery_id.assign(c.text);
  return {};
}
Cell store_webhook_state(Job const& j, JobTexts&) { return j.webhook ? text_cell(core::to_string(j.webhook->state)) : Cell{}; }
core::Result<void> load_webhook_state(Job& j, Cell const& c) {
  if (!j.webhook) return {};
  auto state = core::parse_webhook_state(c.text);
  if (!state) return core::make_error(core::Errc::internal, "job " + j.id + " has an unknown webhook state");
  j.webhook->state = *state;
  return {};
}
// The webhook's other fields, kept as they are.
template <auto Field>
constexpr JobColumn webhook_member(std::string_view name) {
  using T = std::remove_cvref_t<decltype(std::declval<core::Webhook&>().*Field)>;
  return {name, KindOf<T>::value, Written::at_every_write,
          [](Job const& j, JobTexts&) { return j.webhook ? to_cell(*j.webhook.*Field) : Cell{}; },
          [](Job& j, Cell const& c) -> core::Result<void> {
            if (j.webhook) from_cell(c, *j.webhook.*Field);
            return {};
          }};
}

using W = Written;
using core::Backoff;

constexpr JobColumn kJobColumns[] = {
    member<&Job::seq>("seq", W::never),
    member<&Job::id>("id", W::at_insert),
    member<&Job::type>("type", W::at_insert),
    member<&Job::queue>("queue", W::at_insert),
    {"status", Kind::text, W::at_every_write, store_status, load_status},
    member<&Job::priority>("priority", W::at_insert),
    member<&Job::attempt>("attempt", W::at_every_write),
    member<&Job::max_attempts>("max_attempts", W::at_insert),
    member<&Job::run_at>("run_at", W::at_every_write),
    member<&Job::timeout_s>("timeout_s", W::at_insert),
    member<&Job::max_run_s>("max_run_s", W::at_insert),
    member<&Job::backoff, &Backoff::initial_s>("backoff_initial_s", W::at_insert),
    member<&Job::backoff, &Backoff::multiplier>("backoff_multiplier", W::at_insert),
    member<&Job::backoff, &Backoff::max_s>("backoff_max_s", W::at_insert),
    member<&Job::backoff, &Backoff::jitter>("backoff_jitter", W::at_insert),
    member<&Job::retryable>("retryable", W::at_insert),
    member<&Job::payload>("payload", W::at_insert),
    {"progress", Kind::text, W::at_every_write, store_progress, load_progress},
    member<&Job::checkpoint>("checkpoint", W::at_every_write),
    member<&Job::result>("result", W::at_every_write),
    {"error_code", Kind::text, W::at_every_write, store_error_code, load_error_code},
    {"error_message", Kind::text, W::at_every_write, store_error_message, load_error_message},
    {"error_retryable", Kind::boolean, W::at_every_write, store_error_retryable, load_error_retryable},
    {"attempts", Kind::text, W::at_every_write, store_attempts, load_attempts},
    member<&Job::owner>("owner", W::at_insert),
    member<&Job::metadata>("metadata", W::at_insert),
    member<&Job::cancel_requested>("cancel_requested", W::at_every_write),
    member<&Job::lease_expires_at>("lease_expires_at", W::at_every_write),
    member<&Job::worker_id>("worker_id", W::at_every_write),
    member<&Job::lease_token>("lease_token", W::at_every_write),
    member<&Job::created_at>("created_at", W::at_insert),
    member<&Job::updated_at>("updated_at", W::at_every_write),
    member<&Job::started_at>("started_at", W::at_every_write),
    member<&Job::completed_at>("completed_at", W::at_every_write),
    // Added by a later migration, so last in the table as in the schema.
    member<&Job::trace_id>("trace_id", W::at_insert),
    {"stages", Kind::text, W::at_every_write, store_stages, load_stages},
    member<&Job::estimate, &core::ProgressEstimate::first_at>("estimate_first_at", W::at_every_write),
    member<&Job::estimate, &core::ProgressEstimate::first_fraction>("estimate_first_fraction", W::at_every_write),
    member<&Job::estimate, &core::ProgressEstimate::done_at>("estimate_done_at", W::at_every_write),
    member<&Job::callback_url>("callback_url", W::at_insert),
    {"webhook_delivery_id", Kind::text, W::at_every_write, store_webhook_id, load_webhook_id},
    {"webhook_state", Kind::text, W::at_every_write, store_webhook_state, load_webhook_state},
    webhook_member<&core::Webhook::attempts>("webhook_attempts"),
    webhook_member<&core::Webhook::last_error>("webhook_last_error"),
    webhook_member<&core::Webhook::last_attempt_at>("webhook_last_attempt_at"),
    webhook_member<&core::Webhook::delivered_at>("webhook_delivered_at"),
    member<&Job::schedule>("schedule", W::at_insert),
    member<&Job::scheduled_for>("scheduled_for", W::at_insert),
    member<&Job::concurrency_key>("concurrency_key", W::at_insert),
    member<&Job::start_by>("start_by", W::at_insert),
    member<&Job::idempotency_key>("idempotency_key", W::at_insert),   // unique per owner
    {"depends_on", Kind::text, W::at_insert, store_depends_on, load_depends_on},
    {"on_parent_failure", Kind::text, W::at_insert, store_on_parent_failure, load_on_parent_failure},
    member<&Job::parents_left>("parents_left", W::at_every_write),
    {"parents", Kind::text, W::at_every_write, store_parents, load_parents},
    member<&Job::batch>("batch_id", W::at_insert),
};

}  // namespace

std::span<JobColumn const> job_columns() { return kJobColumns; }

std::string select_list(std::string_view prefix, bool summary) {
  return join_columns(all_columns, [prefix, summary](JobColumn const& c, int) {
    if (summary) {
      if (c.name == "payload") return std::string("''");
      if (c.name == "attempts") return std::string("'[]'");
      if (c.name == "result" || c.name == "checkpoint" || c.name == "parents") return std::string("NULL");
    }
    return std::string(prefix).append(c.name);
  });
}

}  // namespace corral::queue
