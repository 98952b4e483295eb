#include "queue/postgres/limited_claims.hpp"

#include "queue/postgres/job_rows.hpp"

#include <boost/json.hpp>

namespace corral::postgres {
namespace {

constexpr char kSkip[] = " AND seq <> ALL(ARRAY(SELECT json_array_elements_text($3::json)::bigint))";

// Only max_running: the plain claim's order and LIMIT, the room left being $2.
std::string const& room_only_sql() {
  static std::string const sql =
      skip_locked_jobs_sql(std::string("queue = $1 AND status = 'queued'") + kSkip, "priority DESC, seq");
  return sql;
}

// With max_running_per_key: each key's jobs numbered in ready order, and only those within its
// room taken ($4: the room of each key that has running jobs, by key; $5: a key's whole limit).
// The numbering reads the queue's ready jobs through corral_jobs_ready_by_key.
std::string const& per_key_sql() {
  static std::string const sql = skip_locked_jobs_sql(
      std::string("queue = $1 AND status = 'queued'") + kSkip +
          " AND (concurrency_key IS NULL OR seq IN (SELECT c.seq FROM (SELECT seq, concurrency_key,"
          " row_number() OVER (PARTITION BY concurrency_key ORDER BY priority DESC, seq) AS rn"
          " FROM corral_jobs WHERE queue = $1 AND status = 'queued' AND concurrency_key IS NOT NULL" +
          kSkip +
          ") c LEFT JOIN json_each_text($4::json) AS room ON room.key = c.concurrency_key"
          " WHERE c.rn <= coalesce(room.value::bigint, $5::bigint)))",
      "priority DESC, seq");
  return sql;
}

std::optional<int> opt_int(Rows const& rows, int row, int col) {
  auto v = rows.opt_int64(row, col);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

}  // namespace

core::ConcurrencyLimits read_limits(Rows const& rows, int row, int col) {
  return {opt_int(rows, row, col), opt_int(rows, row, col + 1)};
}

DbResult<std::set<std::string>> read_limited_queues(Connection& conn) {
  auto rows = conn.query("corral_limited_queues",
                         "SELECT name FROM corral_queues WHERE max_running IS NOT NULL OR max_running_per_key IS NOT NULL",
                         {});
  if (!rows) return rows.error();
  std::set<std::string> out;
  for (int i = 0; i < rows->size(); ++i) out.emplace(rows->text(i, 0));
  return out;
}

DbResult<std::vector<core::Job>> claim_limited(Connection& conn, std::string const& queue, int n,
                                               std::string const& skip, PendingRunning const& pending) {
  std::vector<core::Job> none;
  // Its own statement: the statements after it read what committed before the lock was granted.
  if (auto r = conn.query("corral_limit_lock", "SELECT pg_advisory_xact_lock(hashtextextended('corral.limit:' || $1, 0))",
                          {queue});
      !r) {
    return r.error();
  }
  auto settings = conn.query("corral_limits_one",
                             "SELECT max_running, max_running_per_key, paused FROM corral_queues WHERE name = $1", {queue});
  if (!settings) return settings.error();
  if (settings->size() == 0 || settings->boolean(0, 2)) return none;
  auto const limits = read_limits(*settings, 0, 0);
  auto running = conn.query("corral_running_by_key",
                            "SELECT concurrency_key, count(*) FROM corral_jobs WHERE queue = $1 AND status = 'running'"
                            " GROUP BY concurrency_key",
                            {queue});
  if (!running) return running.error();
  std::int64_t total = pending.total;
  std::map<std::string, std::int64_t> by_key = pending.by_key;
  for (int i = 0; i < running->size(); ++i) {
    total += running->int64(i, 1);
    if (auto key = running->opt_text(i, 0)) by_key[*key] += running->int64(i, 1);
  }
  std::int64_t room = n;
  if (auto left = core::room_in_queue(limits, total)) room = std::min(room, *left);
  if (room <= 0) return none;
  auto query = [&]() -> DbResult<Rows> {
    if (!limits.max_running_per_key) return conn.query("corral_claim_room", room_only_sql(), {queue, std::to_string(room), skip});
    boost::json::object key_room;
    for (auto const& [key, count] : by_key) key_room[key] = std::max<std::int64_t>(0, *limits.max_running_per_key - count);
    return conn.query("corral_claim_per_key", per_key_sql(),
                      {queue, std::to_string(room), skip, boost::json::serialize(key_room),
                       std::to_string(*limits.max_running_per_key)});
  };
  auto rows = query();
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  return std::move(*jobs);
}

}  // namespace corral::postgres
