// Every job of a queue, with its whole attempt history, read back through GET /api/v1/jobs page
// by page: the final state a fault test compares with what its clients were told.
#pragma once

#include "client/client.hpp"
#include "core/job.hpp"

#include <string>
#include <vector>

namespace corral::test {

// Throws std::runtime_error if a page is not a 200 or a job cannot be read.
std::vector<core::Job> list_all_jobs(client::Client& api, std::string const& queue);

}  // namespace corral::test
