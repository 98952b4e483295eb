// A lease after the fetch: heartbeats (extension, progress, checkpoint, cancel requests), expiry,
// max_run_s and release.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Heartbeat : public ApiTest {};
class LeaseExpiry : public ApiTest {};
class Release : public ApiTest {};

json::object const& last_attempt(json::object const& job) { return job.at("attempts").as_array().back().as_object(); }

TEST_F(Heartbeat, ExtendsTheLeaseToNowPlusExtendS) {
  auto lease = start_job(api(), {{"type", "t"}}, {{"lease_s", 5}});
  auto reply = expect_json(heartbeat(api(), lease, {{"extend_s", 100}}), 200);
  ASSERT_TRUE(reply.contains("lease_expires_at"));
  ASSERT_TRUE(reply.contains("cancel_requested"));
  EXPECT_GT(time_at(reply, "lease_expires_at"), time_at(lease.job, "lease_expires_at"));
  EXPECT_DOUBLE_EQ(seconds_between(reply, "updated_at", "lease_expires_at"), 100);
  EXPECT_EQ(field(reply, "cancel_requested"), json::value(false));

  auto stored = get_job(api(), lease.id);
  EXPECT_EQ(str(stored, "status"), "running");
  EXPECT_EQ(str(stored, "lease_expires_at"), str(reply, "lease_expires_at"));
}

TEST_F(Heartbeat, WithoutExtendSTheLeaseIsRenewedForTheLengthTheFetchGranted) {
  auto lease = start_job(api(), {{"type", "t"}, {"timeout_s", 5000}}, {{"lease_s", 100}});
  auto reply = expect_json(heartbeat(api(), lease), 200);
  EXPECT_DOUBLE_EQ(seconds_between(reply, "updated_at", "lease_expires_at"), 100);
}

TEST_F(Heartbeat, WithoutLeaseSOrExtendSTheLeaseIsRenewedForTheJobsTimeout) {
  auto lease = start_job(api(), {{"type", "t"}, {"timeout_s", 40}});
  auto reply = expect_json(heartbeat(api(), lease), 200);
  EXPECT_DOUBLE_EQ(seconds_between(reply, "updated_at", "lease_expires_at"), 40);
}

TEST_F(Heartbeat, StoresProgressAndCheckpoint) {
  auto lease = start_job(api());
  json::object progress{{"percent", 42.5}, {"stage", "copy"}, {"message", "half way"}, {"current", 5}, {"total", 10}};
  json::value checkpoint = json::object{{"offset", 1234}, {"files", json::array{"a", "b"}}};
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", progress}, {"checkpoint", checkpoint}}).status, 200);

  auto job = get_job(api(), lease.id);
  ASSERT_TRUE(job.at("progress").is_object()) << json::serialize(job);
  auto const& stored = job.at("progress").as_object();
  for (auto const& [key, value] : progress) EXPECT_EQ(field(stored, key), value) << key;
  EXPECT_EQ(field(job, "checkpoint"), checkpoint);

  // A later heartbeat replaces the checkpoint, and the progress fields it sends.
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"percent", 90}}}, {"checkpoint", 99}}).status, 200);
  job = get_job(api(), lease.id);
  EXPECT_EQ(field(job.at("progress").as_object(), "percent"), json::value(90));
  EXPECT_EQ(field(job, "checkpoint"), json::value(99));
}

TEST_F(Heartbeat, ProgressMergesFieldByFieldAndANullFieldClearsIt) {
  auto lease = start_job(api());
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"percent", 10}, {"stage", "copy"}, {"message", "started"}}}}).status,
            200);

  auto reply = expect_json(heartbeat(api(), lease, {{"progress", {{"percent", 30}}}}), 200);
  EXPECT_EQ(field(reply, "progress"), json::value({{"percent", 30}, {"stage", "copy"}, {"message", "started"},
                                                   {"current", nullptr}, {"total", nullptr}}))
      << "the stage and message sent before are kept";

  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"message", nullptr}}}}).status, 200);
  auto const job = get_job(api(), lease.id);
  auto const& progress = job.at("progress").as_object();
  EXPECT_EQ(field(progress, "message"), json::value(nullptr));
  EXPECT_EQ(field(progress, "stage"), json::value("copy"));
  EXPECT_EQ(field(progress, "percent"), json::value(30));
}

