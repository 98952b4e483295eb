// Conformance, durability: what was committed is there after the service is closed and opened
// again, leases included; and one store has one owner.
#include "queue/conformance/queue_conformance.hpp"

namespace corral::test {
namespace {

using core::Errc;
using core::JobState;

TEST_P(QueueConformance, StateSurvivesReopen) {
  std::string const running_id = enqueue(job_request("work")).id;
  std::string const completed_id = enqueue(job_request("work")).id;
  auto lease_req = fetch_request({"work"}, 2);
  lease_req.lease = core::Micros{600'000'000};   // outlives the test
  auto const leased = fetch(lease_req);
  ASSERT_EQ(ids_of(leased), (std::vector<std::string>{running_id, completed_id}));
  must(complete(completed_id, *leased[1].lease_token));
  std::string const queued_id = enqueue(job_request("work")).id;
  auto const running_before = must(get(running_id));

  close();
  open();

  EXPECT_EQ(must(get(queued_id)).status, JobState::queued);
  auto const completed = must(get(completed_id));
  EXPECT_EQ(completed.status, JobState::completed);
  EXPECT_EQ(completed.result, R"({"ok":true})");

  auto const running = must(get(running_id));
  EXPECT_EQ(running, running_before);
  EXPECT_EQ(running.lease_expires_at, running_before.lease_expires_at);
  EXPECT_EQ(running.lease_token, leased[0].lease_token);

  // The lease still fences reports, and the live token still works.
  EXPECT_TRUE(fails_with(complete(running_id, "not-the-lease"), Errc::stale_lease));
  EXPECT_EQ(must(run(svc().heartbeat(running_id, {.lease_token = *leased[0].lease_token}))).status,
            JobState::running);
  EXPECT_EQ(must(complete(running_id, *leased[0].lease_token)).status, JobState::completed);

  // The rebuilt index hands out the queued job, and only it.
  EXPECT_EQ(ids_of(fetch(fetch_request({"work"}, 10))), std::vector<std::string>{queued_id});

  // Queue counts are rebuilt too.
  bool listed = false;
  for (auto const& info : must(run(svc().queues()))) {
    if (info.name != "work") continue;
    listed = true;
    EXPECT_EQ(count_of(info, JobState::completed), 2);
    EXPECT_EQ(count_of(info, JobState::running), 1);
    EXPECT_EQ(count_of(info, JobState::queued), 0);
  }
  EXPECT_TRUE(listed) << "queues() lists the queue after reopen";
}

TEST_P(QueueConformance, PausedQueueStaysPausedAfterReopen) {
  std::string const id = enqueue(job_request("mail")).id;
  must(run(svc().pause("mail")));

  close();
  open();

  EXPECT_TRUE(fetch(fetch_request({"mail"})).empty());
  must(run(svc().resume("mail")));
  EXPECT_EQ(fetch_one("mail").id, id);
}

TEST_P(QueueConformance, SecondOpenOfTheSameFileIsRefused) {
  if (!GetParam().exclusive) GTEST_SKIP() << GetParam().name << " allows several servers per store";
  std::string const id = enqueue(job_request()).id;

  auto const second = GetParam().open(dir(), job_types_, options_);
  ASSERT_TRUE(fails_with(second, Errc::storage_unavailable));
  EXPECT_NE(second.error().message.find(GetParam().store_name(dir())), std::string::npos)
      << "the refusal names the store: " << second.error().message;

  // The refused open disturbed nothing; once the owner closes, the store opens again.
  EXPECT_EQ(must(get(id)).status, JobState::queued);
  close();
  open();
  EXPECT_EQ(fetch_one().id, id);
}

}  // namespace
}  // namespace corral::test
