#include "queue/sqlite/dependency_store.hpp"

namespace corral::sqlite {

DependencyStore::DependencyStore(Database& db)
    : db_(db),
      edge_insert_(db.prepare("INSERT OR IGNORE INTO job_parents (parent_id, child_id) VALUES (?1, ?2)")),
      edges_select_(db.prepare("SELECT child_id FROM job_parents WHERE parent_id = ?1")),
      edges_delete_(db.prepare("DELETE FROM job_parents WHERE parent_id = ?1")) {}

core::Result<void> DependencyStore::edge_insert(std::string const& parent_id, std::string const& child_id) {
  edge_insert_.bind(1, parent_id).bind(2, child_id);
  return edge_insert_.run();
}

core::Result<std::vector<std::string>> DependencyStore::edges_take(std::string const& parent_id) {
  std::vector<std::string> children;
  edges_select_.bind(1, parent_id);
  for (;;) {
    auto row = edges_select_.step();
    if (!row) {
      edges_select_.reset();
      return row.error();
    }
    if (!*row) break;
    children.push_back(edges_select_.text(0));
  }
  edges_select_.reset();
  if (children.empty()) return children;
  edges_delete_.bind(1, parent_id);
  if (auto r = edges_delete_.run(); !r) return r.error();
  return children;
}

core::Result<std::int64_t> DependencyStore::edge_count() {
  Statement st = db_.prepare("SELECT count(*) FROM job_parents");
  auto row = st.step();
  if (!row) return row.error();
  return st.int64(0);
}

core::Result<void> DependencyStore::batch_insert(api::BatchInfo const& batch) {
  Statement st = db_.prepare(
      "INSERT INTO batches (id, owner, created_at, on_success, on_complete) VALUES (?1, ?2, ?3, ?4, ?5)");
  st.bind(1, batch.id).bind(2, batch.owner).bind(3, core::to_unix_micros(batch.created_at));
  st.bind(4, batch.on_success).bind(5, batch.on_complete);
  return st.run();
}

core::Result<bool> DependencyStore::batch_exists(std::string const& id) {
  Statement st = db_.prepare("SELECT 1 FROM batches WHERE id = ?1");
  st.bind(1, id);
  auto row = st.step();
  if (!row) return row.error();
  return *row;
}

core::Result<std::optional<api::BatchInfo>> batch_read(Database& db, std::string const& id) {
  Statement st = db.prepare("SELECT owner, created_at, on_success, on_complete FROM batches WHERE id = ?1");
  st.bind(1, id);
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) return std::optional<api::BatchInfo>();
  api::BatchInfo info{id, st.opt_text(0), core::from_unix_micros(st.int64(1)), st.opt_text(2), st.opt_text(3), {}};
  // Through jobs_by_batch; the jobs run when the batch is done are not of its count.
  Statement counts = db.prepare(
      "SELECT status, count(*) FROM jobs WHERE batch_id = ?1 AND id <> coalesce(?2, '') AND id <> coalesce(?3, '') "
      "GROUP BY status");
  counts.bind(1, id).bind(2, info.on_success).bind(3, info.on_complete);
  for (;;) {
    auto r = counts.step();
    if (!r) return r.error();
    if (!*r) break;
    if (auto s = core::parse_job_state(counts.text(0))) info.counts[static_cast<std::size_t>(*s)] = counts.int64(1);
  }
  return std::optional<api::BatchInfo>(std::move(info));
}

}  // namespace corral::sqlite
