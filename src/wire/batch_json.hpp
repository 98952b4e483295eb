// A batch as GET /api/v1/batches/{id} shows it: its counts by state, and its own state worked out
// from them.
#pragma once

#include "api/requests.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace corral::wire {

// "active" while any of its jobs has not ended; then "succeeded" if every one completed, else
// "failed".
std::string_view batch_state(api::StateCounts const& counts);

boost::json::object to_json(api::BatchInfo const& batch);

}  // namespace corral::wire
