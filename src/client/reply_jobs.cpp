#include "client/reply_jobs.hpp"

#include "wire/job_json.hpp"
#include "wire/reply_json.hpp"

namespace corral::client {

core::Result<core::Job> job_of(Response const& reply) {
  auto v = wire::parse_reply(reply.body);
  if (!v) return v.error();
  return wire::job_from_json(*v);
}

core::Result<std::vector<core::Job>> jobs_of(Response const& reply) {
  auto v = wire::parse_reply(reply.body);
  if (!v) return v.error();
  return wire::jobs_from_json(*v);
}

}  // namespace corral::client
