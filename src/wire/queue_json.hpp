// The queue object of the API (GET /api/v1/queues, PATCH /api/v1/queues/{name}, pause, resume, the
// event stream's `stats`): its counts, limits and push settings (wire/job_json.hpp's to_json), and
// its flow settings, rate_limit and priority_aging_per_s (core/queue_flow.hpp), null while unset.
#pragma once

#include "api/requests.hpp"

#include <boost/json/object.hpp>

namespace corral::wire {

boost::json::object to_queue_json(api::QueueInfo const& q);

}  // namespace corral::wire
