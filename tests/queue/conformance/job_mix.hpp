// A small set of jobs in every kind of state, with owners, error codes and messages, for the
// list and bulk conformance tests: what each filter should find is known by construction.
#pragma once

#include "queue/queue_harness.hpp"
#include "support/results.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace corral::test {

struct JobMix {
  core::Job queued;      // mail/send, owner acct-1
  core::Job smtp;        // mail/render, failed: smtp_down "Connection REFUSED by host"
  core::Job db;          // reports/send, failed: db_timeout "database did not answer"
  core::Job cancelled;   // reports/send
  core::Job completed;   // mail/send
  core::Job scheduled;   // mail/send, an hour ahead
  core::Job running;     // work/send, leased
  std::vector<core::Job> all() const { return {queued, smtp, db, cancelled, completed, scheduled, running}; }
};

// Leases the one job of `queue` and ends it as `end` does with its lease token.
template <class End>
core::Job lease_and(queue::QueueService& svc, Loop& loop, std::string const& queue, End end) {
  auto leased = must(loop.run(svc.fetch(fetch_request({queue}))));
  if (leased.size() != 1) throw std::runtime_error("expected one job in " + queue);
  return must(loop.run(end(leased.front())));
}

inline core::Job failed_job(queue::QueueService& svc, Loop& loop, std::string const& queue, std::string const& type,
                            core::JobError error) {
  auto req = job_request(queue);
  req.type = type;
  req.max_attempts = 1;
  must(loop.run(svc.enqueue(req)));
  return lease_and(svc, loop, queue, [&](core::Job const& j) {
    return svc.fail(j.id, queue::FailRequest{*j.lease_token, error, {}});
  });
}

inline JobMix make_job_mix(queue::QueueService& svc, Loop& loop) {
  auto enqueue = [&](std::string queue, std::string type) {
    auto req = job_request(std::move(queue));
    req.type = std::move(type);
    return req;
  };
  JobMix m;
  auto owned = enqueue("mail", "send");
  owned.owner = "acct-1";
  m.queued = must(loop.run(svc.enqueue(owned))).job;
  m.smtp = failed_job(svc, loop, "mail-work", "render", {"smtp_down", "Connection REFUSED by host", false});
  m.db = failed_job(svc, loop, "reports-work", "send", {"db_timeout", "database did not answer", true});
  m.cancelled = must(loop.run(svc.cancel(must(loop.run(svc.enqueue(enqueue("reports", "send")))).job.id)));
  must(loop.run(svc.enqueue(enqueue("done", "send"))));
  m.completed = lease_and(svc, loop, "done", [&](core::Job const& j) {
    return svc.complete(j.id, queue::CompleteRequest{*j.lease_token, "1", {}});
  });
  auto later = enqueue("mail", "send");
  later.delay_s = 3600;
  m.scheduled = must(loop.run(svc.enqueue(later))).job;
  must(loop.run(svc.enqueue(enqueue("work", "send"))));
  m.running = must(loop.run(svc.fetch(fetch_request({"work"})))).front();
  return m;
}

inline std::vector<std::string> sorted_ids(std::vector<core::Job> const& jobs) {
  std::vector<std::string> ids;
  for (auto const& j : jobs) ids.push_back(j.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace corral::test
