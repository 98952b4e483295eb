#include "queue/sqlite/queue_flow_store.hpp"

namespace corral::sqlite {

core::Result<void> queue_flow_write(Database& db, std::string const& queue, core::QueueFlow const& flow) {
  Statement st = db.prepare(
      "INSERT INTO queues (name, paused, rate_jobs, rate_per_s, rate_burst, priority_aging_per_s) "
      "VALUES (?1, 0, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (name) DO UPDATE SET rate_jobs = excluded.rate_jobs, rate_per_s = excluded.rate_per_s, "
      "rate_burst = excluded.rate_burst, priority_aging_per_s = excluded.priority_aging_per_s");
  auto const& rate = flow.rate_limit;
  st.bind(1, queue)
      .bind(2, rate ? std::optional<std::int64_t>(rate->jobs) : std::nullopt)
      .bind(3, rate ? std::optional<double>(rate->per_s) : std::nullopt)
      .bind(4, rate ? rate->burst : std::nullopt)
      .bind(5, flow.priority_aging_per_s);
  return st.run();
}

core::Result<std::map<std::string, core::QueueFlow>> queue_flow_read(Database& db) {
  Statement st = db.prepare(
      "SELECT name, rate_jobs, rate_per_s, rate_burst, priority_aging_per_s FROM queues "
      "WHERE rate_jobs IS NOT NULL OR priority_aging_per_s IS NOT NULL");
  std::map<std::string, core::QueueFlow> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    core::QueueFlow flow;
    if (auto jobs = st.opt_int64(1)) flow.rate_limit = core::QueueRateLimit{*jobs, st.opt_real(2).value_or(1), st.opt_int64(3)};
    flow.priority_aging_per_s = st.opt_real(4);
    out.emplace(st.text(0), flow);
  }
}

}  // namespace corral::sqlite
