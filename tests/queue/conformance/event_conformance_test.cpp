// Conformance, events: every committed change to a job is one event in the backend's EventLog,
// numbered in commit order without gaps, with the kind, the job's fields and the details each kind
// carries; numbers keep rising across a restart; a reader whose position left the window is told.
#include "queue/conformance/queue_conformance.hpp"

#include "support/wait_until.hpp"

namespace corral::test {
namespace {

using core::JobEventKind;
using core::JobState;
using K = JobEventKind;

// The events of job `id` in the log, once the log holds at least `n` of them.
std::vector<core::JobEvent> events_of(queue::EventLog& log, std::string const& id, std::size_t n) {
  std::vector<core::JobEvent> out;
  wait_until(kDeadline, [&] {
    out.clear();
    for (auto const& e : log.read_after(0, 100'000).events) {
      if (e->job_id == id) out.push_back(*e);
    }
    return out.size() >= n;
  });
  return out;
}

std::vector<K> kinds(std::vector<core::JobEvent> const& events) {
  std::vector<K> out;
  for (auto const& e : events) out.push_back(e.kind);
  return out;
}

TEST_P(QueueConformance, AJobsLifeIsOneEventPerChangeInCommitOrderWithItsDetails) {
  auto req = job_request("mail");
  req.type = "send";
  req.owner = "acct-1";
  std::string const id = enqueue(req).id;
  auto fetch = fetch_request({"mail"});
  fetch.worker_id = "w-1";
  auto const lease = must(run(svc().fetch(fetch))).front();
  core::ProgressUpdate half;
  half.percent = 50.0;
  half.stage = std::optional<std::string>("render");
  must(run(svc().heartbeat(id, queue::HeartbeatRequest{*lease.lease_token, half, {}, {}})));
  must(run(svc().heartbeat(id, queue::HeartbeatRequest{*lease.lease_token, {}, {}, {}})));
  must(complete(id, *lease.lease_token));

  auto const events = events_of(svc().events(), id, 5);
  ASSERT_EQ(kinds(events), (std::vector<K>{K::enqueued, K::started, K::progress, K::heartbeat, K::completed}));
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_GT(events[i].seq, events[i - 1].seq);
  for (auto const& e : events) {
    EXPECT_EQ(e.queue, "mail");
    EXPECT_EQ(e.type, "send");
    EXPECT_EQ(e.owner, "acct-1");
    EXPECT_TRUE(e.local);
  }
  EXPECT_EQ(events[0].status, JobState::queued);
  EXPECT_EQ(events[0].attempt, 0);
  EXPECT_EQ(events[1].worker_id, "w-1");
  EXPECT_EQ(events[1].attempt, 1);
  ASSERT_TRUE(events[1].queue_wait);
  EXPECT_GE(events[1].queue_wait->count(), 0);
  ASSERT_TRUE(events[2].progress);
  EXPECT_EQ(events[2].progress->percent, 50.0);
  EXPECT_EQ(events[2].progress->stage, "render");
  EXPECT_FALSE(events[3].progress) << "a heartbeat without progress is not a progress event";
  EXPECT_EQ(events[4].status, JobState::completed);
  EXPECT_EQ(events[4].result, R"({"ok":true})");
  EXPECT_EQ(events[4].worker_id, "w-1");
  ASSERT_TRUE(events[4].run_time);
  EXPECT_TRUE(core::ends_job(events[4]));
}

TEST_P(QueueConformance, FailuresRetriesCancelsAndDeletionsAreEventsOfTheirOwnKind) {
  auto req = job_request("x");
  req.max_attempts = 2;
  std::string const id = enqueue(req).id;
  auto lease = fetch_one("x");
  must(fail(id, *lease.lease_token));   // retrying, after a backoff
  ASSERT_EQ(must(get(id)).status, JobState::retrying);
  must(run(svc().cancel(id)));          // cancelled while it waits
  must(run(svc().retry(id)));           // a person retries it
  lease = fetch_one("x");
  must(run(svc().cancel(id)));          // asked of a running job: the worker decides
  must(fail(id, *lease.lease_token));   // the worker stops: cancelled
  must(run(svc().remove(id)));

  auto const events = events_of(svc().events(), id, 9);
  ASSERT_EQ(kinds(events), (std::vector<K>{K::enqueued, K::started, K::retrying, K::cancelled, K::retried, K::started,
                                           K::cancel_requested, K::cancelled, K::deleted}));
  ASSERT_TRUE(events[2].error);
  EXPECT_EQ(events[2].error->code, "boom");
  EXPECT_TRUE(events[2].run_at) << "a retrying job says when it runs again";
  EXPECT_FALSE(events[3].error) << "cancelled while waiting: no attempt ended";
  ASSERT_TRUE(events[7].error) << "cancelled by the worker's failure report";
  EXPECT_EQ(events[7].status, JobState::cancelled);
  EXPECT_TRUE(core::ends_job(events[8]));
}

TEST_P(QueueConformance, AFailureForGoodIsFailedAndAPruneIsPruned) {
  auto req = job_request("y");
  req.max_attempts = 1;
  std::string const id = enqueue(req).id;
  auto const lease = fetch_one("y");
  must(fail(id, *lease.lease_token));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > must(get(id)).completed_at; }));
  queue::PruneRequest prune;
  prune.older_than = core::Micros(0);
  ASSERT_EQ(must(run(svc().prune(prune))), 1);

  auto const events = events_of(svc().events(), id, 4);
  ASSERT_EQ(kinds(events), (std::vector<K>{K::enqueued, K::started, K::failed, K::pruned}));
  EXPECT_EQ(events[2].status, JobState::failed);
  ASSERT_TRUE(events[2].error);
  EXPECT_EQ(events[2].error->code, "boom");
}

TEST_P(QueueConformance, AnExpiredLeaseAndADelayedJobComingDueAreEvents) {
  auto later = job_request("z");
  later.delay_s = 0.2;
  std::string const scheduled = enqueue(later).id;
  auto fetch = fetch_request({"z"});
  fetch.worker_id = "w-2";
  fetch.lease = core::Micros{200'000};
  std::vector<core::Job> leased;
  ASSERT_TRUE(wait_until(kDeadline, [&] { return !(leased = must(run(svc().fetch(fetch)))).empty(); }));
  ASSERT_EQ(leased.front().id, scheduled);

  auto const events = events_of(svc().events(), scheduled, 4);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(kinds(events), (std::vector<K>{K::scheduled, K::ready, K::started, K::lease_expired}));
  EXPECT_TRUE(events[0].run_at);
  EXPECT_EQ(events[3].worker_id, "w-2") << "whose lease ran out";
  EXPECT_EQ(events[3].status, JobState::retrying);
}

TEST_P(QueueConformance, EventNumbersAreGaplessAndKeepRisingAcrossARestart) {
  for (int i = 0; i < 5; ++i) enqueue(job_request());
  auto& log = svc().events();
  ASSERT_TRUE(wait_until(kDeadline, [&] { return log.size() >= 5; }));
  auto const first = log.read_after(0, 100).events;
  for (std::size_t i = 1; i < first.size(); ++i) EXPECT_EQ(first[i]->seq, first[i - 1]->seq + 1);
  auto const last_before = log.last_seq();

  close();
  open();
  std::string const id = enqueue(job_request()).id;
  auto const after = events_of(svc().events(), id, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_GT(after[0].seq, last_before);
}

}  // namespace
}  // namespace corral::test
