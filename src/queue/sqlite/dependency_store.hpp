// The embedded backend's statements for dependencies and batches (migration 015): the edges from
// a parent that has not ended to each child waiting on it, and the batches.
//
// Not thread-safe: the writer has one; a reader makes its own for a batch read.
#pragma once

#include "api/requests.hpp"
#include "queue/sqlite/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace corral::sqlite {

class DependencyStore {
 public:
  explicit DependencyStore(Database& db);

  core::Result<void> edge_insert(std::string const& parent_id, std::string const& child_id);
  // The children waiting on `parent_id`, whose edges are removed: it has ended.
  core::Result<std::vector<std::string>> edges_take(std::string const& parent_id);
  // How many edges there are (at start: none means no job's end has children to look for).
  core::Result<std::int64_t> edge_count();

  core::Result<void> batch_insert(api::BatchInfo const& batch);
  core::Result<bool> batch_exists(std::string const& id);

 private:
  Database& db_;
  Statement edge_insert_, edges_select_, edges_delete_;
};

// The batch and its jobs' counts by state, read on any connection (a reader's).
core::Result<std::optional<api::BatchInfo>> batch_read(Database& db, std::string const& id);

}  // namespace corral::sqlite
