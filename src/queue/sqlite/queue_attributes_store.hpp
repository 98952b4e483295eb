// Queue attribute records in the embedded database (queue/queue_attributes.hpp): plain statements
// on the table of migration 009. Writes run on the writer thread inside its batch's transaction;
// reads on a reader connection.
#pragma once

#include "queue/queue_attributes.hpp"
#include "queue/sqlite/database.hpp"

#include <optional>
#include <vector>

namespace corral::sqlite {

core::Result<queue::QueueAttributesCreated> queue_attributes_create(Database& db, std::string const& queue,
                                                                     std::string const& attributes,
                                                                     core::TimePoint now);
core::Result<std::optional<queue::QueueAttributes>> queue_attributes_get(Database& db, std::string const& queue);
core::Result<std::vector<queue::QueueAttributes>> queue_attributes_list(Database& db,
                                                                        queue::QueueAttributesQuery const& query);
// not_found when the queue has no record.
core::Result<queue::QueueAttributes> queue_attributes_set(Database& db, std::string const& queue,
                                                          std::string const& attributes, core::TimePoint now);
core::Result<void> queue_attributes_delete(Database& db, std::string const& queue);

}  // namespace corral::sqlite
