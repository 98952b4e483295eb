// Conformance, bulk actions: by ids or by filter, each changes exactly the jobs its single-job
// call would change, each change with its event, reports matched, changed and skipped; a dry run
// changes nothing; requests past one batch of 500 are applied batch by batch; two bulk actions at
// once never apply one change twice.
#include "queue/conformance/job_mix.hpp"
#include "queue/conformance/queue_conformance.hpp"

#include "support/wait_until.hpp"

#include <map>

namespace corral::test {
namespace {

using core::JobEventKind;
using core::JobState;
using queue::BulkAction;

// How many events of `kind` each job has in the log, once the job `last` (changed after every
// change the test counts) has its event of `last_kind` there: events come in commit order.
std::map<std::string, int> events_by_job(queue::EventLog& log, JobEventKind kind, std::string const& last,
                                         JobEventKind last_kind) {
  std::map<std::string, int> out;
  wait_until(kDeadline, [&] {
    out.clear();
    bool seen_last = false;
    for (auto const& e : log.read_after(0, 1'000'000).events) {
      if (e->kind == kind) ++out[e->job_id];
      seen_last = seen_last || (e->job_id == last && e->kind == last_kind);
    }
    return seen_last;
  });
  return out;
}

// A job cancelled after the changes under test: its event marks that theirs are in the log.
std::string sentinel(queue::QueueService& svc, Loop& loop) {
  auto const job = must(loop.run(svc.enqueue(job_request("sentinel")))).job;
  must(loop.run(svc.cancel(job.id)));
  return job.id;
}

TEST_P(QueueConformance, BulkRetryByIdsRetriesTheEndedJobsAndSkipsTheRest) {
  auto const m = make_job_mix(svc(), loop());
  queue::BulkRequest req{.action = BulkAction::retry,
                         .ids = {m.smtp.id, m.cancelled.id, m.queued.id, m.running.id, "job_unknown", m.smtp.id}};
  auto const r = must(run(svc().bulk(req)));
  EXPECT_EQ(r.matched, 5) << "each id once, the unknown one too";
  EXPECT_EQ(r.changed, 2);
  EXPECT_EQ(r.skipped(), 3);
  EXPECT_EQ(must(get(m.smtp.id)).status, JobState::queued);
  EXPECT_EQ(must(get(m.smtp.id)).attempt, 0) << "as POST /retry does: a fresh attempt budget";
  EXPECT_EQ(must(get(m.cancelled.id)).status, JobState::queued);
  EXPECT_EQ(must(get(m.queued.id)), m.queued) << "a job the action does not apply to is left as it was";
  EXPECT_EQ(must(get(m.running.id)).status, JobState::running);
  EXPECT_EQ(must(get(m.db.id)).status, JobState::failed) << "a job not named is not touched";

  auto const retried = events_by_job(svc().events(), JobEventKind::retried, sentinel(svc(), loop()), JobEventKind::cancelled);
  EXPECT_EQ(retried, (std::map<std::string, int>{{m.smtp.id, 1}, {m.cancelled.id, 1}}));
}

TEST_P(QueueConformance, BulkCancelByFilterCancelsWaitingJobsAndAsksRunningOnes) {
  auto const m = make_job_mix(svc(), loop());
  queue::BulkRequest ask{.action = BulkAction::cancel, .ids = {m.running.id}};
  EXPECT_EQ(must(run(svc().bulk(ask))).changed, 1);
  EXPECT_TRUE(must(get(m.running.id)).cancel_requested) << "as POST /cancel does: the worker is asked";
  EXPECT_EQ(must(get(m.running.id)).status, JobState::running);

  queue::BulkRequest every{.action = BulkAction::cancel, .filter = queue::JobFilter{}};
  auto const r = must(run(svc().bulk(every)));
  EXPECT_EQ(r.matched, 7);
  EXPECT_EQ(r.changed, 2) << "the queued and the scheduled job; the running one was asked already";
  EXPECT_EQ(r.skipped(), 5);
  EXPECT_EQ(must(get(m.queued.id)).status, JobState::cancelled);
  EXPECT_EQ(must(get(m.scheduled.id)).status, JobState::cancelled);
  for (auto const& ended : {m.smtp, m.db, m.completed}) EXPECT_EQ(must(get(ended.id)), ended) << ended.id;

  auto const last = sentinel(svc(), loop());
  EXPECT_EQ(events_by_job(svc().events(), JobEventKind::cancel_requested, last, JobEventKind::cancelled),
            (std::map<std::string, int>{{m.running.id, 1}}));
  auto cancelled = events_by_job(svc().events(), JobEventKind::cancelled, last, JobEventKind::cancelled);
  cancelled.erase(last);
  cancelled.erase(m.cancelled.id);   // cancelled when the mix was made
  EXPECT_EQ(cancelled, (std::map<std::string, int>{{m.queued.id, 1}, {m.scheduled.id, 1}}));
}

TEST_P(QueueConformance, BulkDeleteByFilterDeletesEndedJobsOnly) {
  auto const m = make_job_mix(svc(), loop());
  queue::BulkRequest req{.action = BulkAction::remove, .filter = queue::JobFilter{.type = "send"}};
  auto const r = must(run(svc().bulk(req)));
  EXPECT_EQ(r.matched, 6) << "every job of type send";
  EXPECT_EQ(r.changed, 3) << "the failed, the cancelled and the completed one";
  for (auto const& gone : {m.db, m.cancelled, m.completed}) {
    EXPECT_TRUE(fails_with(get(gone.id), core::Errc::not_found)) << gone.id;
  }
  for (auto const& kept : {m.queued, m.scheduled, m.running, m.smtp}) EXPECT_TRUE(get(kept.id)) << kept.id;
  auto const deleted = events_by_job(svc().events(), JobEventKind::deleted, sentinel(svc(), loop()), JobEventKind::cancelled);
  EXPECT_EQ(deleted, (std::map<std::string, int>{{m.db.id, 1}, {m.cancelled.id, 1}, {m.completed.id, 1}}));
}

TEST_P(QueueConformance, ABulkDryRunCountsWhatWouldChangeAndChangesNothing) {
  auto const m = make_job_mix(svc(), loop());
  struct Case {
    BulkAction action;
    std::int64_t would_change;
  };
  for (auto const& c : {Case{BulkAction::retry, 3}, Case{BulkAction::cancel, 3}, Case{BulkAction::remove, 4}}) {
    queue::BulkRequest req{.action = c.action, .filter = queue::JobFilter{}, .dry_run = true};
    auto const r = must(run(svc().bulk(req)));
    EXPECT_TRUE(r.dry_run);
    EXPECT_EQ(r.matched, 7);
    EXPECT_EQ(r.changed, c.would_change) << static_cast<int>(c.action);
  }
  queue::BulkRequest by_ids{.action = BulkAction::retry, .ids = {m.smtp.id, "job_unknown"}, .dry_run = true};
  auto const r = must(run(svc().bulk(by_ids)));
  EXPECT_EQ(r.matched, 2);
  EXPECT_EQ(r.changed, 1);
  for (auto const& j : m.all()) {
    auto now = must(get(j.id));
    EXPECT_EQ(now.status, j.status) << j.id;
    EXPECT_EQ(now.updated_at, j.updated_at) << j.id;
  }
  auto const last = sentinel(svc(), loop());
  for (auto kind : {JobEventKind::retried, JobEventKind::deleted, JobEventKind::cancel_requested}) {
    EXPECT_TRUE(events_by_job(svc().events(), kind, last, JobEventKind::cancelled).empty());
  }
}

TEST_P(QueueConformance, ABulkActionPastOneBatchChangesEveryMatchingJob) {
  constexpr int kJobs = 1200;   // three batches of at most 500
  std::vector<core::EnqueueRequest> batch(400, job_request("big"));
  std::vector<std::string> ids;
  for (int i = 0; i < kJobs / 400; ++i) {
    for (auto const& e : must(run(svc().enqueue_batch(batch)))) ids.push_back(e.job.id);
  }
  queue::BulkRequest cancel{.action = BulkAction::cancel, .filter = queue::JobFilter{.queue = "big"}};
  auto const r = must(run(svc().bulk(cancel)));
  EXPECT_EQ(r.matched, kJobs);
  EXPECT_EQ(r.changed, kJobs);
  auto const cancelled = events_by_job(svc().events(), JobEventKind::cancelled, sentinel(svc(), loop()), JobEventKind::cancelled);
  int big = 0;
  for (auto const& id : ids) big += cancelled.contains(id) && cancelled.at(id) == 1;
  EXPECT_EQ(big, kJobs) << "one event per change";

  // By ids: 1000 of them, two batches.
  ids.resize(api::kMaxBulkIds);
  queue::BulkRequest retry{.action = BulkAction::retry, .ids = ids};
  auto const again = must(run(svc().bulk(retry)));
  EXPECT_EQ(again.matched, 1000);
  EXPECT_EQ(again.changed, 1000);
  queue::ListQuery queued;
  queued.filter = {.statuses = {JobState::queued}, .queue = "big"};
  queued.count = true;
  EXPECT_EQ(must(run(svc().list(queued))).total, 1000);
}

TEST_P(QueueConformance, TwoBulkRetriesAtOnceRetryEachJobOnce) {
  constexpr int kJobs = 40;
  std::vector<std::string> ids;
  for (int i = 0; i < kJobs; ++i) {
    ids.push_back(failed_job(svc(), loop(), "twice", "send", {"boom", "it broke", false}).id);
  }
  queue::BulkRequest by_ids{.action = BulkAction::retry, .ids = ids};
  queue::BulkRequest by_filter{.action = BulkAction::retry, .filter = queue::JobFilter{.queue = "twice"}};
  auto a = spawn(svc().bulk(by_ids));
  auto b = spawn(svc().bulk(by_filter));
  auto const ra = must(await(std::move(a)));
  auto const rb = must(await(std::move(b)));
  EXPECT_EQ(ra.changed + rb.changed, kJobs) << "each job changed by one of the two, the other skipped it";
  auto const retried = events_by_job(svc().events(), JobEventKind::retried, sentinel(svc(), loop()), JobEventKind::cancelled);
  for (auto const& id : ids) EXPECT_EQ(retried.contains(id) ? retried.at(id) : 0, 1) << id;
}

}  // namespace
}  // namespace corral::test
