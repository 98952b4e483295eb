// Picks the backend from the --db URL: "sqlite:PATH" (the default). "postgres://..." comes with
// the PostgreSQL backend.
#pragma once

#include "core/enqueue_spec.hpp"
#include "queue/queue_service.hpp"

#include <memory>
#include <string>

namespace corral::queue {

core::Result<std::unique_ptr<QueueService>> open_queue(std::string const& db_url, core::JobTypeTable job_types);

}  // namespace corral::queue
