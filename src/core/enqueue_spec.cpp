// Enqueue validation: resolves every option (request, then the type's defaults, then built-ins),
// checks the resolved values and builds the new Job. The resolved values are checked, not the
// request alone, so a bad config default cannot slip into a job either.
#include "core/enqueue_spec.hpp"

#include "core/ids.hpp"
#include "core/number_text.hpp"
#include "core/priority.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>

namespace corral::core {

namespace {

constexpr std::size_t kMaxNameLength = 128;       // type, queue
constexpr std::size_t kMaxPrintableLength = 256;  // owner, idempotency_key, worker_id
constexpr double kMaxTimeoutSeconds = 86400;      // one day: the default lease length
constexpr double kMaxRunSeconds = 604800;         // one week: cap on one attempt
// Ten years: far beyond any sensible schedule, yet keeps `now + delay` far from overflow.
constexpr double kMaxDelaySeconds = 10.0 * 365 * 86400;
constexpr double kMaxMultiplier = 1000;
constexpr int kMaxAttempts = 1000;
constexpr int kDefaultPriority = kPriorityNormal;
constexpr int kDefaultMaxAttempts = 3;
constexpr double kDefaultTimeoutSeconds = 300;

Error invalid(std::string message) {
  return make_error(Errc::invalid_argument, std::move(message));
}

std::optional<Error> check_int(std::string_view field, int value, int lo, int hi) {
  if (value >= lo && value <= hi) return std::nullopt;
  return invalid(std::string(field) + " must be an integer " + std::to_string(lo) + ".." +
                 std::to_string(hi));
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

// The first error among `checks`, in order, so a request with several faults gets a stable reply.
std::optional<Error> first_error(std::initializer_list<std::optional<Error>> checks) {
  for (auto const& check : checks) {
    if (check) return check;
  }
  return std::nullopt;
}

// Per-job override, then the type's defaults, then the built-in Backoff; then checked as a whole
// because max_s >= initial_s relates two fields that may come from different layers.
Result<Backoff> resolve_backoff(BackoffOverride const& request, BackoffOverride const* type) {
  Backoff b;
  auto pick = [&](std::optional<double> BackoffOverride::*field, double& out) {
    if (request.*field) {
      out = *(request.*field);
    } else if (type && type->*field) {
      out = *(type->*field);
    }
  };
  pick(&BackoffOverride::initial_s, b.initial_s);
  pick(&BackoffOverride::multiplier, b.multiplier);
  pick(&BackoffOverride::max_s, b.max_s);
  pick(&BackoffOverride::jitter, b.jitter);
  if (auto e = first_error({check_range("backoff.initial_s", b.initial_s, 0, kMaxDelaySeconds),
                            check_range("backoff.multiplier", b.multiplier, 1, kMaxMultiplier),
                            check_range("backoff.max_s", b.max_s, 0, kMaxDelaySeconds),
                            check_range("backoff.jitter", b.jitter, 0, 1)})) {
    return *e;
  }
  if (b.max_s < b.initial_s) {
    return invalid("backoff.max_s must be >= backoff.initial_s (" + format_number(b.initial_s) +
                   ")");
  }
  return b;
}

// run_at in the past means now: a late producer's job is due at once, not out of order.
Result<TimePoint> resolve_run_at(EnqueueRequest const& req, TimePoint now) {
  if (req.run_at && req.delay_s) return invalid("run_at and delay_s cannot both be given");
  if (req.delay_s) {
    if (auto e = check_range("delay_s", *req.delay_s, 0, kMaxDelaySeconds)) return *e;
    return now + seconds_to_micros(*req.delay_s);
  }
  if (req.run_at) return std::max(*req.run_at, now);
  return now;
}

// A start-by deadline at or before the job is due could only ever cancel it: refused.
Result<std::optional<TimePoint>> resolve_start_by(EnqueueRequest const& req, TimePoint run_at, TimePoint now) {
  if (req.start_by && req.start_within_s) return invalid("start_by and start_within_s cannot both be given");
  std::optional<TimePoint> start_by = req.start_by;
  if (req.start_within_s) {
    if (auto e = check_range("start_within_s", *req.start_within_s, 0.001, kMaxDelaySeconds)) return *e;
    start_by = now + seconds_to_micros(*req.start_within_s);
  }
  if (start_by && *start_by <= run_at) {
    return invalid(req.start_by ? "start_by must be later than the job's run_at" : "start_within_s must end after the job's run_at");
  }
  return start_by;
}

}  // namespace

std::optional<Error> check_name(std::string_view field, std::string_view value) {
  bool ok = !value.empty() && value.size() <= kMaxNameLength;
  for (char c : value) ok = ok && is_name_char(c);
  if (ok) return std::nullopt;
  return invalid(std::string(field) + " must be 1..128 characters of A-Z a-z 0-9 . _ : -");
}

std::optional<Error> check_printable(std::string_view field, std::string_view value) {
  bool ok = !value.empty() && value.size() <= kMaxPrintableLength;
  for (char c : value) ok = ok && c >= 0x20 && c <= 0x7E;
  if (ok) return std::nullopt;
  return invalid(std::string(field) + " must be 1..256 printable ASCII characters");
}

std::optional<Error> check_range(std::string_view field, double value, double lo, double hi) {
  // Written so that NaN fails too: every comparison with NaN is false.
  if (std::isfinite(value) && value >= lo && value <= hi) return std::nullopt;
  return invalid(std::string(field) + " must be a number " + format_number(lo) + ".." +
                 format_number(hi));
}

Result<Job> make_job(EnqueueRequest const& req, JobTypeDefaults const* defaults, std::string id,
                     std::int64_t seq, TimePoint now) {
  JobTypeDefaults const none;
  JobTypeDefaults const& type = defaults ? *defaults : none;

  Job job;
  job.id = std::move(id);
  job.seq = seq;
  job.type = req.type;
  job.queue = req.queue.value_or(type.queue.value_or("default"));
  job.priority = req.priority.value_or(type.priority.value_or(kDefaultPriority));
  job.max_attempts = req.max_attempts.value_or(type.max_attempts.value_or(kDefaultMaxAttempts));
  job.timeout_s = req.timeout_s.value_or(type.timeout_s.value_or(kDefaultTimeoutSeconds));
  job.max_run_s = req.max_run_s ? req.max_run_s : type.max_run_s;
  job.retryable = req.retryable.value_or(type.retryable.value_or(true));

  if (auto e = first_error({
          check_name("type", job.type),
          check_name("queue", job.queue),
          check_int("priority", job.priority, kMinPriority, kMaxPriority),
          check_int("max_attempts", job.max_attempts, 1, kMaxAttempts),
          check_range("timeout_s", job.timeout_s, 1, kMaxTimeoutSeconds),
          job.max_run_s ? check_range("max_run_s", *job.max_run_s, 1, kMaxRunSeconds)
                        : std::nullopt,
          req.idempotency_key ? check_printable("idempotency_key", *req.idempotency_key)
                              : std::nullopt,
          req.owner ? check_printable("owner", *req.owner) : std::nullopt,
          req.concurrency_key ? check_printable("concurrency_key", *req.concurrency_key) : std::nullopt,
          req.depends_on.size() > kMaxParents
              ? std::optional(invalid("depends_on may name at most " + std::to_string(kMaxParents) + " jobs"))
              : std::nullopt,
          req.on_parent_failure && req.depends_on.empty()
              ? std::optional(invalid("on_parent_failure needs depends_on"))
              : std::nullopt,
          req.trace_id && !is_trace_id(*req.trace_id)
              ? std::optional(invalid("trace_id must be 32 lowercase hex digits, not all zero"))
              : std::nullopt,
      })) {
    return *e;
  }

  auto run_at = resolve_run_at(req, now);
  if (!run_at) return run_at.error();
  auto backoff = resolve_backoff(req.backoff, defaults ? &defaults->backoff : nullptr);
  if (!backoff) return backoff.error();
  auto start_by = resolve_start_by(req, *run_at, now);
  if (!start_by) return start_by.error();

  job.run_at = *run_at;
  job.status = job.run_at <= now ? JobState::queued : JobState::scheduled;
  job.backoff = *backoff;
  // Copied, so that a config change never rewrites the stages of jobs already enqueued.
  for (auto const& name : type.stages) job.stages.push_back(Stage{.name = name});
  job.payload = req.payload;
  job.metadata = req.metadata;
  job.owner = req.owner;
  job.callback_url = req.callback_url ? req.callback_url : type.callback_url;
  job.idempotency_key = req.idempotency_key;
  job.concurrency_key = req.concurrency_key;
  job.start_by = *start_by;
  job.trace_id = req.trace_id.value_or("");
  job.schedule = req.schedule;
  job.scheduled_for = req.scheduled_for;
  job.depends_on = req.depends_on;
  job.on_parent_failure = req.on_parent_failure.value_or(OnParentFailure::cancel);
  job.batch = req.batch;
  job.attempt = 0;
  job.created_at = now;
  job.updated_at = now;
  return job;
}

}  // namespace corral::core
