#include "client/reply_jobs.hpp"

#include "wire/job_json.hpp"
#include "wire/reply_json.hpp"

#include <algorithm>

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

core::Result<std::vector<JobRef>> job_refs_of(Response const& reply) {
  auto v = wire::parse_reply(reply.body);
  if (!v) return v.error();
  auto const bad = [](std::string what) { return core::make_error(core::Errc::invalid_argument, std::move(what)); };
  auto const* jobs = v->is_object() ? v->as_object().if_contains("jobs") : nullptr;
  if (jobs == nullptr || !jobs->is_array()) return bad("the reply has no jobs array");
  std::vector<JobRef> out;
  out.reserve(jobs->as_array().size());
  for (auto const& item : jobs->as_array()) {
    auto const* job = item.if_object();
    auto const* id = job ? job->if_contains("id") : nullptr;
    auto const* status = job ? job->if_contains("status") : nullptr;
    if (id == nullptr || !id->is_string() || status == nullptr || !status->is_string()) {
      return bad("a job of the reply has no id or status");
    }
    auto state = core::parse_job_state(status->as_string());
    if (!state) return bad("unknown status " + std::string(status->as_string()));
    out.push_back({std::string(id->as_string()), *state});
  }
  return out;
}

std::vector<std::string> completion_results(Response const& reply, std::size_t sent) {
  std::vector<std::string> out(sent, "no answer for this job in the reply");
  auto v = wire::parse_reply(reply.body);
  if (!v) {
    std::fill(out.begin(), out.end(), "unreadable reply: " + v.error().message);
    return out;
  }
  auto const* results = v->is_object() ? v->as_object().if_contains("results") : nullptr;
  if (results == nullptr || !results->is_array()) return out;
  auto const& array = results->as_array();
  for (std::size_t i = 0; i < std::min(sent, array.size()); ++i) {
    auto const* item = array[i].if_object();
    if (item == nullptr) continue;
    if (item->contains("status")) {
      out[i].clear();
    } else if (auto const* error = item->if_contains("error"); error != nullptr && error->is_object()) {
      auto text = [&](char const* key) {
        auto const* field = error->as_object().if_contains(key);
        return field != nullptr && field->is_string() ? std::string(field->as_string()) : std::string();
      };
      out[i] = text("code") + ": " + text("message");
    }
  }
  return out;
}

}  // namespace corral::client
