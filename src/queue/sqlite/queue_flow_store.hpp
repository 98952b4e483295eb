// Queues' rate limits and priority aging in the embedded database (the columns of migration 016
// on the queues table). Rare statements (a PATCH, the config file at start, a load), prepared each
// time. Writes run on the writer thread inside its batch's transaction.
#pragma once

#include "core/queue_flow.hpp"
#include "queue/sqlite/database.hpp"

#include <map>
#include <string>

namespace corral::sqlite {

// Replaces the queue's flow columns with `flow` (creating its row if need be).
core::Result<void> queue_flow_write(Database& db, std::string const& queue, core::QueueFlow const& flow);
// Every queue with a rate limit or aging.
core::Result<std::map<std::string, core::QueueFlow>> queue_flow_read(Database& db);

}  // namespace corral::sqlite
