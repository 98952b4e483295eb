// The actions a person or a program takes on a job: cancel (and how it meets the worker's report),
// retry of a failed or cancelled job, and DELETE of a finished one.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Cancel : public ApiTest {};
class Retry : public ApiTest {};
class Delete : public ApiTest {};

// A job in each terminal state.
struct Finished {
  std::string completed, failed, cancelled;
};

Finished finish_three(Client& api) {
  Finished f;
  auto done = start_job(api);
  expect_json(complete(api, done), 200);
  f.completed = done.id;
  auto broken = start_job(api);
  expect_json(fail(api, broken, /*retryable=*/false), 200);
  f.failed = broken.id;
  f.cancelled = enqueue_id(api);
  expect_json(cancel(api, f.cancelled), 200);
  return f;
}

TEST_F(Cancel, AQueuedJobIsCancelledAtOnce) {
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "c"}});
  auto job = expect_json(cancel(api(), id), 200);
  EXPECT_EQ(str(job, "status"), "cancelled");
  EXPECT_NE(field(job, "completed_at"), json::value(nullptr));
  EXPECT_EQ(get_job(api(), id), job);
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"c"}}}).empty());
}

TEST_F(Cancel, ScheduledAndRetryingJobsAreCancelledAtOnce) {
  auto scheduled = enqueue_id(api(), {{"type", "t"}, {"delay_s", 3600}});
  EXPECT_EQ(str(expect_json(cancel(api(), scheduled), 200), "status"), "cancelled");

  auto lease = start_job(api(), {{"type", "t"}, {"backoff", {{"initial_s", 3600}}}});
  ASSERT_EQ(str(expect_json(fail(api(), lease), 200), "status"), "retrying");
  EXPECT_EQ(str(expect_json(cancel(api(), lease.id), 200), "status"), "cancelled");
}

TEST_F(Cancel, ARunningJobOnlyGetsCancelRequested) {
  auto lease = start_job(api());
  auto job = expect_json(cancel(api(), lease.id), 200);
  EXPECT_EQ(str(job, "status"), "running");
  EXPECT_EQ(field(job, "cancel_requested"), json::value(true));
  EXPECT_EQ(field(get_job(api(), lease.id), "cancel_requested"), json::value(true));

  // Asking again is harmless.
  job = expect_json(cancel(api(), lease.id), 200);
  EXPECT_EQ(str(job, "status"), "running");
  EXPECT_EQ(field(job, "cancel_requested"), json::value(true));
}

TEST_F(Cancel, AFailFromAJobWithCancelRequestedCancelsIt) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 5}});
  ASSERT_EQ(cancel(api(), lease.id).status, 200);
  auto job = expect_json(fail(api(), lease, /*retryable=*/true, "stopped"), 200);
  EXPECT_EQ(str(job, "status"), "cancelled") << "a requested cancel wins over a retry";
  EXPECT_EQ(field(job, "cancel_requested"), json::value(false)) << "the request is answered: none is pending";
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{str(job, "queue")}}}).empty());
}

TEST_F(Cancel, ACompleteFromAJobWithCancelRequestedCompletesItAndKeepsTheResult) {
  auto lease = start_job(api());
  ASSERT_EQ(cancel(api(), lease.id).status, 200);
  auto job = expect_json(complete(api(), lease, json::object{{"kept", true}}), 200);
  EXPECT_EQ(str(job, "status"), "completed");
  EXPECT_EQ(field(job, "result"), json::value(json::object{{"kept", true}}));
  EXPECT_EQ(field(get_job(api(), lease.id), "cancel_requested"), json::value(false));
}

TEST_F(Cancel, ALeaseExpiringAfterCancelRequestedCancelsTheJob) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 5}, {"backoff", {{"initial_s", 0}}}}, {{"lease_s", 1}});
  ASSERT_EQ(cancel(api(), lease.id).status, 200);
  ASSERT_TRUE(wait_until(kDeadline, [&] { return status_of(api(), lease.id) != "running"; }));
  auto job = get_job(api(), lease.id);
  EXPECT_EQ(str(job, "status"), "cancelled");
  EXPECT_EQ(field(job, "cancel_requested"), json::value(false));
}

TEST_F(Cancel, AFinishedJobCannotBeCancelled) {
  auto f = finish_three(api());
  for (auto const& id : {f.completed, f.failed, f.cancelled}) {
    auto before = get_job(api(), id);
    EXPECT_TRUE(is_error(cancel(api(), id), 409, "wrong_state")) << str(before, "status");
    EXPECT_EQ(get_job(api(), id), before);
  }
}

