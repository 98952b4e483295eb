#include "queue/sqlite/queue_attributes_store.hpp"

namespace corral::sqlite {
namespace {

constexpr std::string_view kColumns = "queue, attributes, created_at, updated_at";

queue::QueueAttributes read_row(Statement const& st) {
  return {st.text(0), st.text(1), core::from_unix_micros(st.int64(2)), core::from_unix_micros(st.int64(3))};
}

core::Error no_record(std::string const& queue) {
  return core::make_error(core::Errc::not_found, "queue " + queue + " has no attributes");
}

}  // namespace

core::Result<queue::QueueAttributesCreated> queue_attributes_create(Database& db, std::string const& queue,
                                                                     std::string const& attributes,
                                                                     core::TimePoint now) {
  auto existing = queue_attributes_get(db, queue);
  if (!existing) return existing.error();
  if (*existing) return queue::QueueAttributesCreated{std::move(**existing), false};
  auto st = db.prepare("INSERT INTO queue_attributes (queue, attributes, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)");
  st.bind(1, queue).bind(2, attributes).bind(3, core::to_unix_micros(now));
  if (auto r = st.run(); !r) return r.error();
  return queue::QueueAttributesCreated{{queue, attributes, now, now}, true};
}

core::Result<std::optional<queue::QueueAttributes>> queue_attributes_get(Database& db, std::string const& queue) {
  auto st = db.prepare("SELECT " + std::string(kColumns) + " FROM queue_attributes WHERE queue = ?1");
  st.bind(1, queue);
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) return std::optional<queue::QueueAttributes>{};
  return std::optional(read_row(st));
}

core::Result<std::vector<queue::QueueAttributes>> queue_attributes_list(Database& db,
                                                                        queue::QueueAttributesQuery const& query) {
  auto st = db.prepare("SELECT " + std::string(kColumns) +
                       " FROM queue_attributes WHERE substr(queue, 1, length(?1)) = ?1 AND queue > ?2"
                       " ORDER BY queue LIMIT ?3");
  st.bind(1, query.prefix).bind(2, query.after).bind(3, query.limit);
  std::vector<queue::QueueAttributes> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read_row(st));
  }
}

core::Result<queue::QueueAttributes> queue_attributes_set(Database& db, std::string const& queue,
                                                          std::string const& attributes, core::TimePoint now) {
  auto st = db.prepare("UPDATE queue_attributes SET attributes = ?2, updated_at = ?3 WHERE queue = ?1");
  st.bind(1, queue).bind(2, attributes).bind(3, core::to_unix_micros(now));
  if (auto r = st.run(); !r) return r.error();
  if (sqlite3_changes(db.handle()) == 0) return no_record(queue);
  auto stored = queue_attributes_get(db, queue);
  if (!stored) return stored.error();
  return std::move(**stored);
}

core::Result<void> queue_attributes_delete(Database& db, std::string const& queue) {
  auto st = db.prepare("DELETE FROM queue_attributes WHERE queue = ?1");
  st.bind(1, queue);
  if (auto r = st.run(); !r) return r;
  if (sqlite3_changes(db.handle()) == 0) return no_record(queue);
  return {};
}

}  // namespace corral::sqlite
