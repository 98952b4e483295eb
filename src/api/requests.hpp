// The values of the API's operations: one struct per request (fetch and the reports on a lease,
// list), and what the service answers (a page of jobs, a queue's counts). Plain values, shared by
// wire/ (which reads and writes them as JSON), queue/ (whose QueueService takes and returns them)
// and client/ (which sends them), so that none of these parts depends on another for them.
// Ranges are validated by wire/ before they reach the service.
#pragma once

#include "core/concurrency_limits.hpp"
#include "core/job.hpp"
#include "core/queue_flow.hpp"
#include "core/time.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace corral::api {

struct FetchRequest {
  std::vector<std::string> queues;   // tried in this order; at least one
  std::string worker_id;             // may be empty
  int count = 1;                     // 1..100
  core::Micros wait{0};              // 0..60 s: how long to wait for work
  std::optional<core::Micros> lease; // default: each job's timeout_s
  // True once the asker is gone (its connection closed). A waiting fetch checks it before it
  // claims, so a worker that hung up is not handed jobs it can never run. May be empty.
  std::function<bool()> abandoned;
};

// GET /jobs/{id}?wait=S[&progress=1]: what a get waits for.
struct GetWait {
  core::Micros wait{0};    // 0..60 s: how long to wait for the job to end
  bool progress = false;   // answer as well when the job's progress changes
  // With progress: the updated_at of the job as the asker last saw it. A job changed since then
  // is answered at once, so a report that lands between two polls is not waited past.
  std::optional<core::TimePoint> updated_after;
  GetWait() = default;
  // A wait alone, the common case, converts: get(id, wait).
  GetWait(core::Micros w, bool on_progress = false) : wait(w), progress(on_progress) {}  // NOLINT(google-explicit-constructor)
};

struct HeartbeatRequest {
  std::string lease_token;
  std::optional<core::ProgressUpdate> progress;
  std::optional<std::string> checkpoint;   // JSON text
  std::optional<core::Micros> extend;
};

struct CompleteRequest {
  std::string lease_token;
  std::optional<std::string> result;       // JSON text
  std::optional<core::ProgressUpdate> progress;  // the last progress, e.g. {"percent": 100}
};

// One completion of a complete_batch: the job and its report.
struct CompleteItem {
  std::string id;
  CompleteRequest report;
};

struct FailRequest {
  std::string lease_token;
  core::JobError error;
  std::optional<core::Micros> retry_in;
};

struct ReleaseRequest {
  std::string lease_token;
  core::Micros delay{0};
};

// The filters a list and a bulk action share, AND-ed; an empty or absent one matches every job.
struct JobFilter {
  std::vector<core::JobState> statuses;    // any of these
  std::optional<std::string> queue, type, owner;
  std::optional<std::string> error_code;   // exact match on the current error's code
  std::optional<std::string> error_text;   // case-insensitive substring of the current error's message
  std::optional<core::TimePoint> created_after;   // inclusive
  std::optional<core::TimePoint> created_before;  // exclusive
};

// The orders a list can come in. Each has its own keyset: a position in one is no position in
// another, so a cursor carries its sort.
enum class ListSort {
  newest,    // descending enqueue sequence
  oldest,    // ascending enqueue sequence
  updated,   // most recently changed first (updated_at, then seq, descending)
};

// A position in a sort's order: the last job of the page before. Jobs after it come next.
struct ListCursor {
  ListSort sort = ListSort::newest;
  std::int64_t seq = 0;
  std::int64_t updated_us = 0;   // updated: the job's updated_at, unix microseconds
  bool operator==(ListCursor const&) const = default;
};

// The cursor that resumes `sort` after `job`.
inline ListCursor cursor_after(core::Job const& job, ListSort sort) {
  return ListCursor{sort, job.seq, sort == ListSort::updated ? core::to_unix_micros(job.updated_at) : 0};
}

// A count stops here: past it the total is "more than", so a count never reads a whole table.
inline constexpr std::int64_t kMaxListCount = 10000;

struct ListQuery {
  JobFilter filter;
  ListSort sort = ListSort::newest;
  int limit = 50;                          // 1..1000
  std::optional<ListCursor> cursor;        // only jobs after this position (its sort is `sort`)
  bool summary = false;                    // leave out payload, result, checkpoint and attempts
  bool count = false;                      // also count the matches (at most kMaxListCount)
  // Only these jobs (a bulk action by ids): at most kBulkBatch. Not a parameter of the API.
  std::vector<std::string> ids;
};

// An on-demand prune: deletes the ended jobs in `statuses` (terminal states only) that ended more
// than `older_than` ago, of `queue` if given.
struct PruneRequest {
  core::Micros older_than{0};
  std::vector<core::JobState> statuses{core::JobState::completed, core::JobState::failed, core::JobState::cancelled};
  std::optional<std::string> queue;
};

struct JobPage {
  std::vector<core::Job> jobs;             // in the query's sort
  std::optional<ListCursor> next;          // absent at the end
  std::optional<std::int64_t> total;       // with ListQuery::count: the matches, at most kMaxListCount
  bool total_exact = true;                 // false: more than `total` match
};

