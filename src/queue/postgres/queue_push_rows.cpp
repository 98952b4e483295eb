#include "queue/postgres/queue_push_rows.hpp"

#include <charconv>

namespace corral::postgres {
namespace {

template <class T>
Param param(core::FieldUpdate<T> const& f) {
  if (!f || !*f) return std::nullopt;
  if constexpr (std::is_same_v<T, std::string>) {
    return **f;
  } else {
    // The shortest text that reads back as the same value.
    char buf[32];
    auto end = std::to_chars(buf, buf + sizeof buf, **f).ptr;
    return std::string(buf, end);
  }
}

}  // namespace

api::QueuePush read_push(Rows const& rows, int row, int col) {
  api::QueuePush out;
  out.url = rows.opt_text(row, col);
  if (auto n = rows.opt_int64(row, col + 1)) out.concurrency = static_cast<int>(*n);
  out.timeout_s = rows.opt_real(row, col + 2);
  return out;
}

DbResult<void> queue_push_update(Connection& conn, std::string const& queue, queue::QueueUpdate const& update) {
  if (!api::touches_push(update)) return {};
  auto flag = [](bool set) -> Param { return set ? "true" : "false"; };
  auto r = conn.query(
      "corral_update_queue_push",
      "UPDATE corral_queues SET"
      " push_url = CASE WHEN $5::boolean THEN $2::text ELSE push_url END,"
      " push_concurrency = CASE WHEN $6::boolean THEN $3::int ELSE push_concurrency END,"
      " push_timeout_s = CASE WHEN $7::boolean THEN $4::double precision ELSE push_timeout_s END"
      " WHERE name = $1",
      {queue, param(update.push_url), param(update.push_concurrency), param(update.push_timeout_s),
       flag(update.push_url.has_value()), flag(update.push_concurrency.has_value()),
       flag(update.push_timeout_s.has_value())});
  if (!r) return r.error();
  return {};
}

}  // namespace corral::postgres
