// Conformance, dependencies and batches: a job enqueued with depends_on waits (state waiting)
// until its parents end, becomes ready in the commit of the last one's end and carries how each
// ended; a parent that fails for good or is cancelled cancels its children (and theirs), unless
// they run anyway; unknown parents are refused and nothing is written; chains and a fan-in of a
// thousand parents complete in order; a batch counts its jobs and runs its on_success and
// on_complete jobs when they are done. Everything holds across a restart.
#include "queue/conformance/queue_conformance.hpp"

#include <algorithm>

namespace corral::test {
namespace {

using core::JobState;

core::EnqueueRequest child_of(std::vector<std::string> parents, std::string queue = "children") {
  auto req = job_request(std::move(queue));
  req.depends_on = std::move(parents);
  return req;
}

core::EnqueueRequest failing_once(std::string queue = "parents") {
  auto req = job_request(std::move(queue));
  req.max_attempts = 1;
  return req;
}

TEST_P(QueueConformance, AChildWaitsForItsParentsAndIsGivenHowTheyEnded) {
  auto const a = enqueue(job_request("parents"));
  auto const b = enqueue(job_request("parents"));
  auto const child = enqueue(child_of({a.id, b.id}));
  EXPECT_EQ(child.status, JobState::waiting);
  EXPECT_EQ(child.parents_left, 2);
  EXPECT_EQ(child.depends_on, (std::vector<std::string>{a.id, b.id}));
  EXPECT_TRUE(fetch(fetch_request({"children"})).empty());

  auto const first = fetch_one("parents");
  must(complete(first.id, *first.lease_token));
  auto const halfway = must(get(child.id));
  EXPECT_EQ(halfway.status, JobState::waiting);
  EXPECT_EQ(halfway.parents_left, 1);
  EXPECT_TRUE(fetch(fetch_request({"children"})).empty());

  auto const second = fetch_one("parents");
  must(complete(second.id, *second.lease_token));
  auto const ready = fetch_one("children");
  EXPECT_EQ(ready.id, child.id);
  EXPECT_EQ(ready.parents_left, 0);
  ASSERT_EQ(ready.parents.size(), 2u);
  EXPECT_EQ(ready.parents[0].id, a.id);
  EXPECT_EQ(ready.parents[0].status, JobState::completed);
  EXPECT_EQ(ready.parents[0].result, R"({"ok":true})");
  EXPECT_EQ(ready.parents[1].id, b.id);
}

TEST_P(QueueConformance, AChildOfParentsThatHaveCompletedIsReadyAtOnce) {
  auto const a = enqueue(job_request("parents"));
  auto const leased = fetch_one("parents");
  must(complete(leased.id, *leased.lease_token));
  auto const child = enqueue(child_of({a.id}));
  EXPECT_EQ(child.status, JobState::queued);
  ASSERT_EQ(child.parents.size(), 1u);
  EXPECT_EQ(child.parents[0].result, R"({"ok":true})");
}

TEST_P(QueueConformance, AChainOfAHundredRunsInOrder) {
  std::vector<std::string> ids{enqueue(job_request("chain")).id};
  for (int i = 1; i < 100; ++i) ids.push_back(enqueue(child_of({ids.back()}, "chain")).id);
  for (auto const& id : ids) {
    auto const leased = fetch(fetch_request({"chain"}, 10));
    ASSERT_EQ(ids_of(leased), std::vector<std::string>{id});
    must(complete(id, *leased.front().lease_token));
  }
  EXPECT_EQ(must(get(ids.back())).status, JobState::completed);
}

TEST_P(QueueConformance, AFanInOfAThousandParentsRunsOnceTheLastEnds) {
  std::vector<core::EnqueueRequest> parents(1000, job_request("fan"));
  auto const made = must(run(svc().enqueue_batch(parents)));
  std::vector<std::string> ids;
  for (auto const& r : made) ids.push_back(r.job.id);
  auto const child = enqueue(child_of(ids));
  EXPECT_EQ(child.parents_left, 1000);

  std::size_t done = 0;
  while (done < ids.size()) {
    auto const leased = fetch(fetch_request({"fan"}, 100));
    ASSERT_FALSE(leased.empty());
    std::vector<queue::CompleteItem> items;
    for (auto const& j : leased) items.push_back({j.id, {*j.lease_token, R"({"n":1})", {}}});
    for (auto const& r : must(run(svc().complete_batch(std::move(items))))) ASSERT_TRUE(r) << r.error().message;
    done += leased.size();
    if (done < ids.size()) {
      ASSERT_EQ(must(get(child.id)).parents_left, static_cast<int>(ids.size() - done));
      ASSERT_TRUE(fetch(fetch_request({"children"})).empty());
    }
  }
  auto const ready = fetch_one("children");
  EXPECT_EQ(ready.id, child.id);
  ASSERT_EQ(ready.parents.size(), 1000u);
  EXPECT_TRUE(std::all_of(ready.parents.begin(), ready.parents.end(),
                          [](core::ParentOutcome const& p) { return p.result == R"({"n":1})"; }));
}

TEST_P(QueueConformance, AParentThatFailsForGoodCancelsItsChildrenAndTheirs) {
  auto const a = enqueue(failing_once());
  auto const b = enqueue(child_of({a.id}));
  auto const c = enqueue(child_of({b.id}));
  auto const leased = fetch_one("parents");
  must(fail(leased.id, *leased.lease_token));

  auto const b_now = must(get(b.id));
  EXPECT_EQ(b_now.status, JobState::cancelled);
  ASSERT_TRUE(b_now.error);
  EXPECT_EQ(b_now.error->code, "parent_failed");
  EXPECT_NE(b_now.error->message.find(a.id), std::string::npos);
  auto const c_now = must(get(c.id));
  EXPECT_EQ(c_now.status, JobState::cancelled);
  ASSERT_TRUE(c_now.error);
  EXPECT_NE(c_now.error->message.find(b.id), std::string::npos);
}

TEST_P(QueueConformance, AChildThatRunsOnParentFailureRunsWithTheParentsEnds) {
  auto const a = enqueue(failing_once());
  auto const ok = enqueue(job_request("parents"));
  auto req = child_of({a.id, ok.id});
  req.on_parent_failure = core::OnParentFailure::run;
  auto const child = enqueue(req);
  for (int i = 0; i < 2; ++i) {
    auto const leased = fetch_one("parents");
    if (leased.id == a.id) must(fail(leased.id, *leased.lease_token));
    else must(complete(leased.id, *leased.lease_token));
  }
  auto const ready = fetch_one("children");
  ASSERT_EQ(ready.id, child.id);
  ASSERT_EQ(ready.parents.size(), 2u);
  EXPECT_EQ(ready.parents[0].status, JobState::failed);
  EXPECT_EQ(ready.parents[1].status, JobState::completed);
}

TEST_P(QueueConformance, ACancelledParentCancelsAWaitingChildAndACancelledChildIsLeftAlone) {
  auto const a = enqueue(job_request("parents"));
  auto const b = enqueue(job_request("parents"));
  auto const child_of_a = enqueue(child_of({a.id}));
  auto const child_of_b = enqueue(child_of({b.id}));
  must(run(svc().cancel(a.id)));
  EXPECT_EQ(must(get(child_of_a.id)).status, JobState::cancelled);

  // Cancelled while it waits; its parent's end later changes nothing.
  EXPECT_EQ(must(run(svc().cancel(child_of_b.id))).status, JobState::cancelled);
  auto const leased = fetch_one("parents");
  must(complete(leased.id, *leased.lease_token));
  EXPECT_EQ(must(get(child_of_b.id)).status, JobState::cancelled);
}

TEST_P(QueueConformance, UnknownParentsAreRefusedAndNothingIsWritten) {
  auto const a = enqueue(job_request("parents"));
  auto const refused = run(svc().enqueue(child_of({a.id, "job-that-does-not-exist"})));
  ASSERT_TRUE(fails_with(refused, core::Errc::invalid_argument));
  EXPECT_NE(refused.error().message.find("depends_on[1]"), std::string::npos);

  auto const twice = run(svc().enqueue(child_of({a.id, a.id})));
  EXPECT_TRUE(fails_with(twice, core::Errc::invalid_argument));

  // In a batch: the good job before the bad one is not written either.
  auto const batch = run(svc().enqueue_batch({job_request("children"), child_of({"nope"})}));
  ASSERT_TRUE(fails_with(batch, core::Errc::invalid_argument));
  EXPECT_NE(batch.error().message.find("jobs[1]"), std::string::npos);
  auto const queues = must(run(svc().queues()));
  EXPECT_TRUE(std::none_of(queues.begin(), queues.end(), [](auto const& q) { return q.name == "children"; }));
}

TEST_P(QueueConformance, AnotherOwnersJobCannotBeAParent) {
  auto theirs = job_request("parents");
  theirs.owner = "tenant-a";
  auto const a = enqueue(theirs);
  auto mine = child_of({a.id});
  mine.owner = "tenant-b";
  EXPECT_TRUE(fails_with(run(svc().enqueue(mine)), core::Errc::invalid_argument));
  mine.owner = "tenant-a";
  EXPECT_EQ(enqueue(mine).status, JobState::waiting);
}

TEST_P(QueueConformance, AWaitingChildNotStartedByItsStartByIsCancelledAsExpired) {
  auto const a = enqueue(job_request("parents"));
  auto req = child_of({a.id});
  req.start_within_s = 0.2;
  auto const child = enqueue(req);
  ASSERT_TRUE(wait_until(kDeadline, [&] { return must(get(child.id)).status == JobState::cancelled; }));
  auto const expired = must(get(child.id));
  ASSERT_TRUE(expired.error);
  EXPECT_EQ(expired.error->code, "expired");
}

TEST_P(QueueConformance, AWaitingChildSurvivesARestartAndIsReleasedAfterIt) {
  auto const a = enqueue(job_request("parents"));
  auto const child = enqueue(child_of({a.id}));
  close();
  open();
  EXPECT_EQ(must(get(child.id)).status, JobState::waiting);
  auto const leased = fetch_one("parents");
  must(complete(leased.id, *leased.lease_token));
  EXPECT_EQ(fetch_one("children").id, child.id);
}

// A batch of three with both jobs to run when it is done.
std::vector<core::EnqueueRequest> batch_of_three(std::string id) {
  std::vector<core::EnqueueRequest> reqs;
  for (int i = 0; i < 3; ++i) {
    auto req = failing_once("batch");
    req.batch = id;
    req.idempotency_key = id + "-" + std::to_string(i);
    reqs.push_back(req);
  }
  for (auto role : {core::BatchRole::on_success, core::BatchRole::on_complete}) {
    auto req = job_request("after");
    req.batch = id;
    req.batch_role = role;
    reqs.push_back(req);
  }
  return reqs;
}

TEST_P(QueueConformance, ABatchCountsItsJobsAndRunsItsJobsWhenTheyAreDone) {
  auto const made = must(run(svc().enqueue_batch(batch_of_three("nightly"))));
  ASSERT_EQ(made.size(), 5u);
  for (auto const& r : made) EXPECT_EQ(r.job.batch, "nightly");
  auto info = must(run(svc().get_batch("nightly")));
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::queued)], 3);
  EXPECT_EQ(info.on_success, made[3].job.id);
  EXPECT_EQ(info.on_complete, made[4].job.id);
  EXPECT_EQ(made[3].job.status, JobState::waiting);

  for (int i = 0; i < 3; ++i) {
    auto const leased = fetch_one("batch");
    must(complete(leased.id, *leased.lease_token));
  }
  info = must(run(svc().get_batch("nightly")));
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::completed)], 3);
  auto const after = fetch(fetch_request({"after"}, 10));
  EXPECT_EQ(after.size(), 2u);
  for (auto const& j : after) EXPECT_EQ(j.parents.size(), 3u);
}

