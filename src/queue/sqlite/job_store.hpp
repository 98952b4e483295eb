// Every SQL statement of the embedded backend, named noun-first. The row <-> Job mapping (column
// lists, parameters, binds, reads) is generated from queue::job_columns(). Prepared once per
// connection.
//
// Not thread-safe: one JobStore per connection; the writer has one, each pooled reader another.
#pragma once

#include "core/concurrency_limits.hpp"
#include "core/idempotency.hpp"
#include "core/job.hpp"
#include "queue/job_columns.hpp"
#include "queue/requests.hpp"
#include "queue/rollup.hpp"
#include "queue/sqlite/database.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace corral::sqlite {

// What recovery needs of a non-terminal job to rebuild the in-memory index.
struct ActiveJob {
  std::int64_t seq;
  std::string queue;
  int priority;
  core::JobState status;
  core::TimePoint run_at;
  std::optional<core::TimePoint> lease_expires_at;
  std::string type;
  std::optional<std::string> concurrency_key;
  std::optional<core::TimePoint> start_by;
  std::optional<core::TimePoint> started_at;
};

// What pruning needs of an ended job to decide whether it goes.
struct EndedJob {
  std::int64_t seq;
  std::optional<std::int64_t> ended;   // completed_at, unix micros
  std::string queue;
};

class JobStore {
 public:
  explicit JobStore(Database& db);

  // Inserts a new job; its seq, one more than any given before, is returned.
  core::Result<std::int64_t> job_insert(core::Job const& job);
  // Writes the columns a transition may change (state, attempt, run_at, progress, checkpoint,
  // result, error, attempts, cancel_requested, the lease, the times) of an existing job, matched
  // by seq. The columns fixed at enqueue (type, queue, priority, payload, retry policy, owner,
  // idempotency key, metadata, created_at) are not rewritten, nor their indexes touched: core::apply
  // never changes them.
  core::Result<void> job_update(core::Job const& job);
  core::Result<void> job_delete(std::int64_t seq);
  core::Result<std::optional<core::Job>> job_get(std::string const& id);
  core::Result<std::optional<core::Job>> job_get_by_seq(std::int64_t seq);
  // The job of `key` in its owner's scope (core/idempotency.hpp).
  core::Result<std::optional<core::Job>> job_get_by_key(core::IdempotencyKey const& key);
  // The jobs `q` matches in its sort, at most q.limit of them (the caller asks one more to learn
  // whether a next page exists).
  core::Result<std::vector<core::Job>> job_list(queue::ListQuery const& q);
  // How many jobs q's filter (and ids) match, its cursor aside, counting at most
  // kMaxListCount + 1.
  core::Result<std::int64_t> job_count(queue::ListQuery const& q);
  core::Result<void> job_each_active(std::function<void(ActiveJob const&)> const& fn);
  // The oldest (lowest seq) `limit` jobs in `status` after `after_seq`, with when they ended and
  // their queue: the candidates of retention and of an on-demand prune. With `ended_before`, the
  // rows stop at the first job that did not end before it: retention, which runs every second,
  // then reads the jobs it deletes and one more, not `limit` rows of recent jobs it would skip.
  core::Result<std::vector<EndedJob>> job_oldest_in(core::JobState status, std::int64_t after_seq, int limit,
                                                    std::optional<std::int64_t> ended_before = std::nullopt);
  // Up to `limit` jobs of `queue` in the ended `status` that ended before `ended_before` (unix
  // micros), the earliest ended first: the candidates of retention queue by queue, read through
  // jobs_ended_by_queue (if it is there), so a pass reads only the jobs it deletes.
  core::Result<std::vector<std::int64_t>> job_ended_before(std::string const& queue, core::JobState status,
                                                           std::int64_t ended_before, int limit);
  // Makes or drops jobs_ended_by_queue, the index of ended jobs by queue and end. Kept only while
  // some queue has its own retention: each job's end adds an entry, which cost a tenth more
  // instructions per job in a drain, and retention under one setting for all needs none.
  core::Result<void> job_index_ended_by_queue(bool wanted);
  // Counts of terminal jobs by (queue, type, priority) and status, read through jobs_by_status:
  // done once at start (job_each_active counts the others), so a million queued jobs are not read
  // twice.
  core::Result<std::map<queue::CountKey, queue::StateCounts>> job_count_terminal();

  // The end of the block of event numbers reserved (event_seq).
  core::Result<std::int64_t> event_seq_last();
  core::Result<void> event_seq_set(std::int64_t last);

  core::Result<void> queue_set_paused(std::string const& name, bool paused);
  core::Result<std::set<std::string>> queue_paused_names();
  // The concurrency limits a queue row holds (none: no row, or no limit).
  core::Result<void> queue_set_limits(std::string const& name, core::ConcurrencyLimits const& limits);
  core::Result<std::map<std::string, core::ConcurrencyLimits>> queue_limits();

 private:
  core::Result<std::optional<core::Job>> one_job(Statement& st);
  Database& db_;
  Statement insert_, seq_after_last_, update_, delete_, get_, get_by_seq_, get_by_key_, set_paused_, oldest_in_,
      ended_before_, event_seq_set_;
  // The seq the next insert takes, read from the database at the first insert (0 until then) and
  // counted here after: this connection is the only one that inserts jobs, and the two seeks of
  // that read were about 3 % of an enqueue's instructions. A rolled-back insert leaves a gap, as
  // AUTOINCREMENT did; a seq is never given twice, which is all that seq promises.
  std::int64_t next_seq_ = 0;
  queue::JobTexts texts_;   // the JSON texts a write binds in place, kept until it has run
};

}  // namespace corral::sqlite
