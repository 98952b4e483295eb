#include "queue/postgres/pool.hpp"

namespace corral::postgres {

DbResult<Pool::Lease> Pool::acquire() {
  std::unique_lock lock(mutex_);
  auto const deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  bool counted_wait = false;
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
    if (open_ < options_.size) {
      ++open_;   // reserve the slot, then connect without holding the lock
      lock.unlock();
      auto c = Connection::open(options_.url, options_.statement_timeout_ms);
      lock.lock();
      if (!c) {
        --open_;
        ++connect_errors_;
        freed_.notify_one();
        return c.error();
      }
      return Lease(*this, std::move(*c));
    }
    if (!counted_wait) {
      ++waits_;
      counted_wait = true;
    }
    ++waiting_;
    bool const woke = freed_.wait_until(lock, deadline, [this] { return !idle_.empty() || open_ < options_.size; });
    --waiting_;
    if (!woke) {
      ++timeouts_;
      return DbFailure{core::make_error(core::Errc::storage_unavailable,
                                        "no database connection free within " +
                                            std::to_string(options_.acquire_timeout.count()) + " ms (pool of " +
                                            std::to_string(options_.size) + ")"),
                       false, false};
    }
  }
}

void Pool::release(std::unique_ptr<Connection> c) {
  bool const keep = c->healthy() && PQtransactionStatus(c->handle()) == PQTRANS_IDLE;
  if (!keep) c.reset();   // a broken connection (or one left mid-transaction) is not reused
  {
    std::lock_guard lock(mutex_);
    if (keep) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
    }
  }
  freed_.notify_one();
}

PoolStats Pool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{options_.size, open_, open_ - static_cast<int>(idle_.size()), waiting_, waits_, timeouts_,
                   connect_errors_};
}

}  // namespace corral::postgres
