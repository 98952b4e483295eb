// POST /api/v1/fetch: which jobs a worker gets (priority, FIFO, queue order, count), the lease it
// gets with them, and the long-poll (wait_s).
#include "http/api_helpers.hpp"
#include "support/raw_socket.hpp"

namespace corral::test {
namespace {

class Fetch : public ApiTest {};

TEST_F(Fetch, HandsOutHigherPriorityFirstThenInEnqueueOrder) {
  auto low = enqueue_id(api(), {{"type", "t"}, {"priority", "low"}});
  auto normal_1 = enqueue_id(api(), {{"type", "t"}});
  auto high_1 = enqueue_id(api(), {{"type", "t"}, {"priority", "high"}});
  auto normal_2 = enqueue_id(api(), {{"type", "t"}, {"priority", 0}});
  auto high_2 = enqueue_id(api(), {{"type", "t"}, {"priority", 10}});
  auto top = enqueue_id(api(), {{"type", "t"}, {"priority", 1000}});
  auto bottom = enqueue_id(api(), {{"type", "t"}, {"priority", -1000}});

  EXPECT_EQ(ids_of(fetch(api(), {{"count", 10}})),
            (std::vector{top, high_1, high_2, normal_1, normal_2, low, bottom}));
}

TEST_F(Fetch, OneAtATimeFollowsTheSameOrder) {
  auto first = enqueue_id(api(), {{"type", "t"}, {"priority", 5}});
  auto second = enqueue_id(api(), {{"type", "t"}, {"priority", 5}});
  auto urgent = enqueue_id(api(), {{"type", "t"}, {"priority", 6}});
  EXPECT_EQ(fetch_one(api()).id, urgent);
  EXPECT_EQ(fetch_one(api()).id, first);
  EXPECT_EQ(fetch_one(api()).id, second);
  EXPECT_TRUE(fetch(api()).empty());
}

TEST_F(Fetch, QueuesAreTriedInTheOrderGivenWhateverTheirPriorities) {
  auto a_top = enqueue_id(api(), {{"type", "t"}, {"queue", "a"}, {"priority", 1000}});
  auto b_1 = enqueue_id(api(), {{"type", "t"}, {"queue", "b"}, {"priority", -1000}});
  auto b_2 = enqueue_id(api(), {{"type", "t"}, {"queue", "b"}, {"priority", -1000}});
  auto a_2 = enqueue_id(api(), {{"type", "t"}, {"queue", "a"}});

  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{"b", "a"}}}).id, b_1);
  // One fetch takes what is left of the first queue, then moves on to the next.
  EXPECT_EQ(ids_of(fetch(api(), {{"queues", json::array{"b", "a"}}, {"count", 3}})), (std::vector{b_2, a_top, a_2}));
}

TEST_F(Fetch, OnlyTheNamedQueuesAreServedAndDefaultIsTheDefault) {
  auto other = enqueue_id(api(), {{"type", "t"}, {"queue", "other"}});
  auto plain = enqueue_id(api());
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"nothing-here"}}}).empty());
  EXPECT_EQ(fetch_one(api()).id, plain);
  EXPECT_TRUE(fetch(api()).empty()) << "a fetch without queues serves only queue default";
  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{"other"}}}).id, other);
}

TEST_F(Fetch, CountCapsHowManyJobsOneFetchTakesAndDefaultsToOne) {
  enqueue_many(api(), 5);
  EXPECT_EQ(fetch(api(), {}).size(), 1u);
  EXPECT_EQ(fetch(api(), {{"count", 3}}).size(), 3u);
  EXPECT_EQ(fetch(api(), {{"count", 3}}).size(), 1u);
  EXPECT_TRUE(fetch(api(), {{"count", 3}}).empty());
}

TEST_F(Fetch, AFetchedJobIsRunningUnderALeaseOfItsOwn) {
  auto ids = enqueue_many(api(), 2);
  auto jobs = fetch(api(), {{"count", 2}, {"worker_id", "worker-7"}});
  ASSERT_EQ(jobs.size(), 2u);
  auto const& job = jobs[0].as_object();
  EXPECT_EQ(str(job, "id"), ids[0]);
  EXPECT_EQ(str(job, "status"), "running");
  EXPECT_EQ(field(job, "attempt"), json::value(1));
  EXPECT_EQ(str(job, "worker_id"), "worker-7");
  EXPECT_FALSE(str(job, "lease_token").empty());
  EXPECT_NE(str(job, "lease_token"), str(jobs[1].as_object(), "lease_token"));
  EXPECT_GT(time_at(job, "lease_expires_at"), time_at(job, "started_at"));
  ASSERT_EQ(job.at("attempts").as_array().size(), 1u);
  auto const& attempt = job.at("attempts").as_array()[0].as_object();
  EXPECT_EQ(str(attempt, "worker_id"), "worker-7");
  EXPECT_EQ(str(attempt, "outcome"), "running");

  auto stored = get_job(api(), ids[0]);
  EXPECT_EQ(str(stored, "status"), "running");
  EXPECT_EQ(str(stored, "lease_expires_at"), str(job, "lease_expires_at"));
  EXPECT_FALSE(stored.contains("lease_token")) << "only the fetch that won the lease hands out its token";
}

