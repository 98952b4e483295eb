#include "queue/postgres/limited_claims.hpp"

#include "core/token_bucket.hpp"
#include "queue/postgres/counted_statement.hpp"
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/queue_flow_rows.hpp"

#include <boost/json.hpp>

namespace corral::postgres {
namespace {

constexpr char kSkip[] = " AND seq <> ALL(ARRAY(SELECT json_array_elements_text($2::json)::bigint))";

constexpr char kReadyOrder[] = "priority DESC, seq";

// Only max_running: the plain claim's order, the room left being the LIMIT.
std::string room_only_sql(std::string const& order, std::string const& limit) {
  return skip_locked_jobs_sql(std::string("queue = $1 AND status = 'queued'") + kSkip, order, limit);
}

// With max_running_per_key: each key's jobs numbered in ready order, and only those within its
// room taken ($3: the room of each key that has running jobs, by key; $4: a key's whole limit).
// The numbering reads the queue's ready jobs through corral_jobs_ready_by_key.
std::string per_key_sql(std::string const& order, std::string const& limit) {
  return skip_locked_jobs_sql(
      std::string("queue = $1 AND status = 'queued'") + kSkip +
          " AND (concurrency_key IS NULL OR seq IN (SELECT c.seq FROM (SELECT seq, concurrency_key,"
          " row_number() OVER (PARTITION BY concurrency_key ORDER BY " + order + ") AS rn"
          " FROM corral_jobs WHERE queue = $1 AND status = 'queued' AND concurrency_key IS NOT NULL" +
          kSkip +
          ") c LEFT JOIN json_each_text($3::json) AS room ON room.key = c.concurrency_key"
          " WHERE c.rn <= coalesce(room.value::bigint, $4::bigint)))",
      order, limit);
}

// The statements of queues in ready order are the same texts every time: prepared once per
// connection, the room in the text up to a few jobs (counted_statement.hpp). An aging queue's
// carry its rate, so they run unprepared, the room in their text (their order is their own).
DbResult<Rows> run_claim(Connection& conn, CountedStatement const& ready_order,
                         std::string (*sql_with)(std::string const&, std::string const&),
                         std::optional<std::string> const& aging_order, std::int64_t room, std::vector<Param> params) {
  if (aging_order) return conn.query(sql_with(*aging_order, std::to_string(room)), params);
  return ready_order.run(conn, static_cast<int>(room), std::move(params));
}

CountedStatement const& room_only_claim() {
  static CountedStatement const statement("corral_claim_room", 2,
                                          [](std::string const& limit) { return room_only_sql(kReadyOrder, limit); });
  return statement;
}

CountedStatement const& per_key_claim() {
  static CountedStatement const statement("corral_claim_per_key", 4,
                                          [](std::string const& limit) { return per_key_sql(kReadyOrder, limit); });
  return statement;
}

using Bucket = core::BasicTokenBucket<std::chrono::system_clock, core::Micros>;

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
                         "SELECT name FROM corral_queues WHERE max_running IS NOT NULL OR max_running_per_key IS NOT NULL"
                         " OR rate_jobs IS NOT NULL OR priority_aging_per_s IS NOT NULL",
                         {});
  if (!rows) return rows.error();
  std::set<std::string> out;
  for (int i = 0; i < rows->size(); ++i) out.emplace(rows->text(i, 0));
  return out;
}

DbResult<std::vector<core::Job>> claim_limited(Connection& conn, std::string const& queue, int n,
                                               std::string const& skip, PendingRunning const& pending,
                                               std::optional<core::Micros>& token_wait) {
  std::vector<core::Job> none;
  // Its own statement: the statements after it read what committed before the lock was granted.
  if (auto r = conn.query("corral_limit_lock", "SELECT pg_advisory_xact_lock(hashtextextended('corral.limit:' || $1, 0))",
                          {queue});
      !r) {
    return r.error();
  }
  // The database's clock, read after the lock: every node's claims measure the shared bucket by it.
  auto settings = conn.query("corral_limits_one",
                             std::string("SELECT max_running, max_running_per_key, paused, ") + kFlowColumns +
                                 ", rate_tokens, rate_refilled_at,"
                                 " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
                                 " FROM corral_queues WHERE name = $1",
                             {queue});
  if (!settings) return settings.error();
  if (settings->size() == 0 || settings->boolean(0, 2)) return none;
  auto const limits = read_limits(*settings, 0, 0);
  auto const flow = read_flow(*settings, 0, 3);
  std::optional<Bucket> bucket;
  core::TimePoint const now = core::from_unix_micros(settings->int64(0, 9));
  if (flow.rate_limit) {
    auto const rate = flow.rate_limit->bucket();
    auto const tokens = settings->opt_real(0, 7);
    auto const at = settings->opt_int64(0, 8);
    bucket.emplace(rate, tokens.value_or(rate.capacity()), at ? core::from_unix_micros(*at) : now);
  }
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
  if (bucket) {
    // What the bucket holds now, taken for real below once the claim knows how many it got.
    auto probe = *bucket;
    room = probe.take_up_to(room, now);
    if (room == 0) {
      // Empty: the fetch waits for the next token rather than asking again at once.
      token_wait = bucket->wait(now);
      return none;
    }
  }
  std::optional<std::string> aging_order;
  if (flow.priority_aging_per_s) aging_order = aging_order_sql(*flow.priority_aging_per_s);
  auto query = [&]() -> DbResult<Rows> {
    if (!limits.max_running_per_key) return run_claim(conn, room_only_claim(), room_only_sql, aging_order, room, {queue, skip});
    boost::json::object key_room;
    for (auto const& [key, count] : by_key) key_room[key] = std::max<std::int64_t>(0, *limits.max_running_per_key - count);
    return run_claim(conn, per_key_claim(), per_key_sql, aging_order, room,
                     {queue, skip, boost::json::serialize(key_room), std::to_string(*limits.max_running_per_key)});
  };
  auto rows = query();
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  if (bucket && !jobs->empty()) {
    // One token per job handed out (a job whose start_by has passed is cancelled instead, and
    // still costs one: the bucket can only err on the slow side).
    bucket->take_up_to(static_cast<std::int64_t>(jobs->size()), now);
    auto r = conn.query("corral_rate_take",
                        "UPDATE corral_queues SET rate_tokens = $2::double precision, rate_refilled_at = $3::bigint"
                        " WHERE name = $1",
                        {queue, std::to_string(bucket->tokens()), std::to_string(core::to_unix_micros(bucket->at()))});
    if (!r) return r.error();
    // Emptied: fetches of this node still parked on the queue are woken by its next token.
    if (auto const wait = bucket->wait(now); wait > core::Micros::zero()) token_wait = wait;
  }
  return std::move(*jobs);
}

}  // namespace corral::postgres
