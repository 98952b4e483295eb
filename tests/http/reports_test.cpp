// complete and fail on a lease: tokens (stale, resent), the retry policy after a failure
// (backoff, retry_in_s, retryable, attempt budget), and the error kept apart from the status.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Reports : public ApiTest {};

// Backoff that brings a failed job back at once, or after exactly `initial_s`.
json::object quick_backoff(double initial_s = 0) { return {{"initial_s", initial_s}, {"jitter", 0}}; }

TEST_F(Reports, CompleteStoresTheResultAndEndsTheJob) {
  auto lease = start_job(api());
  json::value result = json::object{{"sent", 3}, {"ids", json::array{"a", "b"}}};
  auto job = expect_json(complete(api(), lease, result), 200);
  EXPECT_EQ(str(job, "status"), "completed");
  EXPECT_EQ(field(job, "result"), result);
  EXPECT_NE(field(job, "completed_at"), json::value(nullptr));
  EXPECT_EQ(field(job, "lease_expires_at"), json::value(nullptr));
  EXPECT_EQ(str(job.at("attempts").as_array().back().as_object(), "outcome"), "completed");
  EXPECT_EQ(get_job(api(), lease.id), job);
}

TEST_F(Reports, ResultIsOptionalAndMayBeAnyJsonValue) {
  auto without = start_job(api());
  EXPECT_EQ(field(expect_json(complete(api(), without), 200), "result"), json::value(nullptr));
  auto text = start_job(api());
  EXPECT_EQ(field(expect_json(complete(api(), text, "done"), 200), "result"), json::value("done"));
  auto list = start_job(api());
  EXPECT_EQ(field(expect_json(complete(api(), list, json::array{1, 2}), 200), "result"), json::value(json::array{1, 2}));
}

TEST_F(Reports, StaleLeaseTokenIsRejectedAndChangesNothing) {
  auto lease = start_job(api());
  auto before = get_job(api(), lease.id);
  Lease stale{lease.id, "0123456789abcdef0123456789abcdef", {}};
  EXPECT_TRUE(is_error(complete(api(), stale, "result"), 409, "stale_lease"));
  EXPECT_TRUE(is_error(fail(api(), stale), 409, "stale_lease"));
  EXPECT_TRUE(is_error(heartbeat(api(), stale), 409, "stale_lease"));
  EXPECT_EQ(get_job(api(), lease.id), before);
}

TEST_F(Reports, ATokenOfAnotherJobIsStale) {
  auto mine = start_job(api());
  auto other = start_job(api());
  EXPECT_TRUE(is_error(complete(api(), Lease{mine.id, other.token, {}}), 409, "stale_lease"));
  EXPECT_EQ(status_of(api(), mine.id), "running");
  EXPECT_EQ(status_of(api(), other.id), "running");
}

TEST_F(Reports, ResendingTheCompleteThatWonAnswers200AndChangesNothing) {
  auto lease = start_job(api());
  auto first = expect_json(complete(api(), lease, json::object{{"n", 1}}), 200);
  auto again = expect_json(complete(api(), lease, json::object{{"n", 1}}), 200);
  EXPECT_EQ(again, first);
  EXPECT_EQ(get_job(api(), lease.id), first);
}

TEST_F(Reports, ResendingTheFailThatWonAnswers200AndChangesNothing) {
  auto lease = start_job(api());
  auto first = expect_json(fail(api(), lease, /*retryable=*/false), 200);
  ASSERT_EQ(str(first, "status"), "failed");
  auto again = expect_json(fail(api(), lease, /*retryable=*/false), 200);
  EXPECT_EQ(again, first);
  EXPECT_EQ(get_job(api(), lease.id), first);
}

TEST_F(Reports, CompleteAfterFailIs409AndChangesNothing) {
  auto lease = start_job(api());
  auto failed = expect_json(fail(api(), lease, /*retryable=*/false), 200);
  EXPECT_TRUE(is_refused_report(complete(api(), lease, "too late")));
  EXPECT_EQ(get_job(api(), lease.id), failed);
}

