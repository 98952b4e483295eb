// Queues' push settings in the embedded database (the columns of migration 014 on the queues
// table). Rare statements (a PATCH, the config file at start, a load), prepared each time. Writes
// run on the writer thread inside its batch's transaction.
#pragma once

#include "queue/requests.hpp"
#include "queue/sqlite/database.hpp"

#include <map>
#include <string>

namespace corral::sqlite {

// Replaces the queue's three push columns with `push` (creating its row if need be).
core::Result<void> queue_push_write(Database& db, std::string const& queue, api::QueuePush const& push);
// Every queue with any push column set.
core::Result<std::map<std::string, api::QueuePush>> queue_push_read(Database& db);

}  // namespace corral::sqlite
