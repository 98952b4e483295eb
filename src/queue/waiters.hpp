// Long-poll registry: coroutines parked until work (or a job's end) is committed, each timed out
// separately. Keys are strings: "q:NAME" for a queue's ready jobs, "j:ID" for a job reaching a
// terminal state, "p:ID" (progress_key) for a job's progress report.
//
// Pattern (as in Redis blocked.c, without its single thread): a waiter registers, then checks its
// condition, then awaits. A notify() between registration and the await cancels the waiter's
// timer through the waiter's own executor (a strand), and that cancel runs only after the
// coroutine has suspended, so no wake-up is lost. notify(key, n) wakes at most n waiters, so one
// new job does not stampede a thousand idle workers; a woken waiter that does not use its wake
// passes it on (Registration's destructor).
//
// Thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace corral::queue {

// The key a get with ?progress=1 waits on besides its job's end: a committed progress report.
inline std::string progress_key(std::string_view job_id) { return "p:" + std::string(job_id); }

class Waiters {
  struct Waiter;

 public:
  // A waiter's registration on one or more keys; unregisters on destruction.
  class Registration {
   public:
    Registration(Waiters& owner, std::shared_ptr<Waiter> w) : owner_(&owner), waiter_(std::move(w)) {}
    ~Registration();
    Registration(Registration&&) = default;
    Registration(Registration const&) = delete;
    // Suspends until notified, closed, or `deadline`. Returns at once if already notified. Only
    // for a waiter added with an executor.
    boost::asio::awaitable<void> wait(std::chrono::steady_clock::time_point deadline);
    // Marks the wake as used (the waiter claimed work), so it is not passed on.
    void consumed();

   private:
    Waiters* owner_;
    std::shared_ptr<Waiter> waiter_;
  };

  // Must be called from a coroutine's context executor `ex` (a strand).
  Registration add(std::vector<std::string> keys, boost::asio::any_io_executor ex);
  // A waiter that is woken by a call of `wake` instead of in wait() (a ParkedFetch, which waits
  // on its own). `wake` says whether it took the wake; if not, notify() goes on to the next
  // waiter. It runs under the registry's lock, so it must not call back into Waiters.
  Registration add(std::vector<std::string> keys, std::function<bool()> wake);
  // Wakes at most `n` waiters registered on `key`, oldest first.
  void notify(std::string const& key, std::size_t n = SIZE_MAX);
  // Wakes everyone registered now, once (a wake-up source was lost: each re-checks its condition).
  void notify_all();
  // The keys starting with `prefix` that someone waits on.
  std::vector<std::string> keys(std::string_view prefix) const;
  // Wakes everyone, now and from now on (shutdown).
  void close();
  bool closed() const { return closed_.load(); }
  std::size_t size() const;
  // Waiters suspended in wait() now: registered, their condition found false after registering,
  // so only a notify (or their deadline) ends their wait. What tests wait for before they act.
  std::size_t parked() const { return parked_.load(); }

 private:
  struct Waiter {
    std::vector<std::string> keys;
    std::shared_ptr<boost::asio::steady_timer> timer;   // or:
    std::function<bool()> wake;
    bool woken = false;      // GUARDED_BY(mutex_)
    bool consumed = false;   // GUARDED_BY(mutex_)
    std::vector<std::list<std::shared_ptr<Waiter>>::iterator> positions;  // GUARDED_BY(mutex_)
  };
  void remove(std::shared_ptr<Waiter> const& w);
  // Whether it took the wake.
  bool wake_locked(std::shared_ptr<Waiter> const& w);
  Registration insert(std::shared_ptr<Waiter> w);

  mutable std::mutex mutex_;
  std::map<std::string, std::list<std::shared_ptr<Waiter>>> by_key_;  // GUARDED_BY(mutex_)
  std::atomic<bool> closed_{false};
  std::atomic<std::size_t> parked_{0};
};

}  // namespace corral::queue
