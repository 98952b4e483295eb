#include "queue/postgres/queue_flow_rows.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>

namespace corral::postgres {
namespace {

// The shortest text that reads back as the same double.
std::string number_text(double v) {
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return std::string(buf, end);
}

Param param(core::FieldUpdate<double> const& f) {
  if (!f || !*f) return std::nullopt;
  return number_text(**f);
}

// One index name per queue, whatever characters its name holds (FNV-1a, 64 bits).
std::string aging_index_name(std::string const& queue) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : queue) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "corral_jobs_aging_%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string quoted(std::string const& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// The rank, priority - rate × ready_since in seconds, with run_at in microseconds: the same text
// in the index and in the claim, so the planner matches them.
std::string rank_sql(double rate_per_s) {
  return "(priority::float8 - " + number_text(rate_per_s / 1e6) + "::float8 * run_at::float8)";
}

DbResult<void> replace_aging_index(Connection& conn, std::string const& queue, std::optional<double> rate) {
  auto const name = aging_index_name(queue);
  if (auto r = conn.query("DROP INDEX IF EXISTS " + name, {}); !r) return r.error();
  if (!rate) return {};
  auto r = conn.query("CREATE INDEX " + name + " ON corral_jobs (" + rank_sql(*rate) + " DESC, seq) WHERE queue = " +
                          quoted(queue) + " AND status = 'queued'",
                      {});
  if (!r) return r.error();
  return {};
}

}  // namespace

core::QueueFlow read_flow(Rows const& rows, int row, int col) {
  core::QueueFlow out;
  if (auto jobs = rows.opt_int64(row, col)) {
    out.rate_limit = core::QueueRateLimit{*jobs, rows.opt_real(row, col + 1).value_or(1), rows.opt_int64(row, col + 2)};
  }
  out.priority_aging_per_s = rows.opt_real(row, col + 3);
  return out;
}

DbResult<void> queue_flow_update(Connection& conn, std::string const& queue, queue::QueueUpdate const& update) {
  if (!api::touches_flow(update)) return {};
  auto before = conn.query("corral_queue_aging_one", "SELECT priority_aging_per_s FROM corral_queues WHERE name = $1",
                           {queue});
  if (!before) return before.error();
  std::optional<double> const old_rate = before->size() > 0 ? before->opt_real(0, 0) : std::nullopt;
  auto flag = [](bool set) -> Param { return set ? "true" : "false"; };
  auto const& rate = update.rate_limit;
  bool const limited = rate && *rate;
  auto r = conn.query(
      "corral_update_queue_flow",
      "UPDATE corral_queues SET"
      " rate_jobs = CASE WHEN $6::boolean THEN $2::int ELSE rate_jobs END,"
      " rate_per_s = CASE WHEN $6::boolean THEN $3::double precision ELSE rate_per_s END,"
      " rate_burst = CASE WHEN $6::boolean THEN $4::int ELSE rate_burst END,"
      // A new limit starts with a full bucket.
      " rate_tokens = CASE WHEN $6::boolean THEN NULL ELSE rate_tokens END,"
      " rate_refilled_at = CASE WHEN $6::boolean THEN NULL ELSE rate_refilled_at END,"
      " priority_aging_per_s = CASE WHEN $7::boolean THEN $5::double precision ELSE priority_aging_per_s END"
      " WHERE name = $1",
      {queue, limited ? Param(std::to_string((*rate)->jobs)) : std::nullopt,
       limited ? Param(number_text((*rate)->per_s)) : std::nullopt,
       limited && (*rate)->burst ? Param(std::to_string(*(*rate)->burst)) : std::nullopt,
       param(update.priority_aging_per_s), flag(rate.has_value()), flag(update.priority_aging_per_s.has_value())});
  if (!r) return r.error();
  if (update.priority_aging_per_s && *update.priority_aging_per_s != old_rate) {
    return replace_aging_index(conn, queue, *update.priority_aging_per_s);
  }
  return {};
}

std::string aging_order_sql(double rate_per_s) { return rank_sql(rate_per_s) + " DESC, seq"; }

}  // namespace corral::postgres
