#include "queue/postgres/outbox_queries.hpp"

#include <boost/json.hpp>

namespace corral::postgres {
namespace {

using core::from_unix_micros;
using core::to_unix_micros;

std::string micros(core::TimePoint t) { return std::to_string(to_unix_micros(t)); }

// Runs fn() between BEGIN and COMMIT; rolls back if it fails.
template <class Fn>
auto in_transaction(Connection& conn, Fn fn) -> decltype(fn()) {
  if (auto r = conn.exec("BEGIN"); !r) return r.error();
  auto out = fn();
  if (out) {
    if (auto r = conn.exec("COMMIT"); !r) return r.error();
  } else {
    (void)conn.exec("ROLLBACK");
  }
  return out;
}

}  // namespace

DbResult<queue::ClaimedDeliveries> claim_deliveries(Connection& conn, queue::DeliveryClaim const& claim) {
  return in_transaction(conn, [&]() -> DbResult<queue::ClaimedDeliveries> {
    queue::ClaimedDeliveries out;
    auto clock = conn.query("corral_now", "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint", {});
    if (!clock) return clock.error();
    out.now = from_unix_micros(clock->int64(0, 0));
    auto rows = conn.query("corral_deliveries_due",
                           "SELECT id, job_id, url, body, attempts, created_at FROM corral_deliveries"
                           " WHERE next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)"
                           " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED",
                           {micros(out.now), std::to_string(claim.limit)});
    if (!rows) return rows.error();
    boost::json::array ids;
    for (int i = 0; i < rows->size(); ++i) {
      out.due.push_back(queue::Delivery{std::string(rows->text(i, 0)), std::string(rows->text(i, 1)),
                                        std::string(rows->text(i, 2)), std::string(rows->text(i, 3)),
                                        static_cast<int>(rows->int64(i, 4)), from_unix_micros(rows->int64(i, 5))});
      ids.push_back(boost::json::string(out.due.back().id));
    }
    if (!ids.empty()) {
      auto r = conn.query("corral_deliveries_claim",
                          "UPDATE corral_deliveries SET claimed_until = $2"
                          " WHERE id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))",
                          {boost::json::serialize(ids), micros(out.now + claim.lease)});
      if (!r) return r.error();
    }
    auto next = conn.query("corral_deliveries_next",
                           "SELECT min(greatest(next_attempt_at, coalesce(claimed_until, 0))) FROM corral_deliveries", {});
    if (!next) return next.error();
    if (auto at = next->opt_int64(0, 0)) out.next_due = from_unix_micros(*at);
    return out;
  });
}

DbResult<void> report_delivery(Connection& conn, queue::DeliveryReport const& report) {
  return in_transaction(conn, [&]() -> DbResult<void> {
    bool const pending = report.state == core::WebhookState::pending;
    auto row = pending ? conn.query("corral_deliveries_retry",
                                    "UPDATE corral_deliveries SET attempts = $2, next_attempt_at = $3, last_error = $4,"
                                    " claimed_until = NULL WHERE id = $1",
                                    {report.id, std::to_string(report.attempts), micros(report.next_attempt_at),
                                     report.error})
                       : conn.query("corral_deliveries_delete", "DELETE FROM corral_deliveries WHERE id = $1",
                                    {report.id});
    if (!row) return row.error();
    // A delivery keeps the last failure before it (webhook_after).
    auto job = conn.query(
        "corral_jobs_webhook",
        "UPDATE corral_jobs SET webhook_state = $3, webhook_attempts = $4,"
        " webhook_last_error = coalesce($5, webhook_last_error), webhook_last_attempt_at = $6,"
        " webhook_delivered_at = CASE WHEN $3 = 'delivered' THEN $6::bigint ELSE webhook_delivered_at END"
        " WHERE id = $1 AND webhook_delivery_id = $2",
        {report.job_id, report.id, std::string(core::to_string(report.state)), std::to_string(report.attempts),
         report.error, micros(report.attempted_at)});
    if (!job) return job.error();
    return {};
  });
}

DbResult<std::int64_t> count_deliveries(Connection& conn) {
  auto rows = conn.query("corral_deliveries_count", "SELECT count(*) FROM corral_deliveries", {});
  if (!rows) return rows.error();
  return rows->int64(0, 0);
}

}  // namespace corral::postgres
