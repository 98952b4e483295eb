// Enqueue options as a client sent them, the per-type defaults from the config, and validation
// that turns the two into a new Job.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::core {

// Optional overrides of a Backoff; unset fields come from the type's defaults, then the built-in ones.
struct BackoffOverride {
  std::optional<double> initial_s, multiplier, max_s, jitter;
};

// A job's part in a batch enqueue that names a batch: one of its jobs, or a job to run when all of
// them have ended (on_complete) or completed (on_success), which the backend makes depend on each
// of them.
enum class BatchRole { member, on_success, on_complete };

// What a client asked for. Types are already checked by the wire layer; ranges are checked here.
struct EnqueueRequest {
  std::string type;
  std::optional<std::string> queue;
  std::string payload = "{}";            // JSON text
  std::optional<int> priority;           // names are resolved by the wire layer via parse_priority_name
  std::optional<TimePoint> run_at;
  std::optional<double> delay_s;
  std::optional<int> max_attempts;
  std::optional<double> timeout_s;
  std::optional<double> max_run_s;
  BackoffOverride backoff;
  std::optional<bool> retryable;
  std::optional<std::string> idempotency_key;
  std::optional<std::string> owner;
  std::optional<std::string> metadata;   // JSON text
  // http(s) URL POSTed the final job when the job ends; the HTTP layer checks it against the
  // destination allow-list, since that is the server's setting, not a rule of the domain.
  std::optional<std::string> callback_url;
  // The W3C trace id of the request's traceparent header; absent, the backend draws one.
  std::optional<std::string> trace_id;
  // Set by a schedule's tick only (never read from an enqueue body): the schedule and its tick.
  std::optional<std::string> schedule;
  std::optional<TimePoint> scheduled_for;
  // Jobs with one key count together against their queue's max_running_per_key.
  std::optional<std::string> concurrency_key;
  // A job not started by then is cancelled with error code expired: one of the two, or neither.
  std::optional<TimePoint> start_by;
  std::optional<double> start_within_s;   // from the enqueue
  // Ids of jobs that must end first (core/dependencies.hpp); the backend finds them.
  std::vector<std::string> depends_on;
  std::optional<OnParentFailure> on_parent_failure;
  // The batch of a batch enqueue that named one, "" for one the backend names (set from the
  // request's "batch", never read from a job body), and this job's part in it.
  std::optional<std::string> batch;
  BatchRole batch_role = BatchRole::member;
};

// [job_types.NAME] in the config file: the same field names as the API.
struct JobTypeDefaults {
  std::optional<std::string> queue;
  std::optional<int> priority;
  std::optional<int> max_attempts;
  std::optional<double> timeout_s;
  std::optional<double> max_run_s;
  BackoffOverride backoff;
  std::optional<bool> retryable;
  std::vector<std::string> stages;   // the type's stages in order; each job gets its own copy
  std::optional<std::string> callback_url;   // the type's webhook, when enqueue names none
};

using JobTypeTable = std::map<std::string, JobTypeDefaults, std::less<>>;

// Validates `req` (falling back to `defaults` for the job's type, then built-in defaults) and
// returns a new Job in state queued (run_at <= now) or scheduled, with attempt 0 and the given
// id, seq and timestamps, and req's trace id (empty when absent: the caller draws one). Every
// out-of-range field gives invalid_argument naming the field.
Result<Job> make_job(EnqueueRequest const& req, JobTypeDefaults const* defaults, std::string id,
                     std::int64_t seq, TimePoint now);

// The most parents one job may name.
inline constexpr std::size_t kMaxParents = 10'000;

// Field validators shared by enqueue, fetch and the config loader. Each returns an
// invalid_argument error naming `field` or nothing.
std::optional<Error> check_name(std::string_view field, std::string_view value);       // type, queue
std::optional<Error> check_printable(std::string_view field, std::string_view value);  // owner, key, worker_id
std::optional<Error> check_range(std::string_view field, double value, double lo, double hi);

}  // namespace corral::core
