#include "support/list_all_jobs.hpp"

#include "wire/job_json.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace corral::test {

std::vector<core::Job> list_all_jobs(client::Client& api, std::string const& queue) {
  std::vector<core::Job> jobs;
  std::string cursor;
  do {
    auto const reply = api.get("/api/v1/jobs?queue=" + queue + "&limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor));
    auto const page = reply.json();
    if (reply.status != 200 || !page.is_object()) {
      throw std::runtime_error("listing queue " + queue + " failed: HTTP " + std::to_string(reply.status) + " " + reply.body);
    }
    for (auto const& j : page.at("jobs").as_array()) {
      auto job = wire::job_from_json(j);
      if (!job) throw std::runtime_error("unreadable job: " + boost::json::serialize(j));
      jobs.push_back(std::move(*job));
    }
    auto const* next = page.get_object().if_contains("next_cursor");
    cursor = next && next->is_string() ? std::string(next->get_string()) : "";
  } while (!cursor.empty());
  return jobs;
}

}  // namespace corral::test
