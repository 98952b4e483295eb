#include "http/respond.hpp"

#include "core/job_state.hpp"
#include "http/refusals.hpp"
#include "wire/job_json.hpp"
#include "wire/json_text.hpp"

namespace corral::http::respond {

int status_of(core::Errc code) {
  using core::Errc;
  switch (code) {
    case Errc::invalid_json:
    case Errc::invalid_argument: return 400;
    case Errc::not_found: return 404;
    case Errc::method_not_allowed: return 405;
    case Errc::wrong_state:
    case Errc::stale_lease:
    case Errc::run_time_exceeded: return 409;
    case Errc::payload_too_large: return 413;
    case Errc::unsupported_media_type: return 415;
    case Errc::storage_full:
    case Errc::storage_unavailable:
    case Errc::shutting_down:
    case Errc::too_many_connections:
    case Errc::too_many_long_polls:
    case Errc::too_many_streams: return 503;
    case Errc::internal: return 500;
    case Errc::unauthenticated: return 401;
    case Errc::forbidden: return 403;
    case Errc::rate_limited: return 429;
    case Errc::already_exists: return 409;
  }
  return 500;
}

Response json(int status, boost::json::value const& body) {
  return Response{status, wire::serialize_json(body), "application/json", {}};
}

Response error(core::Error const& e) {
  count_refusal(e.code);
  auto r = json(status_of(e.code), wire::to_json(e));
  // A limit that frees up by itself, or a database that is back once it restarts or fails over:
  // tell the client when to come back rather than at once.
  if (e.code == core::Errc::too_many_connections || e.code == core::Errc::too_many_long_polls ||
      e.code == core::Errc::too_many_streams || e.code == core::Errc::storage_unavailable) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

Response job(int status, core::Job const& j, bool with_lease_token) {
  return Response{status, wire::to_json_text(j, with_lease_token), "application/json", {}};
}

namespace {

// {"jobs": [each job as `append` writes it]}
template <class Append>
Response job_list(int status, std::vector<core::Job const*> const& js, std::size_t bytes_per_job, Append append) {
  std::string body;
  body.reserve(16 + js.size() * bytes_per_job);
  body += R"({"jobs":[)";
  for (std::size_t i = 0; i < js.size(); ++i) {
    if (i > 0) body += ',';
    append(body, *js[i]);
  }
  body += "]}";
  return Response{status, std::move(body), "application/json", {}};
}

Response minimal(Response r) {
  r.headers.emplace_back("Preference-Applied", "return=minimal");
  return r;
}

}  // namespace

Response jobs(int status, std::vector<core::Job const*> const& js, bool with_lease_token) {
  return job_list(status, js, 1024, [with_lease_token](std::string& out, core::Job const& j) {
    wire::append_json_text(out, j, with_lease_token);
  });
}

void append_job_reference(std::string& out, core::Job const& j) {
  out += R"({"id":)";
  wire::append_json_string(out, j.id);
  out += R"(,"status":)";
  wire::append_json_string(out, core::to_string(j.status));
  out += '}';
}

Response job_reference(int status, core::Job const& j) {
  std::string body;
  append_job_reference(body, j);
  return minimal(Response{status, std::move(body), "application/json", {}});
}

Response job_references(int status, std::vector<core::Job const*> const& js) {
  return minimal(job_list(status, js, 64, append_job_reference));
}

Response no_content() { return Response{204, "", "", {}}; }

}  // namespace corral::http::respond
