// Reading back the state a fault left behind: the jobs a restarted server lists, as the History
// compares them (and, from integrity.hpp, the SQLite file's own check).
#pragma once

#include "core/job.hpp"
#include "faults/integrity.hpp"
#include "http/api_helpers.hpp"

#include <vector>

namespace corral::test {

// Every job the server lists (up to 1000), with the fields History::check matches on: id,
// idempotency key (none if the job has none), attempt and status.
inline std::vector<core::Job> listed_jobs(Client& api) {
  std::vector<core::Job> jobs;
  auto const page = list_jobs(api, "limit=1000");   // kept: the loop reads into it
  for (auto const& listed : page.at("jobs").as_array()) {
    auto const& j = listed.as_object();
    core::Job job;
    job.id = str(j, "id");
    if (j.at("idempotency_key").is_string()) job.idempotency_key = str(j, "idempotency_key");
    job.attempt = static_cast<int>(num(j, "attempt"));
    job.status = core::parse_job_state(str(j, "status")).value_or(core::JobState::queued);
    jobs.push_back(job);
  }
  return jobs;
}

}  // namespace corral::test
