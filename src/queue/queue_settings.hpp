// Queue settings given at start (the config file's [queues.NAME] limits), written through the
// service as PATCH /api/v1/queues/{name} writes them, so that both backends keep them alike and
// every node of a deployment writes the same.
#pragma once

#include "queue/queue_service.hpp"

#include <map>
#include <string>

namespace corral::queue {

// Waits for each update in turn, on an io_context of its own (before the server runs); the first
// error, naming its queue ("queues.NAME: ...").
core::Result<void> apply_queue_settings(QueueService& queue, std::map<std::string, QueueUpdate> const& settings);

}  // namespace corral::queue
