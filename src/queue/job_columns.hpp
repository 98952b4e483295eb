// The columns of a job row, in one table that drives both backends.
//
// The two schemas (sqlite/migrations, postgres/migrations) have the same columns under the same
// names in the same order, so one table serves both. Each backend builds from it its select list,
// its INSERT and UPDATE column lists with their parameters, its binds (SQLite) or JSON records
// (PostgreSQL), and its reads: a column's position is its place in this table, never a number
// written by hand. Adding a field to the job is one line in job_columns.cpp and a migration per
// backend; the schema tests (tests/queue/sqlite/job_store_test.cpp,
// tests/queue/postgres/job_rows_test.cpp) fail until the table and each schema agree, and their
// round trip of a job with every field set fails if a column is bound or read as another.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace corral::queue {

// One column's value on its way to or from a backend. Text is a view: of the job being written,
// of the JobTexts it was encoded into, or of the backend's row being read.
struct Cell {
  enum class Kind { null, integer, real, boolean, text };
  Kind kind = Kind::null;
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;
  std::string_view text;

  bool is_null() const { return kind == Kind::null; }
};

// JSON texts encoded for one write (the attempt history, the progress, the stages), kept until the backend
// has sent them; reused from write to write, so a warm write allocates nothing for them.
struct JobTexts {
  std::string progress;
  std::string attempts;
  std::string stages;
  std::string depends_on;
  std::string parents;
};

// When a column is written.
enum class Written {
  never,          // assigned by the database (seq)
  at_insert,      // fixed at enqueue: core::apply never changes it, so an update leaves it alone
  at_every_write, // a transition may change it
};

struct JobColumn {
  std::string_view name;
  Cell::Kind kind;   // the kind of its value when not null
  Written written;
  Cell (*store)(core::Job const& job, JobTexts& texts);
  // Sets the job's field from the column. Columns are loaded in table order, so a load may rely on
  // earlier ones (the error's message and flag on its code, a message on the job's id).
  core::Result<void> (*load)(core::Job& job, Cell const& cell);
};

// Every column of the job table, in the schemas' order.
std::span<JobColumn const> job_columns();

// item(column, n) for each column `pick` accepts, in table order, n counting them from 0; joined by
// ", ". Every column list and parameter list of both backends is one of these.
template <class Pick, class Item>
std::string join_columns(Pick pick, Item item) {
  std::string out;
  int n = 0;
  for (auto const& c : job_columns()) {
    if (!pick(c)) continue;
    if (n > 0) out += ", ";
    out += item(c, n++);
  }
  return out;
}

// The names of the columns `pick` accepts, each after `prefix` ("j.").
template <class Pick>
std::string column_list(std::string_view prefix, Pick pick) {
  return join_columns(pick, [prefix](JobColumn const& c, int) { return std::string(prefix).append(c.name); });
}

inline bool all_columns(JobColumn const&) { return true; }

// The select list of every column, each after `prefix`. With `summary` the columns a summary
// leaves out (payload, result, checkpoint, attempts: the large ones) are selected as constants
// that load as empty values, so a summary list never reads their text.
std::string select_list(std::string_view prefix, bool summary);
inline bool inserted(JobColumn const& c) { return c.written == Written::at_insert || c.written == Written::at_every_write; }
inline bool rewritten(JobColumn const& c) { return c.written == Written::at_every_write; }

}  // namespace corral::queue