TEST_F(Cancel, TakesNoBody) {
  auto a = enqueue_id(api());
  EXPECT_EQ(api().request("POST", job_path(a) + "/cancel", "", "").status, 200) << "no body, no Content-Type";
  auto b = enqueue_id(api());
  EXPECT_EQ(api().request("POST", job_path(b) + "/cancel", "", "application/json").status, 200);
}

TEST_F(Retry, AFailedJobIsQueuedWithAFreshAttemptBudgetAndItsHistoryKept) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 1}});
  ASSERT_EQ(str(expect_json(fail(api(), lease), 200), "status"), "failed");

  auto job = expect_json(retry(api(), lease.id), 200);
  EXPECT_EQ(str(job, "status"), "queued");
  EXPECT_EQ(field(job, "attempt"), json::value(0));
  ASSERT_EQ(job.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(str(job.at("attempts").as_array()[0].as_object(), "outcome"), "failed");

  auto second = fetch_one(api(), {{"queues", json::array{str(job, "queue")}}});
  EXPECT_EQ(second.id, lease.id);
  EXPECT_EQ(field(second.job, "attempt"), json::value(1));
  job = expect_json(fail(api(), second), 200);
  EXPECT_EQ(str(job, "status"), "failed") << "the fresh budget is max_attempts again: 1";
  EXPECT_EQ(job.at("attempts").as_array().size(), 2u);
}

TEST_F(Retry, ACancelledJobIsQueuedAgain) {
  auto lease = start_job(api());
  ASSERT_EQ(cancel(api(), lease.id).status, 200);
  ASSERT_EQ(str(expect_json(fail(api(), lease), 200), "status"), "cancelled");

  auto job = expect_json(retry(api(), lease.id), 200);
  EXPECT_EQ(str(job, "status"), "queued");
  EXPECT_EQ(field(job, "attempt"), json::value(0));
  EXPECT_EQ(field(job, "cancel_requested"), json::value(false));
  EXPECT_EQ(job.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{str(job, "queue")}}}).id, lease.id);
}

TEST_F(Retry, OnlyAFailedOrCancelledJobCanBeRetried) {
  auto queued = enqueue_id(api());
  auto scheduled = enqueue_id(api(), {{"type", "t"}, {"delay_s", 3600}});
  auto running = start_job(api()).id;
  auto completed = finish_three(api()).completed;
  for (auto const& id : {queued, scheduled, running, completed}) {
    auto before = get_job(api(), id);
    EXPECT_TRUE(is_error(retry(api(), id), 409, "wrong_state")) << str(before, "status");
    EXPECT_EQ(get_job(api(), id), before);
  }
}

TEST_F(Delete, AFinishedJobIsDeletedWith204AndIsThenUnknown) {
  auto f = finish_three(api());
  for (auto const& id : {f.completed, f.failed, f.cancelled}) {
    auto reply = api().del(job_path(id));
    EXPECT_EQ(reply.status, 204) << describe(reply);
    EXPECT_TRUE(reply.body.empty()) << reply.body;
    EXPECT_TRUE(is_error(api().get(job_path(id)), 404, "not_found"));
    EXPECT_TRUE(is_error(api().del(job_path(id)), 404, "not_found"));
  }
  EXPECT_TRUE(list_jobs(api()).at("jobs").as_array().empty());
}

TEST_F(Delete, AnUnfinishedJobCannotBeDeleted) {
  auto queued = enqueue_id(api());
  auto scheduled = enqueue_id(api(), {{"type", "t"}, {"delay_s", 3600}});
  auto running = start_job(api()).id;
  for (auto const& id : {queued, scheduled, running}) {
    auto before = get_job(api(), id);
    EXPECT_TRUE(is_error(api().del(job_path(id)), 409, "wrong_state")) << str(before, "status");
    EXPECT_EQ(get_job(api(), id), before);
  }
}

TEST_F(Delete, DeletingAJobFreesItsIdempotencyKey) {
  auto old_id = enqueue_id(api(), {{"type", "t"}, {"idempotency_key", "once"}});
  ASSERT_EQ(cancel(api(), old_id).status, 200);
  ASSERT_EQ(api().del(job_path(old_id)).status, 204);

  auto reply = api().post("/api/v1/jobs", json::object{{"type", "t2"}, {"idempotency_key", "once"}});
  auto job = expect_json(reply, 201);
  EXPECT_NE(str(job, "id"), old_id);
  EXPECT_EQ(str(job, "type"), "t2");
}

}  // namespace
}  // namespace corral::test