TEST_F(Reports, FailAfterCompleteIs409AndChangesNothing) {
  auto lease = start_job(api());
  auto completed = expect_json(complete(api(), lease), 200);
  EXPECT_TRUE(is_refused_report(fail(api(), lease)));
  EXPECT_EQ(get_job(api(), lease.id), completed);
}

TEST_F(Reports, ARetryableFailureWaitsOutItsBackoffThenIsQueuedAgain) {
  auto lease = start_job(api(), {{"type", "t"}, {"backoff", quick_backoff(0.2)}});
  auto job = expect_json(fail(api(), lease), 200);
  EXPECT_EQ(str(job, "status"), "retrying");
  EXPECT_DOUBLE_EQ(seconds_between(job, "updated_at", "run_at"), 0.2);
  EXPECT_EQ(field(job, "lease_expires_at"), json::value(nullptr));

  ASSERT_TRUE(wait_for_status(api(), lease.id, "queued"));
  auto second = fetch_one(api(), {{"queues", json::array{str(job, "queue")}}});
  EXPECT_EQ(field(second.job, "attempt"), json::value(2));
  ASSERT_EQ(second.job.at("attempts").as_array().size(), 2u);
  EXPECT_EQ(str(second.job.at("attempts").as_array()[0].as_object(), "outcome"), "failed");
}

TEST_F(Reports, RetryableDefaultsToTrue) {
  auto lease = start_job(api(), {{"type", "t"}, {"backoff", quick_backoff(3600)}});
  json::object error{{"code", "flaky"}, {"message", "try again"}};
  auto job = expect_json(act(api(), lease.id, "fail", {{"lease_token", lease.token}, {"error", error}}), 200);
  EXPECT_EQ(str(job, "status"), "retrying");
}

TEST_F(Reports, ANonRetryableFailureFailsTheJobAtOnce) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 10}});
  auto job = expect_json(fail(api(), lease, /*retryable=*/false, "bad_input"), 200);
  EXPECT_EQ(str(job, "status"), "failed");
  EXPECT_NE(field(job, "completed_at"), json::value(nullptr));
  EXPECT_EQ(str(job.at("error").as_object(), "code"), "bad_input");
}

TEST_F(Reports, TheLastAllowedAttemptFailingFailsTheJob) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 2}, {"backoff", quick_backoff()}});
  ASSERT_EQ(str(expect_json(fail(api(), lease), 200), "status"), "retrying");
  ASSERT_TRUE(wait_for_status(api(), lease.id, "queued"));
  auto second = fetch_one(api(), {{"queues", json::array{str(lease.job, "queue")}}});
  EXPECT_EQ(field(second.job, "attempt"), json::value(2));

  auto job = expect_json(fail(api(), second), 200);
  EXPECT_EQ(str(job, "status"), "failed") << "max_attempts counts attempts, not retries";
  ASSERT_EQ(job.at("attempts").as_array().size(), 2u);
  for (auto const& attempt : job.at("attempts").as_array()) EXPECT_EQ(str(attempt.as_object(), "outcome"), "failed");
}

TEST_F(Reports, RetryInSReplacesTheBackoffOnce) {
  // initial 100 s ×3: without retry_in_s the first retry would wait 100 s, the second 300 s.
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 5},
                                 {"backoff", {{"initial_s", 100}, {"multiplier", 3}, {"jitter", 0}}}});
  auto job = expect_json(fail(api(), lease, true, "boom", {{"retry_in_s", 0.2}}), 200);
  EXPECT_EQ(str(job, "status"), "retrying");
  EXPECT_DOUBLE_EQ(seconds_between(job, "updated_at", "run_at"), 0.2);

  ASSERT_TRUE(wait_for_status(api(), lease.id, "queued"));
  auto second = fetch_one(api(), {{"queues", json::array{str(job, "queue")}}});
  job = expect_json(fail(api(), second), 200);
  EXPECT_EQ(str(job, "status"), "retrying");
  EXPECT_DOUBLE_EQ(seconds_between(job, "updated_at", "run_at"), 300) << "the backoff resumes after attempt 2";
}

