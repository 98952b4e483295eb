// The shared backend's row mapping: the row mapping tests of every backend (row_mapping.hpp) on a
// fresh PostgreSQL database, through the statements the batches run.
#include "queue/postgres/job_rows.hpp"

#include "queue/postgres/migrate.hpp"
#include "queue/row_mapping.hpp"
#include "support/postgres_db.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

using test::RowMapping;

class PostgresJobRows : public test::JobRows {
 public:
  explicit PostgresJobRows(std::optional<int> version)
      : conn_(must(Connection::open(test::pg_fresh_database("corral_rows"), 10'000))) {
    migrate_with(test::migrations_up_to(kMigrations, version));
    if (version && *version < 3) must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN trace_id text"));
    if (version && *version < 4) {
      must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN stages text, ADD COLUMN estimate_first_at bigint, "
                       "ADD COLUMN estimate_first_fraction double precision, ADD COLUMN estimate_done_at bigint"));
    }
    if (version && *version < 7) {
      must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN callback_url text, ADD COLUMN webhook_delivery_id text, "
                       "ADD COLUMN webhook_state text, ADD COLUMN webhook_attempts integer, "
                       "ADD COLUMN webhook_last_error text, ADD COLUMN webhook_last_attempt_at bigint, "
                       "ADD COLUMN webhook_delivered_at bigint"));
    }
    if (version && *version < 9) {
      must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN schedule text, ADD COLUMN scheduled_for bigint"));
    }
    if (version && *version < 10) {
      must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN concurrency_key text, ADD COLUMN start_by bigint"));
    }
    if (version && *version < 12) {
      must(conn_->exec("ALTER TABLE corral_jobs DROP CONSTRAINT corral_jobs_idempotency_key_key"));
      must(conn_->exec("ALTER TABLE corral_jobs RENAME COLUMN idempotency_key TO idempotency_key_v12"));
      must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN idempotency_key text"));
      must(conn_->exec("CREATE UNIQUE INDEX corral_jobs_by_idempotency_key ON corral_jobs "
                       "(idempotency_key, (coalesce(owner, '')))"));
    }
    if (version && *version < 14) {
      must(conn_->exec("ALTER TABLE corral_jobs ADD COLUMN depends_on text, ADD COLUMN on_parent_failure text, "
                       "ADD COLUMN parents_left integer NOT NULL DEFAULT 0, ADD COLUMN parents text, "
                       "ADD COLUMN batch_id text"));
    }
  }

  core::Job stored(core::Job job) override {
    auto rows = must(conn_->query(insert_jobs_sql(), {insert_records({&job})}));
    if (rows.size() != 1) throw std::runtime_error("the job was not inserted");
    job.seq = rows.int64(0, 1);
    return job;
  }
  core::Job read(std::int64_t seq) override {
    auto rows = must(conn_->query("SELECT " + job_select_list() + " FROM corral_jobs j WHERE j.seq = $1",
                                  {std::to_string(seq)}));
    if (rows.size() != 1) throw std::runtime_error("no job " + std::to_string(seq));
    return read_job(rows, 0).value();
  }
  void update(core::Job const& job) override { must(conn_->query(update_jobs_sql(), {update_records({&job})})); }
  std::vector<std::string> schema_columns() override {
    auto rows = must(conn_->query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'corral_jobs' ORDER BY ordinal_position",
        {}));
    std::vector<std::string> schema;
    for (int i = 0; i < rows.size(); ++i) schema.emplace_back(rows.text(i, 0));
    return schema;
  }
  void migrate(std::optional<int> version) override { migrate_with(test::migrations_up_to(kMigrations, version)); }

 private:
  void migrate_with(std::vector<queue::Migration> const& migrations) {
    if (auto r = postgres::migrate(*conn_, migrations); !r) throw std::runtime_error(r.error().message);
  }

  template <class T>
  static T must(DbResult<T> r) {
    if (!r) throw std::runtime_error(r.error().error.message);
    return std::move(*r);
  }

  std::unique_ptr<Connection> conn_;
};

INSTANTIATE_TEST_SUITE_P(
    Postgres, RowMapping,
    ::testing::Values(test::JobRowsBackend{
        "postgres", [](std::optional<int> v) { return std::make_unique<PostgresJobRows>(v); }, 1}),
    [](auto const& info) { return info.param.name; });

}  // namespace
}  // namespace corral::postgres
