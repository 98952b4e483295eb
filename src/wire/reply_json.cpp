#include "wire/reply_json.hpp"

#include "wire/job_json.hpp"

#include <boost/json/parse.hpp>

namespace corral::wire {
namespace json = boost::json;

core::Result<json::value> parse_reply(std::string_view body) {
  json::parse_options options;
  options.max_depth = kMaxReplyDepth;
  json::error_code ec;
  json::value v = json::parse(body, ec, json::storage_ptr(), options);
  if (ec) return core::make_error(core::Errc::invalid_json, "reply is not valid JSON: " + ec.message());
  return v;
}

core::Result<std::vector<core::Job>> jobs_from_json(json::value const& reply) {
  auto const* object = reply.if_object();
  auto const* jobs = object ? object->if_contains("jobs") : nullptr;
  if (jobs == nullptr || !jobs->is_array()) {
    return core::make_error(core::Errc::invalid_argument, "reply must be an object with a jobs array");
  }
  std::vector<core::Job> out;
  out.reserve(jobs->get_array().size());
  for (auto const& item : jobs->get_array()) {
    auto job = job_from_json(item);
    if (!job) {
      return core::make_error(core::Errc::invalid_argument,
                              "jobs[" + std::to_string(out.size()) + "]: " + job.error().message);
    }
    out.push_back(std::move(*job));
  }
  return out;
}

}  // namespace corral::wire
