// The row mapping both backends generate from queue::job_columns(): every column of the schema is
// in the table, and every field of a job comes back from its row as it went in, through the
// statements the backend itself runs. row_mapping_test.cpp holds the tests; sqlite/job_store_test.cpp
// and postgres/job_rows_test.cpp instantiate them with their JobRowsBackend.
#pragma once

#include "core/job.hpp"
#include "queue/migration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace corral::test {

// One backend's job table, on a fresh store of its own. Each call throws (failing the test) on
// an error.
class JobRows {
 public:
  virtual ~JobRows() = default;
  // Inserts `job`; returns it with the seq its row was given.
  virtual core::Job stored(core::Job job) = 0;
  virtual core::Job read(std::int64_t seq) = 0;
  // Writes `job` over its row as a transition's update does.
  virtual void update(core::Job const& job) = 0;
  // The job table's columns, in the schema's order.
  virtual std::vector<std::string> schema_columns() = 0;
  // Applies the embedded migrations the store has not had, up to schema `version` (all without one).
  virtual void migrate(std::optional<int> version = std::nullopt) = 0;
};

struct JobRowsBackend {
  std::string name;
  // A fresh store migrated to schema `version`; without one, to the newest. An older store also gets
  // the columns and tables later migrations add that the job statements use (and nothing else of
  // them), so today's row mapping can write rows to it.
  std::function<std::unique_ptr<JobRows>(std::optional<int> version)> open;
  // The schema version before the migration that brought rows of ended jobs under the rules of
  // core::apply: no cancel_requested once a job has ended, no top-level error once it completed.
  int before_ended_job_rules;
};

// The migrations of `all` up to schema `version`; without one, all of them.
inline std::vector<queue::Migration> migrations_up_to(std::vector<queue::Migration> const& all,
                                                      std::optional<int> version) {
  std::vector<queue::Migration> out;
  for (auto const& m : all) {
    if (!version || m.version <= *version) out.push_back(m);
  }
  return out;
}

inline void PrintTo(JobRowsBackend const& b, std::ostream* os) { *os << b.name; }

class RowMapping : public ::testing::TestWithParam<JobRowsBackend> {
 protected:
  void SetUp() override { rows_ = GetParam().open(std::nullopt); }
  JobRows& rows() { return *rows_; }

 private:
  std::unique_ptr<JobRows> rows_;
};

}  // namespace corral::test