TEST_F(Heartbeat, ClearingEveryProgressFieldLeavesNoProgress) {
  auto lease = start_job(api());
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"percent", 10}, {"stage", "copy"}}}}).status, 200);
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"percent", nullptr}, {"stage", nullptr}}}}).status, 200);
  EXPECT_EQ(field(get_job(api(), lease.id), "progress"), json::value(nullptr));
}

TEST_F(Heartbeat, TellsTheWorkerThatCancelWasRequested) {
  auto lease = start_job(api());
  ASSERT_EQ(cancel(api(), lease.id).status, 200);
  auto reply = expect_json(heartbeat(api(), lease), 200);
  EXPECT_EQ(field(reply, "cancel_requested"), json::value(true));
  EXPECT_EQ(str(reply, "status"), "running") << "the worker decides when to stop";
}

TEST_F(Heartbeat, AStaleTokenIs409AndChangesNothing) {
  auto lease = start_job(api());
  auto before = get_job(api(), lease.id);
  EXPECT_TRUE(is_error(heartbeat(api(), Lease{lease.id, "not-the-token", {}}, {{"extend_s", 9999}}), 409, "stale_lease"));
  EXPECT_EQ(get_job(api(), lease.id), before);
}

TEST_F(LeaseExpiry, AnExpiredLeaseIsAFailedAttemptWithCodeLeaseExpired) {
  auto lease = start_job(api(), {{"type", "t"}, {"backoff", {{"initial_s", 0.2}, {"jitter", 0}}}}, {{"lease_s", 1}});
  ASSERT_TRUE(wait_until(kDeadline, [&] { return status_of(api(), lease.id) != "running"; }));

  auto job = get_job(api(), lease.id);
  EXPECT_TRUE(str(job, "status") == "retrying" || str(job, "status") == "queued") << str(job, "status");
  EXPECT_EQ(str(job.at("error").as_object(), "code"), "lease_expired");
  EXPECT_EQ(field(job, "attempt"), json::value(1));
  EXPECT_EQ(field(job, "lease_expires_at"), json::value(nullptr));
  ASSERT_EQ(job.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(str(last_attempt(job), "outcome"), "lease_expired");
  EXPECT_EQ(str(last_attempt(job).at("error").as_object(), "code"), "lease_expired");
  EXPECT_NE(field(last_attempt(job), "ended_at"), json::value(nullptr));

  // The old lease is dead: its token is refused and changes nothing.
  EXPECT_TRUE(is_error(complete(api(), lease), 409, "stale_lease"));
  EXPECT_EQ(get_job(api(), lease.id).at("attempts"), job.at("attempts"));

  // The retry policy brings it back; the next worker gets a new token.
  ASSERT_TRUE(wait_for_status(api(), lease.id, "queued"));
  auto second = fetch_one(api(), {{"queues", json::array{str(job, "queue")}}});
  EXPECT_EQ(second.id, lease.id);
  EXPECT_EQ(field(second.job, "attempt"), json::value(2));
  EXPECT_NE(second.token, lease.token);
  EXPECT_TRUE(is_error(heartbeat(api(), lease), 409, "stale_lease"));
  EXPECT_EQ(str(expect_json(complete(api(), second), 200), "status"), "completed");
}

TEST_F(LeaseExpiry, AnExpiredLeaseOnTheLastAttemptFailsTheJob) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 1}}, {{"lease_s", 1}});
  ASSERT_TRUE(wait_for_status(api(), lease.id, "failed"));
  auto job = get_job(api(), lease.id);
  EXPECT_EQ(str(job.at("error").as_object(), "code"), "lease_expired");
  EXPECT_NE(field(job, "completed_at"), json::value(nullptr));
  EXPECT_TRUE(is_error(complete(api(), lease), 409, "stale_lease"));
}

