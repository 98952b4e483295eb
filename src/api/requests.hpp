// The values of the API's operations: one struct per request (fetch and the reports on a lease,
// list), and what the service answers (a page of jobs, a queue's counts). Plain values, shared by
// wire/ (which reads and writes them as JSON), queue/ (whose QueueService takes and returns them)
// and client/ (which sends them), so that none of these parts depends on another for them.
// Ranges are validated by wire/ before they reach the service.
#pragma once

#include "core/job.hpp"
#include "core/time.hpp"

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

struct ListQuery {
  std::optional<core::JobState> status;
  std::optional<std::string> queue, type, owner;
  int limit = 50;                          // 1..1000
  std::optional<std::int64_t> before_seq;  // decoded cursor: only jobs with seq < before_seq
};

// An on-demand prune: deletes the ended jobs in `statuses` (terminal states only) that ended more
// than `older_than` ago, of `queue` if given.
struct PruneRequest {
  core::Micros older_than{0};
  std::vector<core::JobState> statuses{core::JobState::completed, core::JobState::failed, core::JobState::cancelled};
  std::optional<std::string> queue;
};

struct JobPage {
  std::vector<core::Job> jobs;             // newest first (descending seq)
  std::optional<std::int64_t> next_before_seq;  // absent at the end
};

// The page for `limit` from jobs read newest first with one more than `limit`: that extra job,
// dropped here, only tells that a next page exists. Every backend lists this way.
inline JobPage page_of(std::vector<core::Job> jobs, int limit) {
  JobPage page;
  if (jobs.size() > static_cast<std::size_t>(limit)) {
    jobs.pop_back();
    page.next_before_seq = jobs.back().seq;
  }
  page.jobs = std::move(jobs);
  return page;
}

struct EnqueueResult {
  core::Job job;
  bool created = true;   // false: an existing job with the same idempotency key
};

// Counts by state, indexed by static_cast<int>(JobState).
using StateCounts = std::array<std::int64_t, 7>;

struct QueueInfo {
  std::string name;
  bool paused = false;
  StateCounts counts{};
};

}  // namespace corral::api
