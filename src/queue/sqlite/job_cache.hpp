// Copies of job rows kept on the writer thread, so that the writer's hot path reads no row:
//
// - every running job, by id: the reports on a lease (heartbeat, complete, fail, release) find it
//   here. Bounded by the jobs leased at once.
// - queued jobs, by seq, while their copies fit in a byte budget: a fetch takes the job the ready
//   index names from here. A profile of a drain put the claim's row read at an eighth of the
//   server's instructions per job. Past the budget (a backlog of millions) jobs are queued as
//   before and read back when fetched, so memory stays bounded however many are queued.
//
// Each copy is the row as the current transaction sees it: the Engine calls remember() after every
// write of a job. Copies may therefore hold writes a failed batch rolls back, so the Engine
// clears the cache then and reads rows again on demand.
//
// Not thread-safe: the writer thread only.
#pragma once

#include "core/job.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace corral::sqlite {

class JobCache {
 public:
  static constexpr std::size_t kDefaultQueuedBudgetBytes = 64u << 20;

  explicit JobCache(std::size_t queued_budget_bytes = kDefaultQueuedBudgetBytes)
      : queued_budget_bytes_(queued_budget_bytes) {}

  // The row of `job` was just written: keep the copy that matches it, drop any other.
  void remember(core::Job const& job);
  // The row was deleted.
  void forget(core::Job const& job);
  void clear();

  // A running job's copy, or null.
  core::Job const* running(std::string const& id) const;
  // Takes the copy of the queued job `seq` out of the cache (the caller is about to change it).
  std::optional<core::Job> take_queued(std::int64_t seq);

  std::size_t queued_count() const { return queued_.size(); }
  std::size_t queued_bytes() const { return queued_bytes_; }

  // What a copy costs in memory, roughly: the struct, its strings and a hash-map node.
  static std::size_t approx_bytes(core::Job const& job);

 private:
  struct Queued {
    using Map = std::unordered_map<std::int64_t, Queued>;
    core::Job job;
    std::size_t bytes;   // what it was charged against the budget
  };
  void drop_queued(std::int64_t seq);
  // Removes a copy and gives back what it was charged: the one place the budget is credited.
  void erase_queued(Queued::Map::iterator it);

  std::size_t queued_budget_bytes_;
  std::size_t queued_bytes_ = 0;
  std::unordered_map<std::string, core::Job> running_;   // by id
  Queued::Map queued_;                                    // by seq
};

}  // namespace corral::sqlite
