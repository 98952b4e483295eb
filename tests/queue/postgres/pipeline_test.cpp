// Connection::pipeline sends a transaction's last writes and its COMMIT in one round trip. What a
// batch relies on: the statements run in order; a failure is reported with its SQLSTATE's
// meaning, the statements after it do not run, and the transaction can be rolled back on the
// same connection; a named statement is prepared on first use and reused after.
#include "queue/postgres/connection.hpp"
#include "support/postgres_db.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

class Pipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Connection::open(test::pg_fresh_database("corral_pipeline"), 10'000);
    ASSERT_TRUE(c) << c.error().error.message;
    conn_ = std::move(*c);
    ASSERT_TRUE(conn_->exec("CREATE TABLE t (n integer PRIMARY KEY)"));
  }

  std::int64_t count() {
    auto rows = conn_->query("SELECT count(*) FROM t", {});
    EXPECT_TRUE(rows) << rows.error().error.message;
    return rows ? rows->int64(0, 0) : -1;
  }

  static Connection::Statement insert(int n) { return {"insert_n", "INSERT INTO t VALUES ($1::integer)", {std::to_string(n)}}; }

  std::unique_ptr<Connection> conn_;
};

TEST_F(Pipeline, RunsItsStatementsInOrderAndCommits) {
  ASSERT_TRUE(conn_->exec("BEGIN"));
  ASSERT_TRUE(conn_->pipeline({insert(1), insert(2), {"", "UPDATE t SET n = n * 10", {}}, {"", "COMMIT", {}}}));
  auto rows = conn_->query("SELECT string_agg(n::text, ',' ORDER BY n) FROM t", {});
  ASSERT_TRUE(rows) << rows.error().error.message;
  EXPECT_EQ(rows->text(0, 0), "10,20") << "the update ran after both inserts";

  // The name prepared by the first pipeline is reused by the next, and by query().
  ASSERT_TRUE(conn_->exec("BEGIN"));
  ASSERT_TRUE(conn_->pipeline({insert(3), {"", "COMMIT", {}}}));
  ASSERT_TRUE(conn_->query("insert_n", "INSERT INTO t VALUES ($1::integer)", {std::string("4")}));
  EXPECT_EQ(count(), 4);
}

TEST_F(Pipeline, AFailureStopsTheRestAndTheTransactionRollsBackOnTheSameConnection) {
  ASSERT_TRUE(conn_->exec("INSERT INTO t VALUES (7)"));
  ASSERT_TRUE(conn_->exec("BEGIN"));
  auto r = conn_->pipeline({insert(1), insert(7), insert(2), {"", "COMMIT", {}}});
  ASSERT_FALSE(r) << "a duplicate key fails the pipeline";
  EXPECT_EQ(r.error().error.code, core::Errc::internal);
  EXPECT_FALSE(r.error().retryable);
  EXPECT_FALSE(r.error().connection_lost);
  EXPECT_NE(r.error().error.message.find("duplicate key"), std::string::npos) << r.error().error.message;
  EXPECT_EQ(PQtransactionStatus(conn_->handle()), PQTRANS_INERROR) << "the COMMIT after the failure did not run";
  ASSERT_TRUE(conn_->exec("ROLLBACK"));
  EXPECT_EQ(count(), 1) << "nothing of the failed transaction was kept";
  EXPECT_TRUE(conn_->healthy());
}

TEST_F(Pipeline, AStatementThatDoesNotPrepareFailsThePipelineAndIsPreparedWhenItIsRight) {
  ASSERT_TRUE(conn_->exec("BEGIN"));
  auto r = conn_->pipeline({{"bad", "INSERT INTO no_such_table VALUES (1)", {}}, insert(1), {"", "COMMIT", {}}});
  ASSERT_FALSE(r);
  ASSERT_TRUE(conn_->exec("ROLLBACK"));
  EXPECT_EQ(count(), 0);
  // "bad" was not recorded as prepared: once the table exists, the name is prepared afresh.
  ASSERT_TRUE(conn_->exec("CREATE TABLE no_such_table (n integer)"));
  ASSERT_TRUE(conn_->exec("BEGIN"));
  ASSERT_TRUE(conn_->pipeline({{"bad", "INSERT INTO no_such_table VALUES (1)", {}}, {"", "COMMIT", {}}}));
}

TEST_F(Pipeline, AConnectionTheServerEndedIsStorageUnavailable) {
  auto pid = conn_->query("SELECT pg_backend_pid()", {});
  ASSERT_TRUE(pid) << pid.error().error.message;
  test::pg_scalar(test::pg_admin_url(), "SELECT pg_terminate_backend(" + std::string(pid->text(0, 0)) + ", 10000)");
  auto r = conn_->pipeline({insert(1), {"", "COMMIT", {}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code, core::Errc::storage_unavailable) << r.error().error.message;
  EXPECT_FALSE(conn_->healthy());
}

}  // namespace
}  // namespace corral::postgres
