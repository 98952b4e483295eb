// The recent events of the deployment, in sequence order, as every consumer on this node reads
// them: live streams page through it from their own position, listeners (metrics, logs, stats
// trackers) are called for each event as it is appended.
//
// The backend appends: the embedded one after each commit, the PostgreSQL one from its tail of the
// cluster's events table, so on every node the log holds the same events in the same order. It
// keeps a bounded window (a count and a byte budget): a reader whose position has left the window
// is told so (a gap) and goes on from the oldest event kept, and a reader that does not read costs
// nothing here, since readers own no buffer in the log. Appending never waits for a reader.
//
// Thread-safe.
#pragma once

#include "core/job_event.hpp"
#include "queue/waiters.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace corral::queue {

using EventPtr = std::shared_ptr<core::JobEvent const>;

struct EventWindow {
  std::size_t max_events = 10'000;
  std::size_t max_bytes = 64u << 20;
};

class EventLog {
 public:
  // The key of `waiters()` notified at each append.
  static constexpr char kWaitKey[] = "events";

  explicit EventLog(EventWindow window = {});

  // Appends events committed in this order (their seq rising), then wakes the waiting readers and
  // calls the listeners on this thread. Events at or below the last seq appended are skipped (a
  // tail that read one twice).
  void append(std::vector<core::JobEvent> events);
  // Sets the sequence number the log starts after, when it holds nothing yet (at start: the last
  // seq the database recorded), so a reader with an older position hears of its gap.
  void start_after(std::int64_t seq);

  // Called with every event appended from now on, on the appending thread: must not block.
  void subscribe(std::function<void(core::JobEvent const&)> listener);
  // Called once per append with the events it added, in order, on the appending thread, after the
  // listeners above: for a consumer whose work is cheaper once per batch (one log write for a
  // batch's lines). Must not block.
  void subscribe_batch(std::function<void(std::span<EventPtr const>)> listener);

  struct Page {
    std::vector<EventPtr> events;   // after the position asked for, oldest first
    bool gap = false;               // events after that position have left the window (or it is
                                    // unknown): `events` starts at the oldest kept
  };
  // Up to `max` events after seq `after`.
  Page read_after(std::int64_t after, std::size_t max) const;
  // The last seq appended (or started after).
  std::int64_t last_seq() const;
  std::size_t size() const;

  // Readers wait here on kWaitKey for the next append; closed at shutdown.
  Waiters& waiters() { return waiters_; }

 private:
  static std::size_t bytes_of(core::JobEvent const& e);

  EventWindow window_;
  Waiters waiters_;
  mutable std::mutex mutex_;
  std::deque<EventPtr> events_;     // GUARDED_BY(mutex_)
  std::size_t bytes_ = 0;           // GUARDED_BY(mutex_)
  std::int64_t floor_ = 0;          // GUARDED_BY(mutex_): events after it are kept, from the front
  std::int64_t last_ = 0;           // GUARDED_BY(mutex_)
  // Replaced whole at each subscribe, so that an append takes them by one pointer copy, not a
  // copy of every function on the writer's thread.
  using Listener = std::function<void(core::JobEvent const&)>;
  using BatchListener = std::function<void(std::span<EventPtr const>)>;
  std::shared_ptr<std::vector<Listener> const> listeners_ =
      std::make_shared<std::vector<Listener> const>();                       // GUARDED_BY(mutex_)
  std::shared_ptr<std::vector<BatchListener> const> batch_listeners_ =
      std::make_shared<std::vector<BatchListener> const>();                  // GUARDED_BY(mutex_)
};

}  // namespace corral::queue
