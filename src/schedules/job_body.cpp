#include "schedules/job_body.hpp"

#include "wire/request_json.hpp"
#include "wire/schedule_json.hpp"

namespace corral::schedules {

core::Result<core::EnqueueRequest> parse_job_text(std::string_view text) {
  auto v = wire::parse_body(text, wire::JsonLimits{});
  if (!v) return core::make_error(v.error().code, "job: " + v.error().message);
  return wire::parse_schedule_job(*v);
}

}  // namespace corral::schedules
