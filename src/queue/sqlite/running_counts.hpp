// The embedded backend's concurrency limits (core/concurrency_limits.hpp): each queue's limits,
// and how many of its jobs run, in all and per concurrency_key, as the current transaction sees
// them. The claim path asks it what may start without reading a row.
//
// The counts follow Engine::write(), the one path every change of a job takes, so a claim later
// in a batch sees the claims and ends earlier in it; a failed batch rebuilds them with everything
// else (Engine::load). Keys are counted only while they have running jobs, so that map holds at
// most one entry per running job.
//
// Not thread-safe: owned by the writer thread.
#pragma once

#include "core/concurrency_limits.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace corral::sqlite {

class RunningCounts {
 public:
  void clear() {
    in_queue_.clear();
    by_key_.clear();
  }
  // A job of `queue` (with `key`) started (+1) or stopped running (-1).
  void add(std::string const& queue, std::optional<std::string> const& key, int delta);

  std::int64_t in_queue(std::string const& queue) const;
  std::int64_t of_key(std::string const& queue, std::string const& key) const;

  // The limits of `queue`; nullptr when it has none (the common case, one lookup in an empty map).
  core::ConcurrencyLimits const* limits(std::string const& queue) const {
    if (limits_.empty()) return nullptr;
    auto it = limits_.find(queue);
    return it == limits_.end() ? nullptr : &it->second;
  }
  void set_limits(std::string const& queue, core::ConcurrencyLimits limits);
  std::map<std::string, core::ConcurrencyLimits, std::less<>> const& all_limits() const { return limits_; }

 private:
  std::unordered_map<std::string, std::int64_t> in_queue_;
  std::map<std::pair<std::string, std::string>, std::int64_t, std::less<>> by_key_;
  std::map<std::string, core::ConcurrencyLimits, std::less<>> limits_;   // queues with any limit
};

}  // namespace corral::sqlite
