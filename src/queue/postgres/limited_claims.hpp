// Claims from queues with concurrency limits (core/concurrency_limits.hpp), rate limits or priority
// aging (core/queue_flow.hpp), across every node.
//
// A rate limit's token bucket is the queue row's rate_tokens at rate_refilled_at, measured by the
// database's clock: read and written after the lock below, so the nodes take tokens from one
// bucket one claim at a time. An aging queue's claim orders by its rank (queue_flow_rows.hpp).
//
// A claim of a limited queue first takes a transaction-level advisory lock of that queue, in a
// statement of its own, so that the claims of every node on that queue run one after another
// until each one's COMMIT. Every statement after it reads a snapshot taken after the lock was
// granted (READ COMMITTED), so it counts the jobs the claims before it started: the running jobs
// are counted by queue and key (corral_jobs_running_by_key, as many rows as keys running), and
// the claim takes only what the limits leave room for, in ready order, stepping over the keys at
// their limit rather than stopping at them. Jobs ending meanwhile are counted as still running,
// which can only hold a claim back. The batch's own earlier claims, not yet written, are added in.
//
// Queues without limits keep the plain claim (Batch::claimable), whose statement also refuses a
// queue that has limits: a node that has not yet heard of a new limit (LimitedQueues is refreshed
// by each maintenance tick) claims nothing from that queue meanwhile, rather than too much.
#pragma once

#include "core/concurrency_limits.hpp"
#include "core/job.hpp"
#include "core/time.hpp"
#include "queue/postgres/connection.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace corral::postgres {

// This node's view of which queues have limits: which claim to use, and whose running jobs'
// ends must wake fetches waiting on them. Thread-safe.
class LimitedQueues {
 public:
  bool contains(std::string const& queue) const {
    std::lock_guard lock(mutex_);
    return !names_.empty() && names_.contains(queue);
  }
  void set(std::string const& queue, bool limited) {
    std::lock_guard lock(mutex_);
    if (limited) names_.insert(queue);
    else names_.erase(queue);
    ++changes_;
  }
  // How many set() calls there have been: taken before reading the names from the database.
  std::uint64_t changes() const {
    std::lock_guard lock(mutex_);
    return changes_;
  }
  // The names as read from the database, unless this node set one since `changes_before` was
  // taken: the read may predate that change's commit, and would undo it until the next read.
  void replace(std::set<std::string> names, std::uint64_t changes_before) {
    std::lock_guard lock(mutex_);
    if (changes_ == changes_before) names_ = std::move(names);
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::string> names_;
  std::uint64_t changes_ = 0;
};

// The limits in columns `col` and `col` + 1 of a row (max_running, max_running_per_key).
core::ConcurrencyLimits read_limits(Rows const& rows, int row, int col);

// The queues that have limits now.
DbResult<std::set<std::string>> read_limited_queues(Connection& conn);

// The running jobs a batch has claimed but not yet written, of one queue.
struct PendingRunning {
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_key;
};

// Locks `queue`'s claims (above) and returns up to `n` of its queued jobs that its limits let
// start, locked FOR UPDATE, skipping the seqs in `skip` (a JSON array) and rows others hold. A
// rate-limited queue's bucket (in its corral_queues row) gives one token per job returned; an
// empty one (found empty, or emptied by this claim) sets `token_wait` to how long until its next
// token.
DbResult<std::vector<core::Job>> claim_limited(Connection& conn, std::string const& queue, int n,
                                               std::string const& skip, PendingRunning const& pending,
                                               std::optional<core::Micros>& token_wait);

}  // namespace corral::postgres
