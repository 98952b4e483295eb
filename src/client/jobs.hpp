// Typed calls on Corral's job endpoints, over a Client: requests written by wire/'s encoders and
// replies read by its decoders (the server's own field lists), so a program works with core::Job
// values rather than JSON. Every call throws ApiError (reply_error.hpp) when the server refuses
// it, with the server's code, status and message, and std::runtime_error when it cannot be
// reached. docs/api.md describes each endpoint.
//
//   client::Client client("http://127.0.0.1:7878");
//   client::Jobs jobs(client);
//   auto job = jobs.enqueue({.type = "report.build", .payload = R"({"report":42})"}).job;
//   job = jobs.wait(job.id, std::chrono::minutes(5));
//   if (job.status == core::JobState::completed) use(*job.result);
//
// Not thread-safe, as its Client is not.
#pragma once

#include "api/requests.hpp"
#include "client/client.hpp"
#include "client/reply_jobs.hpp"
#include "core/enqueue_spec.hpp"
#include "core/job.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace corral::client {

// GET /api/v1/jobs: filters (AND-ed; unset: any) and the page.
struct ListFilter {
  std::optional<core::JobState> status;
  std::optional<std::string> queue, type, owner;
  std::optional<int> limit;            // 1..1000; the server's default: 50
  std::optional<std::string> cursor;   // a previous page's next_cursor, with the same filters
};

struct JobList {
  std::vector<core::Job> jobs;              // newest first
  std::optional<std::string> next_cursor;   // absent on the last page
};

class Jobs {
 public:
  explicit Jobs(Client& client) : client_(client) {}

  // POST /jobs. created is false when request.idempotency_key named an existing job, which
  // comes back unchanged. request.trace_id is not sent: add a traceparent header to the Client.
  api::EnqueueResult enqueue(core::EnqueueRequest const& request);
  // POST /jobs/batch: all or nothing; the jobs in request order.
  std::vector<core::Job> enqueue_batch(std::span<core::EnqueueRequest const> requests);
  // The same with Prefer: return=minimal: each job's id and status, in request order (a known
  // idempotency key's job as it is now). For a producer of many jobs: a reply about a twentieth
  // the size, read in a fraction of the time.
  std::vector<JobRef> enqueue_batch_refs(std::span<core::EnqueueRequest const> requests);
  core::Job get(std::string const& id);
  // The job once it has ended (completed, failed or cancelled), or as it is when `timeout` has
  // passed: check core::is_terminal(job.status). Waits through the server's long-poll
  // (GET /jobs/{id}?wait=S, up to 60 s a request, repeated until the timeout), never by polling;
  // a server that answers early without an end (one shutting down) or is busy (503) is asked
  // again after a backoff.
  core::Job wait(std::string const& id, std::chrono::duration<double> timeout);
  JobList list(ListFilter const& filter = {});
  core::Job cancel(std::string const& id);   // running jobs come back with cancel_requested
  core::Job retry(std::string const& id);
  void remove(std::string const& id);         // DELETE: ended jobs only (409 wrong_state)

 private:
  Client& client_;
};

}  // namespace corral::client
