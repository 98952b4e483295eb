// The fetches parked on the writer (ParkedFetch, parked_fetch.hpp) and everything the engine keeps
// about them from one batch to the next, in one place:
//
// - parked: the fetches that found nothing and wait, oldest first;
// - served: the fetches this batch claimed jobs for, answered only once the batch has committed;
// - ready: the queues this batch made work ready in (an enqueue, a due retry or delay, an expired
//   lease, a resume). At the end of a batch only the fetches on one of these queues are tried,
//   and a fetch that got fewer jobs than it asked for takes its queues off the list;
// - retry all: after a rollback the ready sets were rebuilt from the database, which may have put
//   jobs back that this batch had claimed, so every parked fetch looks again;
// - closed: at shutdown (or once the writer has failed for good) fetches no longer park.
//
// How a fetch is claimed for is the engine's business (Engine::claim): it is passed in, so this
// class decides only who is tried, in what order, and how each is answered.
//
// Not thread-safe: the writer thread only. (Each ParkedFetch is itself answered exactly once,
// whichever of the writer and its own coroutine gets there first.)
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"
#include "queue/requests.hpp"
#include "queue/parked_fetch.hpp"

#include <functional>
#include <list>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace corral::sqlite {

class ParkedFetches {
 public:
  // Claims jobs for one request inside the current transaction, as a fetch op would.
  using Claim = std::function<core::Result<std::vector<core::Job>>(queue::FetchRequest const&, core::TimePoint)>;

  explicit ParkedFetches(Claim claim) : claim_(std::move(claim)) {}

  // A job became ready in `queue` in this batch.
  void note_ready(std::string const& queue) { ready_.insert(queue); }

  // A fetch that may wait: claims for it now, or parks it. Returns only an error that spoils the
  // batch; any other is the fetch's own answer.
  core::Result<void> claim_or_park(std::shared_ptr<queue::ParkedFetch> fetch, core::TimePoint now);
  // End of a batch's ops: claims, for the parked fetches, the work this batch made ready.
  core::Result<void> serve(core::TimePoint now);
  // Answers every parked fetch with no jobs, and every later one that would park (shutdown, or a
  // writer that has failed for good).
  void close();

  // The batch committed: answers the fetches it served.
  void after_commit();
  // The batch failed (`why`): the fetches it served are told so, and every parked fetch looks
  // again at the end of the next batch.
  void after_rollback(core::Error const& why);

 private:
  // What became of a fetch the writer claimed for.
  enum class Claimed {
    waits,     // it found nothing and stays parked
    served,    // it got jobs: answered after the commit
    answered,  // answered now: an error about it, nothing at shutdown, or its wait ran out
  };
  // Claims for a fetch the writer has taken (ParkedFetch::take). The error is one that spoils the
  // batch; the fetch has been answered with it.
  core::Result<Claimed> claim_for(std::shared_ptr<queue::ParkedFetch> const& fetch, core::TimePoint now);
  // Whether a parked fetch may find work now.
  bool may_find_work(queue::FetchRequest const& req) const;

  Claim claim_;
  std::list<std::shared_ptr<queue::ParkedFetch>> parked_;  // oldest first
  std::vector<std::pair<std::shared_ptr<queue::ParkedFetch>, std::vector<core::Job>>> served_;
  std::set<std::string, std::less<>> ready_;
  bool retry_all_ = false;
  bool closed_ = false;
};

}  // namespace corral::sqlite
