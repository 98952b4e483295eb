// A fetch that found no work and waits for it (a long-poll), where the batches that make work
// ready can claim for it.
//
// Why where the batches can reach it and not on a wake-up list: a job's enqueue and its lease then
// commit together. A batch that made a job ready in one of its queues claims that job for the
// longest-waiting fetch inside the same transaction, so the job's first commit (its fsync, its WAL
// flush) is also its lease's, and the fetch is answered when that commit is done. A woken fetch
// would need a second batch and a second commit before its worker could start. The embedded
// backend keeps its parked fetches on its writer; the PostgreSQL backend, whose batches run side
// by side, in a list they share (postgres/waiting_fetches.hpp).
//
// Two sides answer it, and exactly one does: a batch (jobs after a commit, an error, nothing at
// shutdown) or the fetch's own coroutine when its wait runs out. `state_` decides who, with three
// values: waiting (parked, the coroutine may give up), taken (a batch is claiming for it and will
// answer or put it back) and answered. A wait that ends while a batch holds the fetch sets
// `expired_` first, so that put_back() answers it with no jobs (the two stores and loads are
// sequentially consistent: one side always sees the other's).
//
// A third side may only wake it: work became ready where no batch of this process could claim it
// for the fetch (another node's commit, a resumed queue, a rate limit's next token). wake() then
// sends the fetch to look for itself (wait() answers nullopt); if a batch holds it, `rewake_`
// makes put_back() do so, by the same two-sided ordering as `expired_`.
//
// The coroutine's executor must be a strand: the answer is posted there, and the coroutine reads
// it there.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"
#include "queue/requests.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace corral::queue {

class ParkedFetch : public std::enable_shared_from_this<ParkedFetch> {
 public:
  using Answer = core::Result<std::vector<core::Job>>;
  using Deadline = std::chrono::steady_clock::time_point;

  // `parked_count`, if given, counts this fetch from the first put_back() (it found nothing and
  // waits on) until its coroutine has its answer: the long_polls_parked gauge.
  ParkedFetch(queue::FetchRequest req, boost::asio::any_io_executor ex, Deadline deadline,
              std::atomic<std::size_t>* parked_count = nullptr);

  queue::FetchRequest const& request() const { return req_; }

  // --- a batch --------------------------------------------------------------------------------
  // waiting -> taken: the batch may claim for it. False once it is answered.
  bool take();
  // taken -> waiting, after a claim that found nothing. False if it was answered instead (its
  // wait ran out meanwhile, or it was woken): the batch then forgets it.
  bool put_back();
  // Answers it, once: later answers from either side are ignored.
  void answer(Answer answer);
  bool answered() const { return state_.load() == kAnswered; }
  // True once the coroutine has seen its deadline pass.
  bool expired() const { return expired_.load(); }

  // --- a wake-up source ------------------------------------------------------------------------
  // Sends a waiting fetch to look for work itself, or one a batch holds once the batch puts it
  // back. False if it is answered already: the wake is for another fetch.
  bool wake();
  // Whether wake() reached it: a wake it then had no use for belongs to another fetch.
  bool woken() const { return rewake_.load() || woken_.load(); }

  // --- the fetch's coroutine -------------------------------------------------------------------
  // Suspends until answered, woken or the deadline; the deadline alone answers with no jobs, a
  // wake with nullopt (look again).
  boost::asio::awaitable<std::optional<Answer>> wait();

 private:
  enum : int { kWaiting, kTaken, kAnswered };
  // nullopt: look again.
  void post(std::optional<Answer> answer);
  void unpark();

  queue::FetchRequest const req_;
  Deadline const deadline_;
  std::atomic<int> state_{kWaiting};
  std::atomic<bool> expired_{false};
  std::atomic<bool> rewake_{false};   // woken while taken: put_back() sends it to look again
  std::atomic<bool> woken_{false};    // woken while waiting
  std::atomic<std::size_t>* const parked_count_;
  // Set by put_back() before it lets go of the fetch, so the coroutine, which can only end after
  // that, always sees it.
  std::atomic<bool> parked_{false};
  boost::asio::steady_timer timer_;   // the coroutine's executor
  bool posted_ = false;               // the coroutine's executor only
  std::optional<Answer> answer_;      // the coroutine's executor only; nullopt when posted: look again
};

}  // namespace corral::queue
