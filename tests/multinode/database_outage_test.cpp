// A slow or broken PostgreSQL gives clear 503s, never a hung server, and the server recovers by
// itself once the database answers again. The database is made slow by a lock this test holds
// on the jobs table, and broken by terminating the server's connections.
#include "http/api_helpers.hpp"
#include "support/postgres_db.hpp"

namespace corral::test {
namespace {

class DatabaseOutage : public ApiTest {
 protected:
  void SetUp() override {
    db_ = pg_fresh_database("corral_outage");
    server_.use_db(db_);
    ApiTest::SetUp();
  }
  std::vector<std::string> server_args() const override {
    return {"--db-pool-size", "3", "--db-acquire-timeout-s", "1", "--db-statement-timeout-s", "1"};
  }
  std::string db_;
};

TEST_F(DatabaseOutage, ALockedTableGives503sAndServiceResumesWhenItIsReleased) {
  auto const before = enqueue_id(api());
  PgSession blocker(db_);
  blocker.exec("BEGIN");
  blocker.exec("LOCK TABLE corral_jobs IN ACCESS EXCLUSIVE MODE");

  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}}), 503, "storage_unavailable"));
  EXPECT_TRUE(is_error(api().get(job_path(before)), 503, "storage_unavailable"));
  EXPECT_EQ(api().get("/livez").status, 200) << "the server itself keeps answering";
  EXPECT_TRUE(wait_until(kDeadline, [&] { return api().get("/readyz").status == 503; }))
      << "readiness turns red while the database does not answer";

  blocker.exec("COMMIT");
  EXPECT_TRUE(wait_until(kDeadline, [&] { return api().get("/readyz").status == 200; }));
  auto const after = enqueue_id(api());
  EXPECT_EQ(status_of(api(), before), "queued");
  EXPECT_EQ(status_of(api(), after), "queued");
  EXPECT_EQ(list_jobs(api()).at("jobs").as_array().size(), 2u) << "the refused enqueue wrote nothing";
}

TEST_F(DatabaseOutage, ConnectionsKilledByTheDatabaseAreReplacedAndNothingIsLost) {
  auto const id = enqueue_id(api());
  auto const name = db_.substr(db_.rfind('/') + 1);
  pg_scalar(pg_admin_url(), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                                name + "' AND application_name = 'corral'");
  // A request on a connection that died may get one 503; the pool then opens fresh ones.
  EXPECT_TRUE(wait_until(kDeadline, [&] { return api().post("/api/v1/jobs", json::object{{"type", "t"}}).status == 201; }));
  EXPECT_EQ(status_of(api(), id), "queued");
  EXPECT_TRUE(wait_until(kDeadline, [&] { return api().get("/readyz").status == 200; }));
}

// A server without keys learns that none exist from the database, every few seconds. When the
// database cannot say, a request without a key is told to come back (503), not that it needs a
// key it was never given (401).
TEST_F(DatabaseOutage, AServerWithoutKeysAnswers503NotA401WhileItCannotReadTheKeys) {
  ASSERT_EQ(api().get("/api/v1/queues").status, 200);
  PgSession blocker(db_);
  blocker.exec("BEGIN");
  blocker.exec("LOCK TABLE corral_api_keys IN ACCESS EXCLUSIVE MODE");

  // Until the node's last count of keys expires, it serves from memory.
  Response refused;
  EXPECT_TRUE(wait_until(kDeadline, [&] {
    refused = api().get("/api/v1/queues");
    return refused.status != 200;
  }));
  EXPECT_TRUE(is_error(refused, 503, "storage_unavailable"));
  EXPECT_EQ(refused.headers["retry-after"], "1");
  EXPECT_TRUE(is_error(api().get("/api/v1/session"), 503, "storage_unavailable"));

  blocker.exec("COMMIT");
  EXPECT_TRUE(wait_until(kDeadline, [&] { return api().get("/api/v1/queues").status == 200; }));
  EXPECT_EQ(api().get("/api/v1/session").body, R"({"keys_required":false})");
}

}  // namespace
}  // namespace corral::test