TEST_F(Reports, TheErrorIsKeptApartFromTheStatus) {
  auto lease = start_job(api(), {{"type", "t"}, {"backoff", quick_backoff()}});
  auto job = expect_json(fail(api(), lease, true, "disk_full"), 200);
  EXPECT_EQ(str(job, "status"), "retrying");
  ASSERT_TRUE(job.at("error").is_object()) << json::serialize(job);
  EXPECT_EQ(str(job.at("error").as_object(), "code"), "disk_full");
  EXPECT_EQ(str(job.at("error").as_object(), "message"), "disk_full happened");

  // The next attempt is handed the last error, to see what went wrong before.
  ASSERT_TRUE(wait_for_status(api(), lease.id, "queued"));
  auto second = fetch_one(api(), {{"queues", json::array{str(job, "queue")}}});
  ASSERT_TRUE(second.job.at("error").is_object()) << json::serialize(second.job);
  EXPECT_EQ(str(second.job.at("error").as_object(), "code"), "disk_full");

  // It succeeds: a completed job shows no error, and the failed attempt keeps its own.
  job = expect_json(complete(api(), second), 200);
  EXPECT_EQ(str(job, "status"), "completed");
  EXPECT_EQ(field(job, "error"), json::value(nullptr)) << "a UI must never show a completed job as failed";
  auto const& first_attempt = job.at("attempts").as_array()[0].as_object();
  EXPECT_EQ(str(first_attempt.at("error").as_object(), "code"), "disk_full");
  EXPECT_EQ(get_job(api(), lease.id), job);
}

TEST_F(Reports, CompleteMergesItsProgressIntoTheJobs) {
  auto lease = start_job(api());
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"percent", 90}, {"stage", "upload"}}}}).status, 200);
  auto job = expect_json(act(api(), lease.id, "complete",
                             {{"lease_token", lease.token}, {"progress", {{"percent", 100}}}}),
                         200);
  ASSERT_TRUE(job.at("progress").is_object()) << json::serialize(job);
  EXPECT_EQ(field(job.at("progress").as_object(), "percent"), json::value(100));
  EXPECT_EQ(field(job.at("progress").as_object(), "stage"), json::value("upload"));
  EXPECT_TRUE(is_error(act(api(), start_job(api()).id, "complete", {{"lease_token", "t"}, {"progress", 5}}), 400,
                       "invalid_argument", {"progress"}));
}

TEST_F(Reports, AttemptHistoryRecordsEachAttemptsWorkerAndOutcome) {
  auto lease = start_job(api(), {{"type", "t"}, {"backoff", quick_backoff()}});
  ASSERT_EQ(fail(api(), lease).status, 200);
  ASSERT_TRUE(wait_for_status(api(), lease.id, "queued"));
  auto second = fetch_one(api(), {{"queues", json::array{str(lease.job, "queue")}}, {"worker_id", "w2"}});
  auto job = expect_json(complete(api(), second), 200);

  auto const& attempts = job.at("attempts").as_array();
  ASSERT_EQ(attempts.size(), 2u);
  auto const& first = attempts[0].as_object();
  auto const& last = attempts[1].as_object();
  EXPECT_EQ(str(first, "worker_id"), "w1");
  EXPECT_EQ(str(first, "outcome"), "failed");
  EXPECT_EQ(str(last, "worker_id"), "w2");
  EXPECT_EQ(str(last, "outcome"), "completed");
  for (auto const* a : {&first, &last}) {
    EXPECT_LE(time_at(*a, "started_at"), time_at(*a, "ended_at"));
    EXPECT_FALSE(a->contains("lease_token")) << "a past lease's token is never handed out";
  }
}

}  // namespace
}  // namespace corral::test
