#include "wire/queue_json.hpp"

#include "wire/job_json.hpp"

namespace corral::wire {

namespace json = boost::json;

namespace {

json::value rate_limit_json(std::optional<core::QueueRateLimit> const& limit) {
  if (!limit) return nullptr;
  // The burst in effect: unset means the bucket holds `jobs`.
  return json::object{{"jobs", limit->jobs}, {"per_s", limit->per_s}, {"burst", limit->burst.value_or(limit->jobs)}};
}

}  // namespace

json::object to_queue_json(api::QueueInfo const& q) {
  json::object out = to_json(q);
  out["rate_limit"] = rate_limit_json(q.flow.rate_limit);
  out["priority_aging_per_s"] = q.flow.priority_aging_per_s ? json::value(*q.flow.priority_aging_per_s) : nullptr;
  return out;
}

}  // namespace corral::wire
