// The long-poll protocols, written once (the shape of Redis's blocked.c): try; if there is nothing
// yet, register on the keys, try again (so a commit between the first try and the registration is
// not missed), then wait for a wake-up or the deadline, and go round. Backends supply how to try:
// `claim()` / `read()` return the backend's own awaitable.
// The embedded backend's fetch parks on its writer instead (sqlite/parked_fetches.hpp).
#pragma once

#include "core/job_state.hpp"
#include "queue/parked_fetch.hpp"
#include "queue/queue_service.hpp"
#include "queue/waiters.hpp"

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace corral::queue {

// A fetch that waits up to req.wait for work in req.queues. `claim` leases what is ready now.
// While it waits it is a ParkedFetch: `park(fetch)` shows it to the backend's batches, which may
// claim for it in the commit that makes work ready, and returns what keeps it there (it leaves
// when that is destroyed); any other wake-up on its queues sends it to claim for itself.
// `parked_count` counts the fetches waiting now (the long_polls_parked gauge).
template <class Claim, class Park>
Task<std::vector<core::Job>> fetch_with_wait(Waiters& waiters, FetchRequest const& req, Claim claim, Park park,
                                             std::atomic<std::size_t>* parked_count) {
  using Clock = std::chrono::steady_clock;
  // A long-poll's asker may have hung up before we got to it.
  if (req.abandoned && req.abandoned()) co_return std::vector<core::Job>{};
  auto jobs = co_await claim();
  if (!jobs || !jobs->empty() || req.wait.count() <= 0) co_return jobs;
  auto const deadline = Clock::now() + req.wait;
  std::vector<std::string> keys;
  for (auto const& q : req.queues) keys.push_back("q:" + q);
  auto ex = co_await boost::asio::this_coro::executor;
  // The registration that was woken, kept until the claim after it has looked: that claim answers
  // its wake, whether it takes the work or finds that another fetch took it first. Passing such a
  // wake on would only wake the next waiter to find nothing, and it the next, round the ring for
  // as long as the waiters wait. A wake is passed on only by a waiter that leaves before it has
  // looked (its asker hung up), whose claim failed, or that a batch served instead.
  std::optional<Waiters::Registration> woken;
  for (;;) {
    // Registered, then look (so a commit between the first claim and the registration is not
    // missed). The fetch is its own coroutine's until that claim is done, so no batch claims for
    // it meanwhile; a wake in between sends it round again (ParkedFetch::put_back).
    auto fetch = std::make_shared<ParkedFetch>(req, ex, deadline, parked_count);
    fetch->take();
    auto reg = waiters.add(keys, [fetch] { return fetch->wake(); });
    [[maybe_unused]] auto shown = park(fetch);   // held until this round ends
    jobs = co_await claim();
    if (woken && jobs) woken->consumed();
    woken.reset();
    if (!jobs) co_return jobs;
    if (!jobs->empty()) {
      reg.consumed();
      co_return jobs;
    }
    if (Clock::now() >= deadline || waiters.closed()) co_return jobs;
    // False only if a wake came meanwhile: then wait() answers at once with "look again".
    fetch->put_back();
    auto answer = co_await fetch->wait();
    if (answer) {
      // A batch's jobs or error, or the deadline's nothing. A wake it had no use for is another's.
      if (*answer && !(*answer)->empty() && !fetch->woken()) reg.consumed();
      co_return std::move(*answer);
    }
    if (req.abandoned && req.abandoned()) co_return std::vector<core::Job>{};
    if (Clock::now() >= deadline || waiters.closed()) co_return std::vector<core::Job>{};
    woken.emplace(std::move(reg));
  }
}

// What a get with ?progress=1 answers on besides the job's end: its progress or stages differ
// from those of the first read. A wake with nothing new (a resent report, a lost race) waits on.
inline bool progress_moved(core::Job const& first, core::Job const& now) {
  return now.progress != first.progress || now.stages != first.stages;
}

// A get that waits up to `wait.wait` for job `id` to end (and, with wait.progress, for its
// progress to change), then answers with the job as it is. `read` reads it now. `recheck` bounds
// each wait, for backends whose wake-ups can be lost (another node's notification).
template <class Read>
Task<core::Job> get_with_wait(Waiters& waiters, std::string const& id, GetWait wait, Read read,
                              std::chrono::steady_clock::duration recheck = std::chrono::hours(24)) {
  using Clock = std::chrono::steady_clock;
  if (wait.wait.count() <= 0) co_return co_await read();
  auto const deadline = Clock::now() + wait.wait;
  auto ex = co_await boost::asio::this_coro::executor;
  std::vector<std::string> keys{"j:" + id};
  if (wait.progress) keys.push_back(progress_key(id));
  std::optional<core::Job> first;   // the job as the first read saw it: what a change is measured from
  for (;;) {
    // Register before reading, so a change committed in between still wakes us.
    auto reg = waiters.add(keys, ex);
    reg.consumed();
    auto job = co_await read();
    if (!job || core::is_terminal(job->status) || Clock::now() >= deadline || waiters.closed()) co_return job;
    if (wait.progress) {
      if (!first) {
        // Changed since the asker's last look: that change is what it waits for.
        if (wait.updated_after && job->updated_at > *wait.updated_after) co_return job;
        first = *job;
      } else if (progress_moved(*first, *job)) {
        co_return job;
      }
    }
    co_await reg.wait(std::min(deadline, Clock::now() + recheck));
  }
}

}  // namespace corral::queue