TEST_F(Fetch, TheLeaseLastsLeaseSOrElseTheJobsTimeout) {
  enqueue(api(), {{"type", "t"}, {"queue", "own"}, {"timeout_s", 50}});
  auto by_timeout = fetch_one(api(), {{"queues", json::array{"own"}}});
  EXPECT_DOUBLE_EQ(seconds_between(by_timeout.job, "started_at", "lease_expires_at"), 50);

  enqueue(api(), {{"type", "t"}, {"queue", "own"}, {"timeout_s", 50}});
  auto by_lease_s = fetch_one(api(), {{"queues", json::array{"own"}}, {"lease_s", 7.5}});
  EXPECT_DOUBLE_EQ(seconds_between(by_lease_s.job, "started_at", "lease_expires_at"), 7.5);
}

TEST_F(Fetch, WorkerIdIsOptional) {
  auto id = enqueue_id(api());
  // A short timeout: a server that cannot answer this should fail the test, not stall the suite.
  Client quick(server_.url(), std::chrono::seconds(5));
  auto reply = quick.post("/api/v1/fetch", json::object{{"queues", json::array{"default"}}});
  auto jobs = expect_json(reply, 200).at("jobs").as_array();
  EXPECT_EQ(ids_of(jobs), std::vector{id});
  EXPECT_EQ(status_of(quick, id), "running");
}

TEST_F(Fetch, WithoutWaitItAnswersAtOnceWithAnEmptyList) {
  auto reply = expect_json(api().post("/api/v1/fetch", json::object{{"queues", json::array{"empty"}}, {"worker_id", "w"}}), 200);
  EXPECT_EQ(reply, (json::object{{"jobs", json::array{}}}));
}

TEST_F(Fetch, AJobEnqueuedWhileAFetchWaitsIsHandedToIt) {
  Background waiting(server_.url(), [](Client& c) {
    return c.post("/api/v1/fetch", json::object{{"queues", json::array{"idle"}}, {"wait_s", 60}, {"worker_id", "w"}});
  });
  ASSERT_TRUE(wait_for_parked(api(), 1));
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "idle"}});

  auto jobs = expect_json(waiting.reply(), 200).at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(str(jobs[0].as_object(), "id"), id);
  EXPECT_EQ(str(jobs[0].as_object(), "status"), "running");
  EXPECT_EQ(status_of(api(), id), "running");
}

TEST_F(Fetch, AWaitingFetchIsWokenByAJobInAnyOfItsQueues) {
  Background waiting(server_.url(), [](Client& c) {
    return c.post("/api/v1/fetch", json::object{{"queues", json::array{"q1", "q2"}}, {"wait_s", 60}, {"worker_id", "w"}});
  });
  ASSERT_TRUE(wait_for_parked(api(), 1));
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "q2"}});
  auto jobs = expect_json(waiting.reply(), 200).at("jobs").as_array();
  EXPECT_EQ(ids_of(jobs), std::vector{id});
}

TEST_F(Fetch, AWaitingFetchEndsWithAnEmptyListWhenNoJobCame) {
  enqueue(api(), {{"type", "t"}, {"queue", "elsewhere"}});
  auto reply = api().post("/api/v1/fetch", json::object{{"queues", json::array{"quiet"}}, {"wait_s", 0.3}, {"worker_id", "w"}});
  EXPECT_EQ(expect_json(reply, 200), (json::object{{"jobs", json::array{}}}));
}

TEST_F(Fetch, TwoWaitingFetchesShareTwoJobsOneEach) {
  auto long_poll = [](Client& c) {
    return c.post("/api/v1/fetch", json::object{{"queues", json::array{"pair"}}, {"wait_s", 60}, {"worker_id", "w"}});
  };
  Background first(server_.url(), long_poll);
  Background second(server_.url(), long_poll);
  ASSERT_TRUE(wait_for_parked(api(), 2));
  auto ids = enqueue_many(api(), 2, "t", "pair");

  auto got_first = ids_of(expect_json(first.reply(), 200).at("jobs").as_array());
  auto got_second = ids_of(expect_json(second.reply(), 200).at("jobs").as_array());
  ASSERT_EQ(got_first.size(), 1u);
  ASSERT_EQ(got_second.size(), 1u);
  EXPECT_NE(got_first[0], got_second[0]) << "a job is leased to one worker only";
}

TEST_F(Fetch, AWorkerThatHungUpDuringALongPollIsNotHandedTheJob) {
  {
    // A fetch that waits, and then its worker hangs up without reading the reply.
    RawConnection gone(server_.port());
    ASSERT_TRUE(gone.send(raw_post_request("/api/v1/fetch", R"({"queues":["default"],"worker_id":"gone","wait_s":30})")));
    ASSERT_TRUE(wait_for_parked(api(), 1));
  }
  auto id = enqueue_id(api());
  // The job must stay available to a live worker instead of being leased to the one that left.
  std::optional<Lease> lease;
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    auto jobs = fetch(api());
    if (!jobs.empty()) lease = Lease{str(jobs[0].as_object(), "id"), str(jobs[0].as_object(), "lease_token")};
    return lease.has_value() || status_of(api(), id) != "queued";
  }));
  ASSERT_TRUE(lease) << "the job went to the worker that hung up: " << status_of(api(), id);
  EXPECT_EQ(lease->id, id);
}

}  // namespace
}  // namespace corral::test
