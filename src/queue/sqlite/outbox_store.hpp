// The embedded backend's webhook outbox (queue/outbox.hpp): the deliveries table's statements.
// Writes run on the writer thread inside its batch transaction, so a delivery is committed with
// the change that ended its job; count() runs on a reader.
//
// One server owns the file, so a claim is only this process's: release_claims() at start frees
// the claims of a server that died while sending, which are then due at once.
//
// Not thread-safe: one OutboxStore per connection.
#pragma once

#include "queue/outbox.hpp"
#include "queue/sqlite/database.hpp"

namespace corral::sqlite {

class OutboxStore {
 public:
  explicit OutboxStore(Database& db);

  core::Result<void> delivery_insert(queue::Delivery const& d);
  // Claims up to `limit` due deliveries until `until` (unix micros); returns them, and when the
  // earliest delivery left is due.
  core::Result<queue::ClaimedDeliveries> delivery_claim(core::TimePoint now, std::size_t limit, core::TimePoint until);
  // A pending report makes the delivery due again at its next_attempt_at; any other deletes it.
  core::Result<void> delivery_report(queue::DeliveryReport const& r);
  core::Result<void> delivery_release_claims();
  core::Result<std::int64_t> delivery_count();
  // When the earliest delivery is due (its claim, if any, run out); none when the outbox is empty.
  core::Result<std::optional<core::TimePoint>> delivery_next_due();

 private:
  Database& db_;
  Statement insert_, due_, claim_, next_due_, retry_, delete_, count_;
};

}  // namespace corral::sqlite