// The page for `query` from jobs read in its sort with one more than its limit: that extra job,
// dropped here, only tells that a next page exists. Every backend lists this way.
inline JobPage page_of(std::vector<core::Job> jobs, ListQuery const& query) {
  JobPage page;
  if (jobs.size() > static_cast<std::size_t>(query.limit)) {
    jobs.pop_back();
    page.next = cursor_after(jobs.back(), query.sort);
  }
  page.jobs = std::move(jobs);
  return page;
}

// Sets the page's total from a count of at most kMaxListCount + 1 matches.
inline void set_total(JobPage& page, std::int64_t counted) {
  page.total = std::min(counted, kMaxListCount);
  page.total_exact = counted <= kMaxListCount;
}

// What POST /jobs/bulk does to each job it names: what the single-job endpoint of that name does.
enum class BulkAction { retry, cancel, remove };

// Jobs a bulk action changes per commit, and the most ids one request may name.
inline constexpr std::size_t kBulkBatch = 500;
inline constexpr std::size_t kMaxBulkIds = 1000;

// Exactly one of ids (1..kMaxBulkIds) and filter names the jobs.
struct BulkRequest {
  BulkAction action = BulkAction::retry;
  std::vector<std::string> ids;
  std::optional<JobFilter> filter;
  bool dry_run = false;
  // Ids only: jobs of other owners are skipped (an API key's tenant). Not a parameter of the API.
  std::optional<std::string> owner;
};

struct BulkResult {
  BulkAction action = BulkAction::retry;
  bool dry_run = false;
  std::int64_t matched = 0;   // ids named (each once), or jobs the filter matched
  std::int64_t changed = 0;   // dry run: would change
  std::int64_t skipped() const { return matched - changed; }
};

struct EnqueueResult {
  core::Job job;
  bool created = true;   // false: an existing job with the same idempotency key
};

// Counts by state, indexed by static_cast<int>(JobState).
using StateCounts = std::array<std::int64_t, std::size(core::kAllStates)>;

// A queue's push delivery (push/dispatcher.hpp): the server POSTs its jobs to url, at most
// concurrency at once, each POST within timeout_s. No url: workers fetch the queue's jobs. An
// unset concurrency or timeout_s is the default below.
struct QueuePush {
  std::optional<std::string> url;
  std::optional<int> concurrency;
  std::optional<double> timeout_s;
  bool operator==(QueuePush const&) const = default;
};
inline constexpr int kDefaultPushConcurrency = 8;
inline constexpr double kDefaultPushTimeoutS = 30;

// A batch (POST /api/v1/jobs/batch with "batch"), as GET /api/v1/batches/{id} shows it.
struct BatchInfo {
  std::string id;
  std::optional<std::string> owner;
  core::TimePoint created_at{};
  std::optional<std::string> on_success;    // the id of the job run when every job completed
  std::optional<std::string> on_complete;   // the id of the job run when every job ended
  StateCounts counts{};                     // its jobs by state, those two aside
};

struct QueueInfo {
  std::string name;
  bool paused = false;
  StateCounts counts{};
  core::ConcurrencyLimits limits;
  QueuePush push;
  core::QueueFlow flow;   // rate limit and priority aging
};

// PATCH /api/v1/queues/{name}: a queue's settings, field by field: absent keeps the setting, null
// clears it, a value sets it. A new setting is a new field here.
struct QueueUpdate {
  core::FieldUpdate<int> max_running;
  core::FieldUpdate<int> max_running_per_key;
  core::FieldUpdate<std::string> push_url;
  core::FieldUpdate<int> push_concurrency;
  core::FieldUpdate<double> push_timeout_s;
  core::FieldUpdate<core::QueueRateLimit> rate_limit;
  core::FieldUpdate<double> priority_aging_per_s;
  bool operator==(QueueUpdate const&) const = default;
};

// `limits` with what `update` changes of them.
inline core::ConcurrencyLimits updated(core::ConcurrencyLimits limits, QueueUpdate const& update) {
  if (update.max_running) limits.max_running = *update.max_running;
  if (update.max_running_per_key) limits.max_running_per_key = *update.max_running_per_key;
  return limits;
}

// Whether `update` changes the rate limit or priority aging.
inline bool touches_flow(QueueUpdate const& update) {
  return update.rate_limit.has_value() || update.priority_aging_per_s.has_value();
}

// `flow` with what `update` changes of it.
inline core::QueueFlow updated(core::QueueFlow flow, QueueUpdate const& update) {
  if (update.rate_limit) flow.rate_limit = *update.rate_limit;
  if (update.priority_aging_per_s) flow.priority_aging_per_s = *update.priority_aging_per_s;
  return flow;
}

// Whether `update` changes any push setting.
inline bool touches_push(QueueUpdate const& update) {
  return update.push_url.has_value() || update.push_concurrency.has_value() || update.push_timeout_s.has_value();
}

// `push` with what `update` changes of it.
inline QueuePush updated(QueuePush push, QueueUpdate const& update) {
  if (update.push_url) push.url = *update.push_url;
  if (update.push_concurrency) push.concurrency = *update.push_concurrency;
  if (update.push_timeout_s) push.timeout_s = *update.push_timeout_s;
  return push;
}

}  // namespace corral::api
