#include "queue/postgres/dependency_rows.hpp"

#include <boost/json.hpp>

namespace corral::postgres {
namespace {

template <class T>
boost::json::value nullable(std::optional<T> const& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

}  // namespace

DbResult<void> edges_insert(Connection& conn, std::vector<Edge> const& edges) {
  if (edges.empty()) return {};
  boost::json::array rows;
  for (auto const& [parent, child] : edges) rows.push_back({{"parent_id", parent}, {"child_id", child}});
  auto r = conn.query("corral_edges_insert",
                      "INSERT INTO corral_job_parents SELECT * FROM json_populate_recordset(NULL::corral_job_parents, $1::json)"
                      " ON CONFLICT DO NOTHING",
                      {boost::json::serialize(rows)});
  if (!r) return r.error();
  return {};
}

DbResult<std::vector<Edge>> edges_take(Connection& conn, std::vector<std::string> const& parent_ids) {
  std::vector<Edge> out;
  if (parent_ids.empty()) return out;
  boost::json::array ids;
  for (auto const& id : parent_ids) ids.emplace_back(id);
  auto rows = conn.query("corral_edges_take",
                         "DELETE FROM corral_job_parents WHERE parent_id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))"
                         " RETURNING parent_id, child_id",
                         {boost::json::serialize(ids)});
  if (!rows) return rows.error();
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) out.emplace_back(std::string(rows->text(i, 0)), std::string(rows->text(i, 1)));
  return out;
}

DbResult<void> batches_insert(Connection& conn, std::vector<api::BatchInfo> const& batches) {
  if (batches.empty()) return {};
  boost::json::array rows;
  for (auto const& b : batches) {
    rows.push_back({{"id", b.id}, {"owner", nullable(b.owner)}, {"created_at", core::to_unix_micros(b.created_at)},
                    {"on_success", nullable(b.on_success)}, {"on_complete", nullable(b.on_complete)}});
  }
  // Two nodes making one batch at once: the first row stays, and both requests' jobs are in it.
  auto r = conn.query("corral_batches_insert",
                      "INSERT INTO corral_batches SELECT * FROM json_populate_recordset(NULL::corral_batches, $1::json)"
                      " ON CONFLICT DO NOTHING",
                      {boost::json::serialize(rows)});
  if (!r) return r.error();
  return {};
}

DbResult<bool> batch_exists(Connection& conn, std::string const& id) {
  auto rows = conn.query("corral_batch_exists", "SELECT 1 FROM corral_batches WHERE id = $1", {id});
  if (!rows) return rows.error();
  return rows->size() > 0;
}

core::Result<api::BatchInfo> batch_read(Connection& conn, std::string const& id) {
  auto rows = conn.query("corral_batch_get",
                         "SELECT owner, created_at, on_success, on_complete FROM corral_batches WHERE id = $1", {id});
  if (!rows) return rows.error().error;
  if (rows->size() == 0) return core::make_error(core::Errc::not_found, "batch " + id + " not found");
  api::BatchInfo info{id, rows->opt_text(0, 0), core::from_unix_micros(rows->int64(0, 1)), rows->opt_text(0, 2),
                      rows->opt_text(0, 3), {}};
  // Through corral_jobs_by_batch; the jobs run when the batch is done are not of its count.
  auto counts = conn.query("corral_batch_counts",
                           "SELECT status, count(*)::bigint FROM corral_jobs WHERE batch_id = $1"
                           " AND id <> coalesce($2, '') AND id <> coalesce($3, '') GROUP BY status",
                           {id, info.on_success, info.on_complete});
  if (!counts) return counts.error().error;
  for (int i = 0; i < counts->size(); ++i) {
    if (auto s = core::parse_job_state(counts->text(i, 0))) info.counts[static_cast<std::size_t>(*s)] = counts->int64(i, 1);
  }
  return info;
}

}  // namespace corral::postgres
