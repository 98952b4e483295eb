// Feeds this node's EventLog from corral_events, the cluster's events in commit order: one thread
// with a connection of its own reads the rows after the last one it has, whenever it is nudged (a
// batch of this node committed events; another node announced some) and at least every `poll`,
// so a lost notification delays an event by at most that. Event numbers follow the commit order
// (migrations/003_events.sql), so reading "after the last seen" never skips one.
//
// At start it loads the last window of events, so a stream can resume from before this node
// started. Thread-safe.
#pragma once

#include "queue/event_log.hpp"
#include "queue/postgres/connection.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace corral::postgres {

// The tail's read: the events after $1, in order, a page at a time.
std::string const& events_after_sql();
// Settles how `conn`, a connection that runs events_after_sql() and nothing else, plans it: the
// primary key in order, planned once (event_tail.cpp says why). False if the database failed.
bool plan_event_reads(Connection& conn);

class EventTail {
 public:
  EventTail(std::string url, std::string node, queue::EventLog& log, std::size_t window,
            std::chrono::milliseconds poll);
  ~EventTail();
  // Loads the recent window and starts following. An error if the database cannot be read.
  core::Result<void> start();
  // New events may be there: read now.
  void nudge();
  void stop();

 private:
  void run();
  // Appends every event after the log's last; false when the database failed.
  bool read_new();
  bool connect();

  std::string url_, node_;
  queue::EventLog& log_;
  std::size_t window_;
  std::chrono::milliseconds poll_;
  std::unique_ptr<Connection> conn_;   // the tail thread's (and start()'s, before it runs)
  std::int64_t after_ = 0;             // the last event read; the tail thread's too
  std::mutex mutex_;
  std::condition_variable cv_;
  bool nudged_ = false;   // GUARDED_BY(mutex_)
  bool stop_ = false;     // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace corral::postgres
