// The PostgreSQL backend's statements for dependencies and batches (migration 014): the edges
// from a parent that has not ended to each child waiting on it, and the batches.
#pragma once

#include "api/requests.hpp"
#include "queue/postgres/connection.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace corral::postgres {

// (parent id, child id)
using Edge = std::pair<std::string, std::string>;

DbResult<void> edges_insert(Connection& conn, std::vector<Edge> const& edges);
// The edges from parents `parent_ids` (which have ended), removed: one statement for all.
DbResult<std::vector<Edge>> edges_take(Connection& conn, std::vector<std::string> const& parent_ids);

DbResult<void> batches_insert(Connection& conn, std::vector<api::BatchInfo> const& batches);
DbResult<bool> batch_exists(Connection& conn, std::string const& id);
// The batch and its jobs' counts by state; not_found when there is none.
core::Result<api::BatchInfo> batch_read(Connection& conn, std::string const& id);

}  // namespace corral::postgres
