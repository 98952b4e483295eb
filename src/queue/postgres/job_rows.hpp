// The row <-> Job mapping of the PostgreSQL backend, generated from queue::job_columns().
//
// Reads take rows selected with job_select_list(). Writes pass jobs as one JSON array of records
// whose keys are the column names, which the statements expand with json_populate_recordset(NULL::
// corral_jobs, $1): one parameter for any number of rows, so a batch of changes is one statement.
#pragma once

#include "core/job.hpp"
#include "queue/list_sql.hpp"
#include "queue/postgres/connection.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace corral::postgres {

// Every column of corral_jobs, "j." qualified (for joins), in the order read_job() expects.
std::string const& job_select_list();

// SELECT of every column of up to $2 jobs matching `where`, taken in `order`, each locked FOR
// UPDATE and those other transactions hold skipped.
//
// One statement both locks and reads, so each row comes back as it was locked: the latest
// committed version, checked again against `where`. Reading the rows in a join after a CTE that
// locks them reads them as of the statement's snapshot instead: a job changed and committed in
// between that still matched came back as it had been, and writing the claim back undid the
// other commit (the no-double-execution fault test saw two workers hold attempt 1 of one job).
// LIMIT sits above the row locks, so no more rows are locked than are returned. `limit` is the
// LIMIT's text: the parameter $2, or a number.
std::string skip_locked_jobs_sql(std::string_view where, std::string_view order, std::string_view limit = "$2");

// The parameters of a list's statement (queue/list_sql.hpp), as libpq's text.
std::vector<Param> text_params(std::vector<queue::SqlValue> const& values);

core::Result<core::Job> read_job(Rows const& rows, int row);
core::Result<std::vector<core::Job>> read_jobs(Rows const& rows);

// Inserts the jobs of $1 = insert_records(jobs), in their order, skipping those whose idempotency
// key is taken, and returns (id, seq) of each row inserted.
std::string const& insert_jobs_sql();
std::string insert_records(std::vector<core::Job const*> const& jobs);

// Writes the columns a transition may change of the jobs of $1 = update_records(jobs), matched by
// seq. The columns fixed at enqueue are not sent nor rewritten: core::apply never changes them.
std::string const& update_jobs_sql();
std::string update_records(std::vector<core::Job const*> const& jobs);

}  // namespace corral::postgres
