// The fetches of this node that found nothing and wait (queue/parked_fetch.hpp), by queue, where
// every batch runner of the node can find them.
//
// A batch that inserts ready jobs into a queue claims, in its own transaction, for the fetches
// waiting on that queue (Batch::serve_waiting), so a job enqueued while a worker waits is leased in
// the enqueue's commit instead of a second batch after it. Work that becomes ready any other way
// (another node's enqueue, a due retry, a resumed queue) wakes the fetches through Waiters, and
// each then claims for itself.
//
// Entries are added and removed by their fetch's coroutine; a batch reads a snapshot of a queue's
// list and takes each fetch (ParkedFetch::take) before it claims, so two batches never claim for
// one fetch. Thread-safe.
#pragma once

#include "queue/parked_fetch.hpp"

#include <atomic>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace corral::postgres {

class WaitingFetches {
  struct Entry;

 public:
  // A fetch's place in the lists of its queues; leaves them on destruction.
  class Registration {
   public:
    Registration(WaitingFetches& owner, std::shared_ptr<Entry> entry) : owner_(&owner), entry_(std::move(entry)) {}
    ~Registration();
    Registration(Registration&&) = default;
    Registration(Registration const&) = delete;

   private:
    WaitingFetches* owner_;
    std::shared_ptr<Entry> entry_;
  };

  Registration add(std::shared_ptr<queue::ParkedFetch> fetch);
  // Up to `most` of the fetches waiting on `queue` that are not answered yet, longest waiting
  // first: a batch with n new jobs there looks at no more than n of a thousand idle workers.
  std::vector<std::shared_ptr<queue::ParkedFetch>> on(std::string const& queue, std::size_t most) const;
  // Whether any fetch waits: a batch with nothing to serve skips the lock.
  bool empty() const { return size_.load() == 0; }

 private:
  struct Entry {
    std::shared_ptr<queue::ParkedFetch> fetch;
    std::vector<std::list<std::shared_ptr<queue::ParkedFetch>>::iterator> positions;   // GUARDED_BY(mutex_)
  };
  void remove(Entry& entry);

  mutable std::mutex mutex_;
  std::map<std::string, std::list<std::shared_ptr<queue::ParkedFetch>>, std::less<>> by_queue_;  // GUARDED_BY(mutex_)
  std::atomic<std::size_t> size_{0};
};

}  // namespace corral::postgres
