// A bounded pool of PostgreSQL connections with an acquire timeout.
//
// At most `size` connections exist; they are opened on demand and reused. acquire() waits up to
// the timeout for one to be free, then fails with storage_unavailable, so a burst or a slow
// database gives clear 503s instead of piling up threads. A connection that broke while in use is
// dropped when it comes back and a fresh one is opened next time, which is how the pool recovers
// after the database restarts.
//
// Thread-safe.
#pragma once

#include "queue/postgres/connection.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace corral::postgres {

struct PoolOptions {
  std::string url;
  int size = 10;
  std::chrono::milliseconds acquire_timeout{5000};
  int statement_timeout_ms = 30000;
};

struct PoolStats {
  int size = 0;            // the bound
  int open = 0;            // connections open now
  int in_use = 0;          // held by a caller now
  int waiting = 0;         // callers waiting for one now
  std::int64_t waits = 0;          // acquires that had to wait, since start
  std::int64_t timeouts = 0;       // acquires that gave up, since start
  std::int64_t connect_errors = 0; // failed connection attempts, since start
};

class Pool {
 public:
  class Lease;

  explicit Pool(PoolOptions options) : options_(std::move(options)) {}

  DbResult<Lease> acquire();
  PoolStats stats() const;
  PoolOptions const& options() const { return options_; }

 private:
  void release(std::unique_ptr<Connection> c);

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  int open_ = 0;                                   // GUARDED_BY(mutex_): idle + in use (+ opening)
  int waiting_ = 0;                                // GUARDED_BY(mutex_)
  std::int64_t waits_ = 0, timeouts_ = 0, connect_errors_ = 0;  // GUARDED_BY(mutex_)
};

// A connection on loan; returns to the pool when destroyed.
class Pool::Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(&pool), conn_(std::move(c)) {}
  Lease(Lease&& o) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_) pool_->release(std::move(conn_));
  }
  Connection* operator->() { return conn_.get(); }
  Connection& operator*() { return *conn_; }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace corral::postgres
