// A fetch that found no work and waits for it (a long-poll), kept by the writer.
//
// Why on the writer and not on a wake-up list: a job's enqueue and its lease then commit together.
// At the end of each batch that made a job ready in one of its queues, the engine claims that job
// for the longest-waiting fetch inside the same transaction, so the job's first fsync is also its
// lease's, and the fetch is answered when that commit is done. A woken fetch would need a second
// batch and a second fsync before its worker could start.
//
// Two threads answer it, and exactly one does: the writer (jobs after a commit, an error, nothing
// at shutdown) or the fetch's own coroutine when its wait runs out. `state_` decides who, with
// three values: waiting (parked, the coroutine may give up), taken (the writer is claiming for it
// and will answer or put it back) and answered. A wait that ends while the writer holds the fetch
// sets `expired_` first, so that put_back() answers it with no jobs (the two stores and loads are
// sequentially consistent: one side always sees the other's).
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

namespace corral::sqlite {

class ParkedFetch : public std::enable_shared_from_this<ParkedFetch> {
 public:
  using Answer = core::Result<std::vector<core::Job>>;
  using Deadline = std::chrono::steady_clock::time_point;

  // `parked_count`, if given, counts this fetch from the writer's first put_back() (it found
  // nothing and waits on) until its coroutine has its answer: the long_polls_parked gauge.
  ParkedFetch(queue::FetchRequest req, boost::asio::any_io_executor ex, Deadline deadline,
              std::atomic<std::size_t>* parked_count = nullptr);

  queue::FetchRequest const& request() const { return req_; }

  // --- the writer ----------------------------------------------------------------------------
  // waiting -> taken: the writer may claim for it. False once it is answered.
  bool take();
  // taken -> waiting, after a claim that found nothing. False if it was answered instead (its
  // wait ran out meanwhile): the writer then forgets it.
  bool put_back();
  // Answers it, once: later answers from either side are ignored.
  void answer(Answer answer);
  bool answered() const { return state_.load() == kAnswered; }
  // True once the coroutine has seen its deadline pass.
  bool expired() const { return expired_.load(); }

  // --- the fetch's coroutine -------------------------------------------------------------------
  // Suspends until answered or the deadline; the deadline alone answers with no jobs.
  boost::asio::awaitable<Answer> wait();

 private:
  enum : int { kWaiting, kTaken, kAnswered };
  void post(Answer answer);
  void unpark();

  queue::FetchRequest const req_;
  Deadline const deadline_;
  std::atomic<int> state_{kWaiting};
  std::atomic<bool> expired_{false};
  std::atomic<std::size_t>* const parked_count_;
  // Set by put_back() before it lets go of the fetch, so the coroutine, which can only end after
  // that, always sees it.
  std::atomic<bool> parked_{false};
  boost::asio::steady_timer timer_;   // the coroutine's executor
  std::optional<Answer> answer_;      // the coroutine's executor only
};

}  // namespace corral::sqlite
