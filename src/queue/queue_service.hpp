// The seam the HTTP layer knows: queue operations in domain terms. Backends (sqlite/, later
// postgres/) implement it; every rule they apply comes from core/.
//
// Contract for every mutating call: a successful result means the change is committed to durable
// storage. Errors carry stable codes (core::Errc). All methods are thread-safe and may be awaited
// from any executor; they complete on the caller's executor.
#pragma once

#include "api/stats.hpp"
#include "queue/api_keys.hpp"
#include "core/enqueue_spec.hpp"
#include "core/error.hpp"
#include "core/job.hpp"
#include "queue/commit_metrics.hpp"
#include "queue/event_log.hpp"
#include "queue/outbox.hpp"
#include "queue/queue_attributes.hpp"
#include "queue/requests.hpp"
#include "queue/schedules.hpp"

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::queue {

template <class T>
using Task = boost::asio::awaitable<core::Result<T>>;

struct Readiness {
  bool ready = true;
  std::string reason;   // why not ready
};

// A number the backend reports about itself (its connection pool, say), for /metrics and /readyz.
struct BackendStat {
  std::string name;      // snake_case; exported as corral_NAME
  std::string help;
  double value = 0;
  bool counter = false;  // only ever grows (else a gauge)
};

// Both backends report the long-polls parked now: fetches waiting for work and GET ?wait
// waiting for a job's end, past their first look (so only a commit, or their deadline, answers
// them). corral_long_polls counts them from admission, before that first look.
inline BackendStat long_polls_parked(std::size_t n) {
  return {"long_polls_parked", "Long-polls parked: waiting for a commit to answer them", static_cast<double>(n), false};
}

// Rows an on-demand prune deletes per transaction: small enough that the writes queued behind a
// batch wait for it no longer than for an ordinary batch.
inline constexpr std::size_t kPruneBatch = 1000;

// How long ended jobs are kept before the server deletes them by itself; 0 keeps them for ever.
struct Retention {
  struct Kept {
    core::Micros completed{0};
    core::Micros failed{0};   // failed and cancelled: the jobs someone may still want to look into
    core::Micros of(core::JobState ended) const { return ended == core::JobState::completed ? completed : failed; }
    bool any() const { return completed.count() > 0 || failed.count() > 0; }
  };
  Kept all;                                              // every queue not named below
  std::map<std::string, Kept, std::less<>> queues;       // [queues.NAME] overrides

  Kept const& of_queue(std::string_view queue) const {
    auto it = queues.find(queue);
    return it == queues.end() ? all : it->second;
  }
  core::Micros of(core::JobState ended, std::string_view queue) const { return of_queue(queue).of(ended); }
  // Whether any queue's ended jobs are ever deleted: else the retention pass never runs.
  bool any() const {
    return all.any() || std::any_of(queues.begin(), queues.end(), [](auto const& q) { return q.second.any(); });
  }
};

// A prune may name only ended states: the others are never deleted.
inline std::optional<core::Error> check_prune(PruneRequest const& req) {
  for (auto state : req.statuses) {
    if (!core::is_terminal(state)) {
      return core::make_error(core::Errc::invalid_argument,
                              "status must hold only completed, failed or cancelled, not " +
                                  std::string(core::to_string(state)));
    }
  }
  return std::nullopt;
}

class QueueService {
 public:
  virtual ~QueueService() = default;

  // 201 semantics: created=true; a known idempotency key gives that job with created=false.
  virtual Task<EnqueueResult> enqueue(core::EnqueueRequest req) = 0;
  // All or nothing; results in request order.
  virtual Task<std::vector<EnqueueResult>> enqueue_batch(std::vector<core::EnqueueRequest> reqs) = 0;

  // With wait > 0: answers once the job is terminal (or, with wait.progress, once its progress
  // or stages change), or after the wait with its current state.
  virtual Task<core::Job> get(std::string id, GetWait wait) = 0;
  // A batch and its jobs' counts; not_found when there is none.
  virtual Task<api::BatchInfo> get_batch(std::string id) = 0;
  virtual Task<JobPage> list(ListQuery query) = 0;
  virtual Task<core::Job> cancel(std::string id) = 0;
  virtual Task<core::Job> retry(std::string id) = 0;
  // Terminal jobs only (wrong_state otherwise); frees the idempotency key.
  virtual Task<void> remove(std::string id) = 0;
  // Retries, cancels or deletes the jobs the request names (by ids or by filter), each as its
  // single-job call would, kBulkBatch jobs per commit; a dry run changes nothing and counts what
  // would change. A job the action does not apply to, or that changed meanwhile, is skipped. An
  // error for the whole call (storage) may leave the batches before it committed.
  virtual Task<BulkResult> bulk(BulkRequest req) = 0;
  // Deletes the ended jobs the request names, a small batch per transaction so that other writes
  // go on between them; returns how many were deleted. Frees their idempotency keys.
  virtual Task<std::int64_t> prune(PruneRequest req) = 0;

  // Leases jobs from the queues in the order given; waits up to req.wait for the first one.
  // Returned jobs carry their lease_token. An empty vector after the wait.
  virtual Task<std::vector<core::Job>> fetch(FetchRequest req) = 0;
  virtual Task<core::Job> heartbeat(std::string id, HeartbeatRequest req) = 0;
  virtual Task<core::Job> complete(std::string id, CompleteRequest req) = 0;
  // Completes several leases in one call: each item succeeds or fails on its own (stale_lease,
  // not_found, ...), results in request order, every success durable when the call returns. An
  // error for the whole call (storage) may leave some items completed; a resent completion that
  // already won answers as completed, so the caller can simply resend. The default completes the
  // items one after another; a backend may commit them together.
  virtual Task<std::vector<core::Result<core::Job>>> complete_batch(std::vector<CompleteItem> items) {
    std::vector<core::Result<core::Job>> out;
    out.reserve(items.size());
    for (auto& item : items) out.push_back(co_await complete(std::move(item.id), std::move(item.report)));
    co_return out;
  }
  virtual Task<core::Job> fail(std::string id, FailRequest req) = 0;
  virtual Task<core::Job> release(std::string id, ReleaseRequest req) = 0;

  virtual Task<std::vector<QueueInfo>> queues() = 0;
  // One queue as queues() gives it, for what needs one queue only (a queued job's not_ready);
  // nullopt when queues() would not list it. The default picks it out of queues(); a backend that
  // reads its counts from storage reads this queue's alone.
  virtual Task<std::optional<QueueInfo>> queue_info(std::string name) {
    auto all = co_await queues();
    if (!all) co_return all.error();
    for (auto& q : *all) {
      if (q.name == name) co_return std::optional<QueueInfo>(std::move(q));
    }
    co_return std::optional<QueueInfo>();
  }
  // The queues holding jobs of `owner`, with counts of that owner's jobs only (a key scoped to an
  // owner; queue/owner_stats.hpp). Reads the owner's jobs, where queues() may answer from memory.
  virtual Task<std::vector<QueueInfo>> owner_queues(std::string owner) = 0;
  virtual Task<QueueInfo> pause(std::string queue) = 0;
  virtual Task<QueueInfo> resume(std::string queue) = 0;
  // Changes the queue's settings (its concurrency limits) durably, as pause does, before its
  // first job too; answers the queue as it is after the change.
  virtual Task<QueueInfo> update_queue(std::string queue, QueueUpdate update) = 0;

  // Queue attribute records (queue_attributes.hpp). Each write is durable when it returns.
  // Creates the record of `queue` with `attributes` (a JSON object's text) unless it has one;
  // then that record comes back unchanged, with created=false.
  virtual Task<QueueAttributesCreated> create_queue_attributes(std::string queue, std::string attributes) = 0;
  // not_found when the queue has no record.
  virtual Task<QueueAttributes> get_queue_attributes(std::string queue) = 0;
  // In ascending order of name.
  virtual Task<std::vector<QueueAttributes>> list_queue_attributes(QueueAttributesQuery query) = 0;
  // Replaces the record's attributes; not_found when the queue has none.
  virtual Task<QueueAttributes> set_queue_attributes(std::string queue, std::string attributes) = 0;
  // Deletes the record (not the queue's jobs); not_found when the queue has none.
  virtual Task<void> delete_queue_attributes(std::string queue) = 0;

  // API key records (api_keys.hpp). Each write is durable when it returns. create stores `key`
  // (its created_at set by the store) and returns it as stored.
  virtual Task<ApiKey> create_api_key(ApiKey key) = 0;
  // Every key, revoked ones included, in order of creation.
  virtual Task<std::vector<ApiKey>> list_api_keys() = 0;
  // Sets revoked_at (once: a second revoke keeps the first's time); not_found for an unknown id.
  virtual Task<ApiKey> revoke_api_key(std::string id) = 0;
  // The key whose SHA-256 digest is `key_hash`, revoked or not; none when there is no such key.
  virtual Task<std::optional<ApiKey>> find_api_key(std::string key_hash) = 0;
  // How many keys were ever stored, revoked ones included.
  virtual Task<std::int64_t> count_api_keys() = 0;

  // Recurring schedules (schedules.hpp). Each write is durable when it returns.
  virtual Task<Schedule> save_schedule(Schedule schedule, SaveMode mode) = 0;
  // not_found when there is no such schedule.
  virtual Task<Schedule> get_schedule(std::string name) = 0;
  // In ascending order of name.
  virtual Task<std::vector<Schedule>> list_schedules() = 0;
  // Deletes the schedule (not the jobs it enqueued); not_found when there is none.
  virtual Task<void> delete_schedule(std::string name) = 0;
  // Runs the schedules due by the backend's clock, up to req.limit: each tick's job and the
  // schedule's next run time commit together.
  virtual Task<ScheduleRunResult> run_due_schedules(ScheduleRunRequest req) = 0;

  // Counts, rates, durations, errors, oldest ready work and workers seen over a window, from the
  // rollups each commit keeps (rollup.hpp): the deployment's, not one node's. With query.owner,
  // from that owner's jobs instead (queue/owner_stats.hpp).
  virtual Task<api::Stats> stats(api::StatsQuery query) = 0;
  // What GET /api/v1/health judges (health_checks.hpp), kept the same way.
  virtual Task<api::HealthFacts> health_facts() = 0;

  // The webhook outbox (outbox.hpp). Claims up to claim.limit deliveries that are due and not
  // claimed, for claim.lease: until it runs out, no other claim (of any node) returns them.
  virtual Task<ClaimedDeliveries> claim_deliveries(DeliveryClaim claim) = 0;
  // Records how a try of a claimed delivery went, on the job's webhook (if the job's last end is
  // still the delivery's) and in the outbox: due again at next_attempt_at while pending, deleted
  // once delivered or failed.
  virtual Task<void> report_delivery(DeliveryReport report) = 0;
  // Deliveries not yet done with, in the whole deployment (for /metrics).
  virtual Task<std::int64_t> deliveries_pending() = 0;

  // The deployment's events, one per committed change, in commit order (event_log.hpp): what
  // live streams, metrics, stats and logs consume.
  virtual EventLog& events() = 0;
  // The seq of the newest event committed anywhere in the deployment. The embedded backend
  // appends each commit's events before it answers, so this is events().last_seq(); a PostgreSQL
  // node reads the other commits' events from the database a moment later, and asks it instead.
  // A stream that starts at this position and then reads a job sees no change twice.
  virtual Task<std::int64_t> committed_event_seq() { co_return events().last_seq(); }

  virtual Readiness readiness() const = 0;
  // The backend's own numbers; none by default.
  virtual std::vector<BackendStat> backend_stats() const { return {}; }
  // The timing of the backend's commits, for /metrics; none by default.
  virtual CommitMetrics const* commit_metrics() const { return nullptr; }
  // Begins shutdown: waiting fetches and gets return at once. Writes still work, so requests
  // already in flight can finish.
  virtual void shutdown() = 0;
  // Ends shutdown: commits every write already submitted, then refuses new ones with
  // shutting_down. Call after the HTTP server has stopped, before destroying its io_context.
  virtual void close() = 0;
};

}  // namespace corral::queue
