// The embedded queue on the fault-injecting VFS, driven in-process under enqueue, fetch and
// complete load, for the power-loss and I/O-error tests. A fixture owns the database directory,
// the io_context the calls run on, and the queue; the load records every outcome in a History.
#pragma once

#include "faults/history.hpp"
#include "faults/integrity.hpp"
#include "queue/open/open_queue.hpp"
#include "queue/queue_harness.hpp"
#include "support/fault_vfs.hpp"
#include "support/temp_dir.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace corral::test {

struct LoadLimits {
  int producers = 4;
  int enqueues_per_producer = 150;
  int workers = 2;
  int fetches_per_worker = 200;
  std::chrono::seconds deadline{30};   // the load stops by then, whatever happened
};

class StorageFault : public ::testing::Test {
 protected:
  void SetUp() override { vfs(); }   // registers the VFS before anything opens with it

  void TearDown() override {
    if (svc_) svc_->shutdown();
    loop_.drain();
    svc_.reset();
    vfs().restore_power();
  }

  static FaultVfs& vfs() { return FaultVfs::instance(); }
  std::string db_path() const { return (dir_ / "corral.db").string(); }

  // Opens the queue on the fault VFS at the given synchronous level.
  void open(std::string const& synchronous = "FULL") {
    auto opened = queue::open_queue("sqlite:" + db_path(), {},
                                    {.sqlite_vfs = kFaultVfsName, .sqlite_synchronous = synchronous});
    ASSERT_TRUE(opened) << opened.error().message;
    svc_ = std::move(*opened);
  }
  // Closes the queue as a dying process leaves it: whatever it still tries to write after a
  // power cut fails.
  void close() { svc_.reset(); }

  queue::QueueService& svc() { return *svc_; }

  template <class T>
  core::Result<T> call(boost::asio::awaitable<core::Result<T>> task) {
    return await(loop_.spawn(std::move(task)));
  }

  core::Result<queue::EnqueueResult> enqueue_keyed(std::string const& key) {
    auto req = job_request("work");
    req.idempotency_key = key;
    req.timeout_s = 600;   // no lease runs out during a test: every change comes from the load
    return call(svc_->enqueue(std::move(req)));
  }

  // Enqueues with a fresh key and records the outcome.
  void enqueue_into(History& h, std::string const& key) {
    auto r = enqueue_keyed(key);
    h.enqueue(key, r ? Outcome::acknowledged : Outcome::failed, r ? r->job.id : "");
  }

  // Producers enqueue with unique keys (prefix-pN-i); workers fetch and complete. A thread stops
  // at its first error (after a power cut every write fails), at its budget, or at the deadline.
  void run_load(History& h, std::string const& prefix, LoadLimits limits = {}) {
    auto const deadline = std::chrono::steady_clock::now() + limits.deadline;
    auto in_time = [&] { return std::chrono::steady_clock::now() < deadline; };
    std::vector<std::thread> threads;
    for (int p = 0; p < limits.producers; ++p) {
      threads.emplace_back([&, p] {
        for (int i = 0; i < limits.enqueues_per_producer && in_time(); ++i) {
          std::string const key = prefix + "-p" + std::to_string(p) + "-" + std::to_string(i);
          auto r = guarded([&] { return enqueue_keyed(key); });
          h.enqueue(key, outcome_of(r), r && *r ? (*r)->job.id : "");
          if (!r || !*r) return;
        }
      });
    }
    for (int w = 0; w < limits.workers; ++w) {
      threads.emplace_back([&] {
        for (int i = 0; i < limits.fetches_per_worker && in_time(); ++i) {
          auto jobs = guarded([&] { return call(svc_->fetch(fetch_request({"work"}, 4, core::Micros{20'000}))); });
          if (!jobs || !*jobs) return h.other(outcome_of(jobs));
          for (auto const& j : **jobs) {
            h.fetch(j.id, j.attempt);
            auto done = guarded([&] { return call(svc_->complete(j.id, {*j.lease_token, R"({"ok":true})"})); });
            h.complete(j.id, outcome_of(done));
            if (!done || !*done) return;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
  }

  // Every job in the queue, newest first.
  std::vector<core::Job> all_jobs() {
    std::vector<core::Job> jobs;
    queue::ListQuery q;
    q.limit = 1000;
    for (;;) {
      auto page = must(call(svc_->list(q)));
      jobs.insert(jobs.end(), page.jobs.begin(), page.jobs.end());
      if (!page.next) return jobs;
      q.cursor = page.next;
    }
  }

  // PRAGMA integrity_check on the open database, through a connection of its own.
  std::string integrity() const { return integrity_of(db_path()); }

 private:
  // The result of `fn`, or nothing if it threw (the call had no reply by its deadline).
  template <class Fn>
  static auto guarded(Fn fn) -> std::optional<decltype(fn())> {
    try {
      return fn();
    } catch (std::exception const&) {
      return std::nullopt;
    }
  }
  template <class R>
  static Outcome outcome_of(std::optional<R> const& r) {
    if (!r) return Outcome::no_reply;
    return *r ? Outcome::acknowledged : Outcome::failed;
  }

  TempDir dir_;
  Loop loop_;
  std::unique_ptr<queue::QueueService> svc_;
};

}  // namespace corral::test
