// The server as a process: jobs, leases, keys and pauses survive a restart on the same data
// directory; SIGTERM exits 0; a second server on the same file refuses; a killed server's port
// and lock are free again at once.
#include "http/api_helpers.hpp"

#include "support/cli_runner.hpp"

namespace corral::test {
namespace {

class Restart : public ApiTest {};
class ServerProcess : public ApiTest {};

TEST_F(Restart, EveryJobAndItsStateSurvive) {
  std::vector<std::string> ids;
  ids.push_back(enqueue_id(api(), {{"type", "queued"}, {"payload", {{"n", 1}}}, {"owner", "o"}, {"metadata", {{"m", 1}}}}));
  ids.push_back(enqueue_id(api(), {{"type", "scheduled"}, {"delay_s", 3600}, {"idempotency_key", "k"}}));

  auto running = start_job(api(), {{"type", "running"}}, {{"lease_s", 3600}});
  ASSERT_EQ(heartbeat(api(), running, {{"progress", {{"percent", 30}}}, {"checkpoint", {{"at", 3}}}}).status, 200);
  ids.push_back(running.id);

  auto to_cancel = start_job(api(), {{"type", "cancel_requested"}}, {{"lease_s", 3600}});
  ASSERT_EQ(cancel(api(), to_cancel.id).status, 200);
  ids.push_back(to_cancel.id);

  auto retrying = start_job(api(), {{"type", "retrying"}, {"backoff", {{"initial_s", 3600}}}});
  ASSERT_EQ(fail(api(), retrying).status, 200);
  ids.push_back(retrying.id);

  auto completed = start_job(api(), {{"type", "completed"}});
  ASSERT_EQ(complete(api(), completed, json::object{{"r", 1}}).status, 200);
  ids.push_back(completed.id);

  auto failed = start_job(api(), {{"type", "failed"}});
  ASSERT_EQ(fail(api(), failed, /*retryable=*/false).status, 200);
  ids.push_back(failed.id);

  ids.push_back(enqueue_id(api(), {{"type", "cancelled"}}));
  ASSERT_EQ(cancel(api(), ids.back()).status, 200);

  std::vector<json::object> before;
  for (auto const& id : ids) before.push_back(get_job(api(), id));
  auto list_before = list_jobs(api());
  auto queues_before = expect_json(api().get("/api/v1/queues"), 200);

  restart_server();

  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(get_job(api(), ids[i]), before[i]) << str(before[i], "type");
  }
  EXPECT_EQ(list_jobs(api()), list_before);
  EXPECT_EQ(expect_json(api().get("/api/v1/queues"), 200), queues_before);
}

TEST_F(Restart, ARunningJobKeepsItsLeaseAndCanStillBeCompletedWithItsToken) {
  auto lease = start_job(api(), {{"type", "t"}}, {{"lease_s", 3600}});
  auto before = get_job(api(), lease.id);
  restart_server();

  auto after = get_job(api(), lease.id);
  EXPECT_EQ(str(after, "status"), "running");
  EXPECT_EQ(str(after, "lease_expires_at"), str(before, "lease_expires_at"));
  EXPECT_EQ(heartbeat(api(), lease).status, 200);
  auto job = expect_json(complete(api(), lease, "after restart"), 200);
  EXPECT_EQ(str(job, "status"), "completed");
}

TEST_F(Restart, ALeaseKeepsItsExpiryAndExpiresAfterARestart) {
  auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 1}}, {{"lease_s", 1}});
  restart_server();
  // Had the restart granted a fresh lease of timeout_s (300 s), this would not happen in time.
  ASSERT_TRUE(wait_for_status(api(), lease.id, "failed"));
  EXPECT_EQ(str(get_job(api(), lease.id).at("error").as_object(), "code"), "lease_expired");
  EXPECT_TRUE(is_error(complete(api(), lease), 409, "stale_lease"));
}

TEST_F(Restart, AScheduledJobStillBecomesDueAfterARestart) {
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "later"}, {"delay_s", 1}});
  restart_server();
  ASSERT_TRUE(wait_for_status(api(), id, "queued"));
  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{"later"}}}).id, id);
}

TEST_F(Restart, QueuedJobsAreHandedOutInTheSameOrderAfterARestart) {
  auto low = enqueue_id(api(), {{"type", "t"}, {"priority", "low"}});
  auto first = enqueue_id(api());
  auto second = enqueue_id(api());
  auto high = enqueue_id(api(), {{"type", "t"}, {"priority", "high"}});
  restart_server();
  EXPECT_EQ(ids_of(fetch(api(), {{"count", 10}})), (std::vector{high, first, second, low}));
}

TEST_F(Restart, AnIdempotencyKeyIsStillKnownAfterARestart) {
  auto id = enqueue_id(api(), {{"type", "t"}, {"idempotency_key", "durable"}});
  restart_server();
  auto job = expect_json(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", "durable"}}), 200);
  EXPECT_EQ(str(job, "id"), id);
}

TEST_F(ServerProcess, SigtermExitsWithCodeZero) {
  enqueue(api());
  api_.reset();
  ASSERT_TRUE(server_.stop());
  EXPECT_EQ(server_.exit_code(), 0) << server_.log();
}

TEST_F(ServerProcess, SigtermWhileAFetchWaitsExitsWithCodeZero) {
  {
    Background waiting(server_.url(), [](Client& c) {
      return c.post("/api/v1/fetch", json::object{{"queues", json::array{"idle"}}, {"wait_s", 60}, {"worker_id", "w"}});
    });
    ASSERT_TRUE(wait_for_parked(api(), 1));
    // The long-poll must not hold the shutdown up; how the fetch ends (an empty list, 503, a
    // closed connection) is not what this test checks.
    ASSERT_TRUE(server_.stop());
  }
  EXPECT_EQ(server_.exit_code(), 0) << server_.log();
}

TEST_F(ServerProcess, ASecondServerOnTheSameDatabaseRefusesToStart) {
  // The embedded database has one owner; a shared one serves any number of nodes (multinode_tests).
  if (serves_from_postgres()) GTEST_SKIP() << "PostgreSQL is shared by design";
  auto second = run_cli({"server", "--listen", "127.0.0.1:0", "--db", "sqlite:" + server_.db_path().string()});
  EXPECT_NE(second.exit_code, 0);
  EXPECT_TRUE(has_substr(second.out + second.err, server_.db_path().string()));
  EXPECT_EQ(api().get("/livez").status, 200) << "the first server is unaffected";
}

TEST_F(ServerProcess, AKilledServerRestartsOnTheSamePortAtOnce) {
  auto id = enqueue_id(api());
  int const port = server_.port();
  server_.kill();
  start_server(port);
  EXPECT_EQ(server_.port(), port);
  EXPECT_EQ(status_of(api(), id), "queued");
}

}  // namespace
}  // namespace corral::test
