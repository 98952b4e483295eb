#include "queue/sqlite/queue_push_store.hpp"

namespace corral::sqlite {

core::Result<void> queue_push_write(Database& db, std::string const& queue, api::QueuePush const& push) {
  Statement st = db.prepare(
      "INSERT INTO queues (name, paused, push_url, push_concurrency, push_timeout_s) VALUES (?1, 0, ?2, ?3, ?4) "
      "ON CONFLICT (name) DO UPDATE SET push_url = excluded.push_url, push_concurrency = excluded.push_concurrency, "
      "push_timeout_s = excluded.push_timeout_s");
  st.bind(1, queue).bind(2, push.url).bind(3, push.concurrency).bind(4, push.timeout_s);
  return st.run();
}

core::Result<std::map<std::string, api::QueuePush>> queue_push_read(Database& db) {
  Statement st = db.prepare(
      "SELECT name, push_url, push_concurrency, push_timeout_s FROM queues "
      "WHERE push_url IS NOT NULL OR push_concurrency IS NOT NULL OR push_timeout_s IS NOT NULL");
  std::map<std::string, api::QueuePush> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    auto concurrency = st.opt_int64(2);
    out.emplace(st.text(0), api::QueuePush{st.opt_text(1),
                                           concurrency ? std::optional<int>(static_cast<int>(*concurrency)) : std::nullopt,
                                           st.opt_real(3)});
  }
}

}  // namespace corral::sqlite
