// Queue attribute records in PostgreSQL (queue/queue_attributes.hpp): one statement each, on the
// table of migration 008, each committing on its own (autocommit), by the database's clock.
//
// Not thread-safe: each call uses the connection it is given.
#pragma once

#include "queue/postgres/connection.hpp"
#include "queue/queue_attributes.hpp"

#include <vector>

namespace corral::postgres {

core::Result<queue::QueueAttributesCreated> queue_attributes_create(Connection& conn, std::string const& queue,
                                                                     std::string const& attributes);
core::Result<queue::QueueAttributes> queue_attributes_get(Connection& conn, std::string const& queue);
core::Result<std::vector<queue::QueueAttributes>> queue_attributes_list(Connection& conn,
                                                                        queue::QueueAttributesQuery const& query);
core::Result<queue::QueueAttributes> queue_attributes_set(Connection& conn, std::string const& queue,
                                                          std::string const& attributes);
core::Result<void> queue_attributes_delete(Connection& conn, std::string const& queue);

}  // namespace corral::postgres
