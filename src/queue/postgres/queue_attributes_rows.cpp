#include "queue/postgres/queue_attributes_rows.hpp"

namespace corral::postgres {
namespace {

constexpr std::string_view kColumns = "queue, attributes, created_at, updated_at";
constexpr std::string_view kNow = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

queue::QueueAttributes read_row(Rows const& rows, int row) {
  return {std::string(rows.text(row, 0)), std::string(rows.text(row, 1)),
          core::from_unix_micros(rows.int64(row, 2)), core::from_unix_micros(rows.int64(row, 3))};
}

core::Error no_record(std::string const& queue) {
  return core::make_error(core::Errc::not_found, "queue " + queue + " has no attributes");
}

// The one row a statement RETURNING the record gave, or not_found when it touched none.
core::Result<queue::QueueAttributes> the_row(DbResult<Rows> const& rows, std::string const& queue) {
  if (!rows) return rows.error().error;
  if (rows->size() == 0) return no_record(queue);
  return read_row(*rows, 0);
}

}  // namespace

core::Result<queue::QueueAttributesCreated> queue_attributes_create(Connection& conn, std::string const& queue,
                                                                     std::string const& attributes) {
  // One reading of the clock, so that a new record's created_at and updated_at are equal.
  static std::string const insert = "WITH clock AS (SELECT " + std::string(kNow) +
                                    " AS us) INSERT INTO corral_queue_attributes (" + std::string(kColumns) +
                                    ") SELECT $1, $2, us, us FROM clock ON CONFLICT (queue) DO NOTHING RETURNING " +
                                    std::string(kColumns);
  auto inserted = conn.query("corral_queue_attributes_insert", insert, {queue, attributes});
  if (!inserted) return inserted.error().error;
  if (inserted->size() == 1) return queue::QueueAttributesCreated{read_row(*inserted, 0), true};
  // Another node's insert won, or the record was there: it stays as it was.
  auto existing = queue_attributes_get(conn, queue);
  if (!existing) return existing.error();
  return queue::QueueAttributesCreated{std::move(*existing), false};
}

core::Result<queue::QueueAttributes> queue_attributes_get(Connection& conn, std::string const& queue) {
  static std::string const select =
      "SELECT " + std::string(kColumns) + " FROM corral_queue_attributes WHERE queue = $1";
  return the_row(conn.query("corral_queue_attributes_get", select, {queue}), queue);
}

core::Result<std::vector<queue::QueueAttributes>> queue_attributes_list(Connection& conn,
                                                                        queue::QueueAttributesQuery const& query) {
  static std::string const select = "SELECT " + std::string(kColumns) +
                                    " FROM corral_queue_attributes WHERE substr(queue, 1, length($1)) = $1"
                                    " AND queue COLLATE \"C\" > $2 ORDER BY queue COLLATE \"C\" LIMIT $3::int";
  auto rows = conn.query("corral_queue_attributes_list", select,
                         {query.prefix, query.after, std::to_string(query.limit)});
  if (!rows) return rows.error().error;
  std::vector<queue::QueueAttributes> out;
  for (int i = 0; i < rows->size(); ++i) out.push_back(read_row(*rows, i));
  return out;
}

core::Result<queue::QueueAttributes> queue_attributes_set(Connection& conn, std::string const& queue,
                                                          std::string const& attributes) {
  static std::string const update = "UPDATE corral_queue_attributes SET attributes = $2, updated_at = " +
                                    std::string(kNow) + " WHERE queue = $1 RETURNING " + std::string(kColumns);
  return the_row(conn.query("corral_queue_attributes_set", update, {queue, attributes}), queue);
}

core::Result<void> queue_attributes_delete(Connection& conn, std::string const& queue) {
  auto rows = conn.query("corral_queue_attributes_delete",
                         "DELETE FROM corral_queue_attributes WHERE queue = $1 RETURNING queue", {queue});
  if (!rows) return rows.error().error;
  if (rows->size() == 0) return no_record(queue);
  return {};
}

}  // namespace corral::postgres
