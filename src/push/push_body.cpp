#include "push/push_body.hpp"

#include "wire/job_json.hpp"
#include "wire/json_text.hpp"
#include "wire/time_format.hpp"

#include <boost/json/object.hpp>

namespace corral::push {
namespace {

namespace json = boost::json;

json::value report_url(std::string_view public_url, std::string const& id, std::string_view action) {
  if (public_url.empty()) return nullptr;
  while (public_url.ends_with('/')) public_url.remove_suffix(1);
  return json::string(std::string(public_url) + "/api/v1/jobs/" + id + "/" + std::string(action));
}

}  // namespace

std::string push_body(core::Job const& job, std::string_view public_url) {
  json::object body;
  body["job"] = wire::to_json(job);
  body["lease_token"] = job.lease_token ? json::value(*job.lease_token) : json::value(nullptr);
  body["lease_expires_at"] =
      job.lease_expires_at ? json::value(wire::format_rfc3339(*job.lease_expires_at)) : json::value(nullptr);
  body["report"] = json::object{{"complete", report_url(public_url, job.id, "complete")},
                                {"fail", report_url(public_url, job.id, "fail")},
                                {"heartbeat", report_url(public_url, job.id, "heartbeat")}};
  return wire::serialize_json(body);
}

}  // namespace corral::push