TEST_P(QueueConformance, ABatchWithAFailureRunsOnlyItsOnCompleteJob) {
  auto const made = must(run(svc().enqueue_batch(batch_of_three("mixed"))));
  for (int i = 0; i < 3; ++i) {
    auto const leased = fetch_one("batch");
    if (i == 0) must(fail(leased.id, *leased.lease_token));
    else must(complete(leased.id, *leased.lease_token));
  }
  EXPECT_EQ(must(get(made[3].job.id)).status, JobState::cancelled);
  auto const after = fetch(fetch_request({"after"}, 10));
  ASSERT_EQ(ids_of(after), std::vector<std::string>{made[4].job.id});
  auto const info = must(run(svc().get_batch("mixed")));
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::failed)], 1);
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::completed)], 2);
}

TEST_P(QueueConformance, ABatchIsMadeByOneRequestAndARepeatOfItGetsItsJobs) {
  auto const made = must(run(svc().enqueue_batch(batch_of_three("once"))));
  // The same request again (the same keys): the same jobs, nothing new.
  auto const again = must(run(svc().enqueue_batch(batch_of_three("once"))));
  ASSERT_EQ(again.size(), made.size());
  for (std::size_t i = 0; i < made.size(); ++i) {
    EXPECT_EQ(again[i].job.id, made[i].job.id);
    EXPECT_FALSE(again[i].created);
  }
  // Another job for it: refused.
  auto more = job_request("batch");
  more.batch = "once";
  EXPECT_TRUE(fails_with(run(svc().enqueue_batch({more})), core::Errc::already_exists));
  EXPECT_TRUE(fails_with(run(svc().get_batch("no-such-batch")), core::Errc::not_found));
}

TEST_P(QueueConformance, ABatchTheServerNamesGetsAnIdOfItsOwn) {
  std::vector<core::EnqueueRequest> reqs{job_request("batch"), job_request("batch")};
  for (auto& r : reqs) r.batch = "";
  auto const made = must(run(svc().enqueue_batch(reqs)));
  ASSERT_TRUE(made[0].job.batch);
  EXPECT_FALSE(made[0].job.batch->empty());
  EXPECT_EQ(made[1].job.batch, made[0].job.batch);
  auto const info = must(run(svc().get_batch(*made[0].job.batch)));
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::queued)], 2);
}

}  // namespace
}  // namespace corral::test
