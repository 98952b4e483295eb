#include "queue/sqlite/outbox_store.hpp"

namespace corral::sqlite {

using core::from_unix_micros;
using core::to_unix_micros;

OutboxStore::OutboxStore(Database& db)
    : db_(db),
      insert_(db.handle(),
              "INSERT INTO deliveries (id, job_id, url, body, attempts, created_at, next_attempt_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"),
      // Served by deliveries_due; a claimed row is skipped until its claim runs out.
      due_(db.handle(),
           "SELECT id, job_id, url, body, attempts, created_at FROM deliveries "
           "WHERE next_attempt_at <= ?1 AND (claimed_until IS NULL OR claimed_until <= ?1) "
           "ORDER BY next_attempt_at LIMIT ?2"),
      claim_(db.handle(), "UPDATE deliveries SET claimed_until = ?2 WHERE id = ?1"),
      next_due_(db.handle(), "SELECT min(max(next_attempt_at, coalesce(claimed_until, 0))) FROM deliveries"),
      retry_(db.handle(),
             "UPDATE deliveries SET attempts = ?2, next_attempt_at = ?3, last_error = ?4, claimed_until = NULL "
             "WHERE id = ?1"),
      delete_(db.handle(), "DELETE FROM deliveries WHERE id = ?1"),
      count_(db.handle(), "SELECT count(*) FROM deliveries") {}

core::Result<void> OutboxStore::delivery_insert(queue::Delivery const& d) {
  insert_.bind(1, d.id).bind(2, d.job_id).bind(3, d.url).bind(4, d.body).bind(5, d.attempts);
  insert_.bind(6, to_unix_micros(d.created_at));
  return insert_.run();
}

core::Result<queue::ClaimedDeliveries> OutboxStore::delivery_claim(core::TimePoint now, std::size_t limit,
                                                                   core::TimePoint until) {
  queue::ClaimedDeliveries out;
  out.now = now;
  due_.bind(1, to_unix_micros(now)).bind(2, static_cast<std::int64_t>(limit));
  for (;;) {
    auto row = due_.step();
    if (!row) {
      due_.reset();
      return row.error();
    }
    if (!*row) break;
    out.due.push_back(queue::Delivery{due_.text(0), due_.text(1), due_.text(2), due_.text(3),
                                      static_cast<int>(due_.int64(4)), from_unix_micros(due_.int64(5))});
  }
  due_.reset();
  for (auto const& d : out.due) {
    claim_.bind(1, d.id).bind(2, to_unix_micros(until));
    if (auto r = claim_.run(); !r) return r.error();
  }
  auto next = delivery_next_due();
  if (!next) return next.error();
  out.next_due = *next;
  return out;
}

core::Result<std::optional<core::TimePoint>> OutboxStore::delivery_next_due() {
  auto row = next_due_.step();
  if (!row) {
    next_due_.reset();
    return row.error();
  }
  std::optional<core::TimePoint> out;
  if (*row && !next_due_.is_null(0)) out = from_unix_micros(next_due_.int64(0));
  next_due_.reset();
  return out;
}

core::Result<void> OutboxStore::delivery_report(queue::DeliveryReport const& r) {
  if (r.state != core::WebhookState::pending) {
    delete_.bind(1, r.id);
    return delete_.run();
  }
  retry_.bind(1, r.id).bind(2, r.attempts).bind(3, to_unix_micros(r.next_attempt_at)).bind(4, r.error);
  return retry_.run();
}

core::Result<void> OutboxStore::delivery_release_claims() {
  return db_.exec("UPDATE deliveries SET claimed_until = NULL WHERE claimed_until IS NOT NULL");
}

core::Result<std::int64_t> OutboxStore::delivery_count() {
  auto row = count_.step();
  if (!row) {
    count_.reset();
    return row.error();
  }
  std::int64_t const n = count_.int64(0);
  count_.reset();
  return n;
}

}  // namespace corral::sqlite
