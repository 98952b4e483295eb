// The in-memory scheduling state of every non-terminal job: which job each queue hands out next,
// and the next instant the server must act on (a run_at or a lease expiry).
//
// Design: per queue, an ordered set keyed by (priority desc, seq asc) is the ready "heap"; one
// ordered set keyed by (deadline, seq) is the timer heap. A map seq -> entry lets any job be moved
// or removed in O(log n) without a scan, which is the point: a fetch never touches the table to
// find work. Rebuilt from the database at start (Engine::load).
//
// Pure data structure: no I/O, no clock. Not thread-safe: owned by the writer thread.
#pragma once

#include "core/job_state.hpp"
#include "core/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace corral::sqlite {

class ReadyIndex {
 public:
  struct Entry {
    std::string queue;
    int priority = 0;
    core::JobState status = core::JobState::queued;
    std::optional<core::TimePoint> deadline;  // run_at (scheduled, retrying) or lease expiry (running)
    core::TimePoint ready_at{};               // queued: when it became ready (its run_at)
  };

  // Places job `seq` according to `entry` (replacing any earlier place). Terminal states remove it.
  void put(std::int64_t seq, Entry entry);
  void erase(std::int64_t seq);

  // Takes the next ready job of `queue` (highest priority, then oldest) out of the ready set.
  // The job stays unknown to the index until put() again (normally after its claim commits).
  std::optional<std::int64_t> pop_ready(std::string const& queue);
  bool has_ready(std::string const& queue) const;

  // The earliest deadline, if any job has one.
  std::optional<core::TimePoint> next_deadline() const;
  // Jobs whose deadline is <= now, earliest first, at most `limit`.
  std::vector<std::int64_t> due(core::TimePoint now, std::size_t limit) const;

  std::size_t size() const { return entries_.size(); }
  std::size_t ready_count(std::string const& queue) const;
  // When the longest-waiting ready job of `queue` became ready, for stats and health; O(log n).
  std::optional<core::TimePoint> oldest_ready(std::string const& queue) const;

 private:
  struct ReadyKey {
    int priority;
    std::int64_t seq;
    bool operator<(ReadyKey const& o) const;
  };
  using DeadlineKey = std::pair<core::TimePoint, std::int64_t>;

  std::unordered_map<std::int64_t, Entry> entries_;
  std::map<std::string, std::set<ReadyKey>, std::less<>> ready_;
  std::map<std::string, std::set<DeadlineKey>, std::less<>> ready_since_;   // the same jobs by ready_at
  std::set<DeadlineKey> deadlines_;
};

}  // namespace corral::sqlite
