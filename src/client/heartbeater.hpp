// The heartbeat thread of a Worker: keeps the leases of the running jobs alive, sends their
// progress and checkpoints, and at a stop deadline hands back those still running.
//
// One thread and one connection for all of a worker's jobs. It sleeps until the earliest thing
// due (a job's next heartbeat, a report a handler made, the stop deadline), woken early when a
// job comes or goes or reports; the work of one job (JobContext::beat, ::release) runs without
// the thread's lock held, and remove() waits for it, so a job the worker is about to report on
// never has a heartbeat or a release in flight.
#pragma once

#include "client/client.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace corral::client {

class JobContext;

// POST /jobs/{id}/release with `lease_token`: "" once the server took it, else why not.
std::string release_lease(Client& client, std::string const& id, std::string const& lease_token);

class Heartbeater {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Heartbeater(Client client) : client_(std::move(client)) {}

  // The thread's body: runs until finish().
  void run();
  void finish();
  // Thread-safe. A job is kept alive from add() until remove(), which returns once no heartbeat
  // or release of it is in flight.
  void add(JobContext& job);
  void remove(JobContext& job);
  // Thread-safe: hands back every job still running at `deadline` (or an earlier one given since).
  void release_all_at(Clock::time_point deadline);

 private:
  void wake();

  Client client_;   // used by the thread alone
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<JobContext*> jobs_;              // guarded by mutex_
  JobContext* busy_ = nullptr;                 // guarded by mutex_: in beat() or release()
  std::optional<Clock::time_point> release_at_;   // guarded by mutex_
  bool finished_ = false;                      // guarded by mutex_
};

}  // namespace corral::client
