// The row <-> Job mapping of the PostgreSQL backend, in one place.
//
// Reads take rows selected with kJobColumns. Writes pass jobs as one JSON array of records whose
// keys are the column names, which the statements expand with json_populate_recordset(NULL::
// corral_jobs, $1): one parameter for any number of rows, so a batch of changes is one statement.
#pragma once

#include "core/job.hpp"
#include "queue/postgres/connection.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace corral::postgres {

// Every column of corral_jobs, in the order read_job() expects; "j." qualified for joins.
extern const char kJobColumns[];

// SELECT of every column of up to $2 jobs matching `where`, taken in `order`, each locked FOR
// UPDATE and those other transactions hold skipped. The locking select sits in a CTE with its own
// LIMIT, so the planner cannot lock more rows than it hands out. `tail` follows the join (an
// ORDER BY for the rows as returned, say).
std::string skip_locked_jobs_sql(std::string_view where, std::string_view order, std::string_view tail = "");

core::Result<core::Job> read_job(Rows const& rows, int row);
core::Result<std::vector<core::Job>> read_jobs(Rows const& rows);

// The jobs as a JSON array of corral_jobs records (seq included; the insert statement ignores it).
std::string jobs_to_records(std::vector<core::Job const*> const& jobs);

}  // namespace corral::postgres
