// Request bodies and query strings -> validated request values, with errors that name the field.
//
// Every function returns invalid_json (body not JSON, or nested deeper than the limit) or
// invalid_argument whose message names the field ("priority must be an integer -1000..1000 or
// one of low, normal, high"; in a batch "jobs[3].priority ..."). An unknown field, top-level or
// in a fixed-shape object (backoff, progress, error, a batch item), is refused the same way
// (`unknown field "callback_url" (known: ...)`), and so is an unknown query parameter; the
// values a client shapes (payload, metadata, result, checkpoint) are taken as they are.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/error.hpp"
#include "api/requests.hpp"

#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace corral::wire {

struct JsonLimits {
  std::size_t max_depth = 64;           // nesting depth of any body
  std::size_t max_string_bytes = 1 << 20;
};

// An empty body parses as an empty object (actions without a body).
core::Result<boost::json::value> parse_body(std::string_view body, JsonLimits const& limits = {});

core::Result<core::EnqueueRequest> parse_enqueue(boost::json::value const& v);
// An enqueue body nested in another at `prefix` ("job."): its errors name the field in full.
core::Result<core::EnqueueRequest> parse_enqueue_at(boost::json::value const& v, std::string prefix);
core::Result<std::vector<core::EnqueueRequest>> parse_enqueue_batch(boost::json::value const& v,
                                                                   std::size_t max_jobs = 1000);
core::Result<api::FetchRequest> parse_fetch(boost::json::value const& v);
core::Result<api::HeartbeatRequest> parse_heartbeat(boost::json::value const& v);
core::Result<api::CompleteRequest> parse_complete(boost::json::value const& v);
// {"jobs": [{"id", "lease_token", "result"?}, ...]}: 1..max_jobs completions.
core::Result<std::vector<api::CompleteItem>> parse_complete_batch(boost::json::value const& v,
                                                                    std::size_t max_jobs = 1000);
core::Result<api::FailRequest> parse_fail(boost::json::value const& v);
core::Result<api::ReleaseRequest> parse_release(boost::json::value const& v);
// {"older_than_s": S, "status": ["completed", ...]?, "queue": "name"?}: older_than_s is required
// (0..10 years); status names ended states only, all three when absent.
core::Result<api::PruneRequest> parse_prune(boost::json::value const& v);
// {"action": "retry"|"cancel"|"delete", "ids": [...] | "filter": {...}, "dry_run": bool?}: exactly
// one of ids (1..1000 ids) and filter (the list's filters, job_filter.hpp; {} is every job).
core::Result<api::BulkRequest> parse_bulk(boost::json::value const& v);
// PATCH /queues/{name}: {"max_running": N|null?, "max_running_per_key": N|null?}, at least one
// field; N is 1..1000000, null clears the limit. Also "push_url": text|null, "push_concurrency":
// 1..1000|null, "push_timeout_s": 0.1..3600|null (null: back to the default), "rate_limit":
// {"jobs": 1..1000000, "per_s": 0.001..86400, "burst": 1..1000000?}|null, "priority_aging_per_s":
// 0.000001..1000|null.
core::Result<api::QueueUpdate> parse_queue_update(boost::json::value const& v);
// The body of a call that reads none (cancel, retry, delete, pause, resume, the GETs): absent,
// or an object with no fields.
core::Result<void> parse_no_fields(boost::json::value const& v);

using QueryParams = std::multimap<std::string, std::string, std::less<>>;
// Each query parser refuses a parameter it does not read, empty or not, with invalid_argument
// `unknown query parameter "x" (known: ...)`; parse_no_query, for calls that read no query,
// refuses any.
core::Result<api::ListQuery> parse_list_query(QueryParams const& q);
// ?wait=S[&progress=1] on GET /jobs/{id}: wait 0..60 seconds, fractional allowed, absent -> 0;
// progress 1 or 0, and 1 only with a wait.
core::Result<api::GetWait> parse_get_query(QueryParams const& q);
core::Result<void> parse_no_query(QueryParams const& q);
// The check every query parser makes first: invalid_argument for the first parameter of `q` not
// in `known`, for parsers in other files.
std::optional<core::Error> check_query_names(QueryParams const& q, std::span<std::string_view const> known);

}  // namespace corral::wire
