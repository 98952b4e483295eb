// Building responses. error() holds the ONE table from error code to HTTP status, and counts
// each error reply for /metrics (refusals.hpp).
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <vector>

namespace corral::http::respond {

int status_of(core::Errc code);
Response json(int status, boost::json::value const& body);
Response error(core::Error const& e);
// A job, or {"jobs": [...]}, written as text without building a JSON value first.
Response job(int status, core::Job const& j, bool with_lease_token = false);
Response jobs(int status, std::vector<core::Job const*> const& js, bool with_lease_token = false);
// What an enqueue answers with `Prefer: return=minimal` (wire/prefer.hpp): each job as
// {"id", "status"}, and a Preference-Applied header that says so.
void append_job_reference(std::string& out, core::Job const& j);
Response job_reference(int status, core::Job const& j);
Response job_references(int status, std::vector<core::Job const*> const& js);
Response no_content();

}  // namespace corral::http::respond
