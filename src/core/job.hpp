// The job model: plain value types, no behaviour. JSON-valued fields (payload, result, checkpoint,
// metadata) are kept as serialized JSON text: the core never looks inside them, and the backends
// store them as they are.
#pragma once

#include "core/backoff.hpp"
#include "core/job_state.hpp"
#include "core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace corral::core {

struct Progress {
  std::optional<double> percent;  // 0..100
  std::optional<std::string> stage;
  std::optional<std::string> message;
  std::optional<double> current;  // e.g. bytes done
  std::optional<double> total;    // e.g. bytes in all
  bool operator==(Progress const&) const = default;
};

// One field of a ProgressUpdate, JSON's three cases: absent (nullopt) keeps the stored value,
// null (an engaged optional holding nullopt) clears it, a value replaces it.
template <class T>
using FieldUpdate = std::optional<std::optional<T>>;

// What a report changes in a job's progress, field by field, so that {"percent": 30} keeps the
// stage sent before and {"stage": null} clears it. Rejected: replacing the progress as a whole,
// which made every worker resend each field it had ever sent.
struct ProgressUpdate {
  FieldUpdate<double> percent;
  FieldUpdate<std::string> stage;
  FieldUpdate<std::string> message;
  FieldUpdate<double> current;
  FieldUpdate<double> total;

  // The update that sets each field `p` has and leaves the others alone.
  static ProgressUpdate setting(Progress const& p);
  bool operator==(ProgressUpdate const&) const = default;
};

// `progress` with `update` merged in; nullopt once no field is left, so a job whose every field
// was cleared shows no progress rather than an empty one.
std::optional<Progress> merge(std::optional<Progress> progress, ProgressUpdate const& update);

// A stage a job's type declares ([job_types.NAME] stages), in the declared order. Enumerators
// equal their wire names.
enum class StageStatus { pending, running, done };

struct Stage {
  std::string name;
  StageStatus status = StageStatus::pending;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> ended_at;   // a stage passed over (a later one began first) ends unstarted
  bool operator==(Stage const&) const = default;
};

// What the estimate of the time left needs from the attempt's progress reports (core/eta.hpp):
// the first report that told how much was done, and the end it points to. Kept in the row, never
// on the wire, which shows eta_s instead.
struct ProgressEstimate {
  std::optional<TimePoint> first_at;     // the attempt's first report with a measurable fraction
  std::optional<double> first_fraction;  // 0..1, done at that report
  std::optional<TimePoint> done_at;      // the estimated end; none until progress shows over time
  bool operator==(ProgressEstimate const&) const = default;
};

struct JobError {
  std::string code;     // e.g. "lease_expired", "timed_out", or the worker's own code
  std::string message;
  bool retryable = true;
  bool operator==(JobError const&) const = default;
};

// How one attempt ended. Enumerators equal their wire names.
enum class AttemptOutcome { running, completed, failed, lease_expired, timed_out, cancelled, released };

struct Attempt {
  int number = 0;                    // 1-based; a released attempt keeps its number and is reused
  TimePoint started_at{};
  std::optional<TimePoint> ended_at;
  std::string worker_id;
  AttemptOutcome outcome = AttemptOutcome::running;
  std::optional<JobError> error;
  std::string lease_token;           // internal: lets a resent report be recognised; never on the wire
  Micros lease{0};                   // internal: the lease length granted at fetch; a heartbeat
                                     // without extend_s extends by it
  bool operator==(Attempt const&) const = default;
};

// Where the completion webhook of a job's last end stands (the delivery that end wrote to the
// outbox). Enumerators equal their wire names.
enum class WebhookState { pending, delivered, failed };

struct Webhook {
  std::string delivery_id;                  // sent as X-Corral-Delivery; receivers dedupe on it
  WebhookState state = WebhookState::pending;
  int attempts = 0;                         // requests made so far
  std::optional<std::string> last_error;    // why the last request did not deliver
  std::optional<TimePoint> last_attempt_at;
  std::optional<TimePoint> delivered_at;
  bool operator==(Webhook const&) const = default;
};

// What a job does when one of its parents (depends_on) fails for good or is cancelled: it is
// cancelled too (error parent_failed), or it runs anyway once every parent has ended. Enumerators
// equal their wire names.
enum class OnParentFailure { cancel, run };

// How one parent ended, as the child is given it when its last parent ends. `status` is none for
// a parent deleted (pruned) before then, whose end is no longer known.
struct ParentOutcome {
  std::string id;
  std::optional<JobState> status;        // completed, failed or cancelled
  std::optional<std::string> result;     // JSON text: a completed parent's result
  bool operator==(ParentOutcome const&) const = default;
};

struct Job {
  std::string id;                    // opaque
  std::int64_t seq = 0;              // enqueue sequence: FIFO order and list order
  std::string type;
  std::string queue = "default";
  std::string payload = "{}";        // JSON text
  int priority = 0;
  JobState status = JobState::queued;
  int attempt = 0;                   // number of fetches since enqueue or the last manual retry
  int max_attempts = 3;
  TimePoint run_at{};                // when it is (or was) due
  double timeout_s = 300;            // default lease length
  std::optional<double> max_run_s;   // cap on one attempt's total run time
  Backoff backoff;
  bool retryable = true;             // false: any failure is final
  std::optional<Progress> progress;
  std::vector<Stage> stages;              // the type's declared stages, copied at enqueue
  ProgressEstimate estimate;              // for eta_s, of the current attempt
  std::optional<std::string> checkpoint;  // JSON text; survives retries
  std::optional<std::string> result;      // JSON text
  std::optional<JobError> error;          // the last error, kept apart from the state
  std::vector<Attempt> attempts;          // history, oldest first
  std::optional<std::string> owner;
  std::optional<std::string> idempotency_key;
  std::optional<std::string> metadata;    // JSON text
  std::string trace_id;                   // W3C trace id (32 hex digits); empty for jobs older than it
  bool cancel_requested = false;
  std::optional<TimePoint> lease_expires_at;  // only while running
  std::optional<std::string> worker_id;       // the lease holder, only while running
  std::optional<std::string> lease_token;     // the live lease, only while running
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> started_at;        // start of the current (or last) attempt
  std::optional<TimePoint> completed_at;      // when it reached a terminal state
  std::optional<std::string> callback_url;    // POSTed the final job when it ends (webhook)
  std::optional<Webhook> webhook;             // the delivery of its last end; none before one
  std::optional<std::string> schedule;        // the recurring schedule that enqueued it
  std::optional<TimePoint> scheduled_for;     // the schedule's tick it was enqueued for
  std::optional<std::string> concurrency_key; // counted against its queue's max_running_per_key
  std::optional<TimePoint> start_by;          // cancelled as expired if not started by then
  std::vector<std::string> depends_on;        // the parents' ids, fixed at enqueue
  OnParentFailure on_parent_failure = OnParentFailure::cancel;
  int parents_left = 0;                       // parents not yet ended (while waiting)
  std::vector<ParentOutcome> parents;         // how each parent ended, once the last one has
  std::optional<std::string> batch;           // the batch it was enqueued in
  bool operator==(Job const&) const = default;
};

std::string_view to_string(AttemptOutcome o);
std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view s);
std::string_view to_string(StageStatus s);
std::string_view to_string(WebhookState s);
std::optional<WebhookState> parse_webhook_state(std::string_view s);
std::optional<StageStatus> parse_stage_status(std::string_view s);
std::string_view to_string(OnParentFailure p);
std::optional<OnParentFailure> parse_on_parent_failure(std::string_view s);

}  // namespace corral::core
