#include "queue/postgres/job_rows.hpp"

#include "queue/job_columns.hpp"

#include <boost/json.hpp>

#include <variant>

namespace corral::postgres {
namespace {

using queue::Cell;
using queue::job_columns;

Cell read_cell(Rows const& r, int row, int col, Cell::Kind kind) {
  if (r.is_null(row, col)) return {};
  switch (kind) {
    case Cell::Kind::null: break;
    case Cell::Kind::integer: return {.kind = kind, .integer = r.int64(row, col)};
    case Cell::Kind::real: return {.kind = kind, .real = r.real(row, col)};
    case Cell::Kind::boolean: return {.kind = kind, .boolean = r.boolean(row, col)};
    case Cell::Kind::text: return {.kind = kind, .text = r.text(row, col)};
  }
  return {};
}

boost::json::value to_json(Cell const& c) {
  switch (c.kind) {
    case Cell::Kind::null: break;
    case Cell::Kind::integer: return c.integer;
    case Cell::Kind::real: return c.real;
    case Cell::Kind::boolean: return c.boolean;
    case Cell::Kind::text: return boost::json::string(c.text);
  }
  return nullptr;
}

// The jobs as a JSON array of corral_jobs records holding the columns `pick` accepts.
template <class Pick>
std::string records(std::vector<core::Job const*> const& jobs, Pick pick) {
  queue::JobTexts texts;
  boost::json::array out;
  out.reserve(jobs.size());
  for (auto const* job : jobs) {
    boost::json::object o;
    o.reserve(job_columns().size());
    for (auto const& c : job_columns()) {
      if (pick(c)) o.emplace(c.name, to_json(c.store(*job, texts)));
    }
    out.push_back(std::move(o));
  }
  return boost::json::serialize(out);
}

// An update's record: the key (seq, which the database assigned) and what a transition may change.
bool updated(queue::JobColumn const& c) { return c.written == queue::Written::never || queue::rewritten(c); }

}  // namespace

std::string const& job_select_list() {
  static std::string const list = queue::column_list("j.", queue::all_columns);
  return list;
}

std::string skip_locked_jobs_sql(std::string_view where, std::string_view order, std::string_view limit) {
  std::string sql = "SELECT " + job_select_list() + " FROM corral_jobs j WHERE ";
  sql.append(where).append(" ORDER BY ").append(order).append(" LIMIT ").append(limit);
  sql.append(" FOR UPDATE OF j SKIP LOCKED");
  return sql;
}

std::vector<Param> text_params(std::vector<queue::SqlValue> const& values) {
  std::vector<Param> params;
  params.reserve(values.size());
  for (auto const& v : values) {
    if (auto const* text = std::get_if<std::string>(&v)) params.emplace_back(*text);
    else params.emplace_back(std::to_string(std::get<std::int64_t>(v)));
  }
  return params;
}

core::Result<core::Job> read_job(Rows const& r, int row) {
  core::Job j;
  int col = 0;
  for (auto const& c : job_columns()) {
    if (auto loaded = c.load(j, read_cell(r, row, col++, c.kind)); !loaded) return loaded.error();
  }
  return j;
}

core::Result<std::vector<core::Job>> read_jobs(Rows const& rows) {
  std::vector<core::Job> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto job = read_job(rows, i);
    if (!job) return job.error();
    out.push_back(std::move(*job));
  }
  return out;
}

std::string const& insert_jobs_sql() {
  static std::string const sql = "INSERT INTO corral_jobs (" + queue::column_list("", queue::inserted) +
                                 ") SELECT " + queue::column_list("r.", queue::inserted) +
                                 " FROM json_populate_recordset(NULL::corral_jobs, $1::json) WITH ORDINALITY AS r"
                                 " ORDER BY r.ordinality"
                                 " ON CONFLICT (idempotency_key, (coalesce(owner, ''))) WHERE idempotency_key IS NOT NULL"
                                 " DO NOTHING RETURNING id, seq";
  return sql;
}

std::string insert_records(std::vector<core::Job const*> const& jobs) { return records(jobs, queue::inserted); }

std::string const& update_jobs_sql() {
  static std::string const sql =
      "UPDATE corral_jobs j SET " + queue::join_columns(queue::rewritten, [](queue::JobColumn const& c, int) {
        return std::string(c.name) + " = u." + std::string(c.name);
      }) + " FROM json_populate_recordset(NULL::corral_jobs, $1::json) AS u WHERE j.seq = u.seq"
           // The planner takes any set-returning function for 100 rows, and against a table of up
           // to some thousands of jobs it then hashed the records and scanned the whole table for
           // every batch. Naming the seqs as an array it can size sends it to the primary key.
           " AND j.seq = ANY(ARRAY(SELECT (json_array_elements($1::json)->>'seq')::bigint))";
  return sql;
}

std::string update_records(std::vector<core::Job const*> const& jobs) { return records(jobs, updated); }

}  // namespace corral::postgres