TEST_F(LeaseExpiry, HeartbeatsKeepALeaseAlivePastItsFirstExpiry) {
  auto lease = start_job(api(), {{"type", "t"}}, {{"lease_s", 2}});
  auto const first_expiry = time_at(lease.job, "lease_expires_at");
  // Heartbeat until the clock (as the server reports it) is past the first expiry.
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    auto reply = expect_json(heartbeat(api(), lease, {{"extend_s", 30}}), 200);
    return time_at(reply, "updated_at") > first_expiry;
  }));
  EXPECT_EQ(status_of(api(), lease.id), "running");
  EXPECT_EQ(str(expect_json(complete(api(), lease), 200), "status"), "completed");
}

TEST_F(LeaseExpiry, AHeartbeatPastMaxRunSIs409RunTimeExceededAndTheAttemptTimesOut) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_run_s", 1}, {"max_attempts", 1}}, {{"lease_s", 60}});
  Response reply;
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    reply = heartbeat(api(), lease, {{"extend_s", 60}});
    return reply.status != 200;
  }));
  EXPECT_TRUE(is_error(reply, 409, "run_time_exceeded"));

  auto job = get_job(api(), lease.id);
  EXPECT_EQ(str(job, "status"), "failed");
  EXPECT_EQ(str(job.at("error").as_object(), "code"), "timed_out");
  EXPECT_EQ(str(last_attempt(job), "outcome"), "timed_out");
}

TEST_F(LeaseExpiry, AnAttemptPastMaxRunSFailsWithTimedOutEvenWithoutHeartbeats) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_run_s", 1}, {"max_attempts", 1}}, {{"lease_s", 60}});
  ASSERT_TRUE(wait_for_status(api(), lease.id, "failed"));
  EXPECT_EQ(str(get_job(api(), lease.id).at("error").as_object(), "code"), "timed_out");
}

TEST_F(Release, QueuesTheJobAgainWithoutCountingAnAttempt) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 1}});
  auto job = expect_json(act(api(), lease.id, "release", {{"lease_token", lease.token}}), 200);
  EXPECT_EQ(str(job, "status"), "queued");
  EXPECT_EQ(field(job, "attempt"), json::value(0));
  EXPECT_EQ(field(job, "lease_expires_at"), json::value(nullptr));
  ASSERT_EQ(job.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(str(last_attempt(job), "outcome"), "released");

  // max_attempts 1, yet it can still run: the release did not use the attempt up.
  auto again = fetch_one(api(), {{"queues", json::array{str(job, "queue")}}});
  EXPECT_EQ(again.id, lease.id);
  EXPECT_EQ(field(again.job, "attempt"), json::value(1));
  EXPECT_TRUE(is_error(complete(api(), lease), 409, "stale_lease"));
  EXPECT_EQ(str(expect_json(complete(api(), again), 200), "status"), "completed");
}

TEST_F(Release, WithDelaySSchedulesTheJob) {
  auto lease = start_job(api());
  auto job = expect_json(act(api(), lease.id, "release", {{"lease_token", lease.token}, {"delay_s", 3600}}), 200);
  EXPECT_EQ(str(job, "status"), "scheduled");
  EXPECT_DOUBLE_EQ(seconds_between(job, "updated_at", "run_at"), 3600);
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{str(job, "queue")}}}).empty());
}

TEST_F(Release, AStaleTokenIs409AndChangesNothing) {
  auto lease = start_job(api());
  auto before = get_job(api(), lease.id);
  EXPECT_TRUE(is_error(act(api(), lease.id, "release", {{"lease_token", "bogus"}}), 409, "stale_lease"));
  EXPECT_EQ(get_job(api(), lease.id), before);
}

}  // namespace
}  // namespace corral::test
