// The in-memory scheduling state of every non-terminal job: which job each queue hands out next,
// and the next instant the server must act on (a run_at or a lease expiry).
//
// Design: per queue, an ordered set keyed by (priority desc, seq asc) is the ready "heap"; one
// ordered set keyed by (deadline, seq) is the timer heap. A map seq -> entry lets any job be moved
// or removed in O(log n) without a scan, which is the point: a fetch never touches the table to
// find work. Rebuilt from the database at start (Engine::load).
//
// Ready jobs with a concurrency_key are kept apart, per queue and key, each key's best job also
// in the queue's set of key heads: a fetch that may not start some keys' jobs (their
// max_running_per_key is reached) steps over those keys' heads only, never over their backlogs,
// so it costs O(log n) plus the keys at their limit (at most the jobs running). Keyless jobs,
// the common case, stay in the plain ready set and pay nothing for this.
//
// A queue with priority aging (core/queue_flow.hpp) orders its ready jobs by their aged rank,
// priority − rate × ready_at, fixed when the job is put; without aging the rank is the priority
// itself, so other queues order exactly as before. A change of a queue's rate re-ranks its ready
// jobs once (set_aging).
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
    std::optional<std::string> key;           // its concurrency_key
    double rank = 0;                          // set by put(): its place in the queue's order
  };

  // Places job `seq` according to `entry` (replacing any earlier place). Terminal states remove it.
  void put(std::int64_t seq, Entry entry);
  void erase(std::int64_t seq);
  // The queue's priority aging (points a second; none: off): its ready jobs are re-ranked now,
  // and those put later ranked by it.
  void set_aging(std::string const& queue, std::optional<double> rate_per_s);

  // Takes the next ready job of `queue` (highest priority, then oldest) out of the ready set.
  // The job stays unknown to the index until put() again (normally after its claim commits).
  std::optional<std::int64_t> pop_ready(std::string const& queue);
  // The same, passing over the jobs whose concurrency_key `key_ok` refuses (keyless jobs are
  // always taken): the next job of `queue` that may start.
  template <class KeyOk>
  std::optional<std::int64_t> pop_ready_if(std::string const& queue, KeyOk const& key_ok) {
    auto const plain = best_plain(queue);
    std::optional<ReadyKey> keyed;
    if (auto k = keyed_.find(queue); k != keyed_.end()) {
      for (auto const& head : k->second.heads) {
        if (plain && !core_runs_before(head, *plain)) break;   // the keyless job comes first
        if (key_ok(head.key)) {
          keyed = ReadyKey{head.rank, head.seq};
          break;
        }
      }
    }
    auto const pick = keyed && (!plain || core_runs_before(*keyed, *plain)) ? keyed : plain;
    if (!pick) return std::nullopt;
    erase(pick->seq);
    return pick->seq;
  }
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
    double rank;
    std::int64_t seq;
    bool operator<(ReadyKey const& o) const;
  };
  using DeadlineKey = std::pair<core::TimePoint, std::int64_t>;
  // The best ready job of one key of a queue.
  struct HeadKey {
    double rank;
    std::int64_t seq;
    std::string key;
    bool operator<(HeadKey const& o) const { return ReadyKey{rank, seq} < ReadyKey{o.rank, o.seq}; }
  };
  struct Keyed {
    std::map<std::string, std::set<ReadyKey>, std::less<>> by_key;
    std::set<HeadKey> heads;
  };
  static bool core_runs_before(ReadyKey const& a, ReadyKey const& b) { return a < b; }
  static bool core_runs_before(HeadKey const& a, ReadyKey const& b) { return ReadyKey{a.rank, a.seq} < b; }
  std::optional<ReadyKey> best_plain(std::string const& queue) const;
  void put_keyed(std::string const& queue, std::string const& key, ReadyKey rk);
  void erase_keyed(std::string const& queue, std::string const& key, ReadyKey rk);

  std::unordered_map<std::int64_t, Entry> entries_;
  std::map<std::string, std::set<ReadyKey>, std::less<>> ready_;          // keyless ready jobs
  std::map<std::string, Keyed, std::less<>> keyed_;                       // ready jobs with a key
  std::map<std::string, std::set<DeadlineKey>, std::less<>> ready_since_;   // the same jobs by ready_at
  std::set<DeadlineKey> deadlines_;
  std::map<std::string, double, std::less<>> aging_;   // queues with priority aging: points a second
};

}  // namespace corral::sqlite
