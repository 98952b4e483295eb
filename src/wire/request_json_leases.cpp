// The bodies a worker sends: fetch, and the reports on a lease (heartbeat, complete, fail,
// release). Unlike enqueue, nothing in core re-checks these values, so every range is checked
// here and named in the message.
#include "wire/request_json.hpp"

#include "core/enqueue_spec.hpp"
#include "wire/field_reader.hpp"

#include <limits>

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxFetchQueues = 32;
constexpr std::size_t kMaxWorkerIdBytes = 256;
constexpr Bounds kLeaseSeconds{1, 86400};
// Ten years, the cap core puts on an enqueue's delay_s: keeps the conversion to microseconds,
// and now + delay, far from overflow.
constexpr Bounds kDelaySeconds{0, 10.0 * 365 * 86400};

// Every report carries the token of the lease it reports on.
std::string read_lease_token(FieldReader& r) {
  r.require({"lease_token"});
  std::string token = r.string("lease_token").value_or("");
  if (r.ok() && token.empty()) r.fail("lease_token", "must not be empty");
  return token;
}

std::vector<std::string> read_queues(FieldReader& r) {
  json::value const* v = r.value("queues");
  if (v == nullptr) return {"default"};
  std::string const expected = "must be an array of 1.." + std::to_string(kMaxFetchQueues) + " queue names";
  if (!v->is_array() || v->get_array().empty() || v->get_array().size() > kMaxFetchQueues) {
    r.fail("queues", expected);
    return {};
  }
  std::vector<std::string> queues;
  auto const& items = v->get_array();
  for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
    std::string name = "queues[" + std::to_string(i) + "]";
    if (!items[i].is_string()) {
      r.fail(name, "must be a string");
      break;
    }
    queues.emplace_back(items[i].get_string());
    r.check(core::check_name(r.path(name), queues.back()));
  }
  return queues;
}

// One field of a progress update. Here, unlike elsewhere, null is not the same as absent: it
// clears the field (core::FieldUpdate).
template <class T>
core::FieldUpdate<T> progress_field(json::object const& object, std::string_view name, std::optional<T> value) {
  if (json::value const* v = object.if_contains(name); v != nullptr && v->is_null()) {
    return core::FieldUpdate<T>(std::in_place, std::nullopt);
  }
  return value ? core::FieldUpdate<T>(std::in_place, std::move(value)) : core::FieldUpdate<T>();
}

std::optional<core::ProgressUpdate> read_progress(FieldReader& r) {
  json::object const* object = r.object("progress");
  if (object == nullptr) return std::nullopt;
  FieldReader fields(*object, r.path("progress."));
  core::ProgressUpdate progress;
  progress.percent = progress_field(*object, "percent", fields.number("percent", {0, 100}));
  progress.stage = progress_field(*object, "stage", fields.string("stage"));
  progress.message = progress_field(*object, "message", fields.string("message"));
  progress.current = progress_field(*object, "current", fields.number("current", {0, kInfinity}));
  progress.total = progress_field(*object, "total", fields.number("total", {0, kInfinity}));
  if (!fields.finish()) r.check(fields.error());
  return progress;
}

api::CompleteRequest read_complete(FieldReader& r) {
  api::CompleteRequest req;
  req.lease_token = read_lease_token(r);
  req.result = r.json_text("result");
  req.progress = read_progress(r);
  return req;
}

core::JobError read_job_error(FieldReader& r) {
  core::JobError error{.code = "error", .message = "", .retryable = true};
  json::object const* object = r.object("error");
  if (object == nullptr) return error;
  FieldReader fields(*object, r.path("error."));
  error.message = fields.string("message").value_or("");
  error.code = fields.string("code").value_or("error");
  error.retryable = fields.boolean("retryable").value_or(true);
  if (!fields.finish()) r.check(fields.error());
  return error;
}

}  // namespace

core::Result<api::FetchRequest> parse_fetch(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::FetchRequest req;
  req.queues = read_queues(r);
  req.worker_id = r.string("worker_id").value_or("");
  if (r.ok() && !req.worker_id.empty()) {
    if (req.worker_id.size() > kMaxWorkerIdBytes) r.fail("worker_id", "must be at most 256 characters");
    r.check(core::check_printable(r.path("worker_id"), req.worker_id));
  }
  req.count = r.integer("count", {1, 100}).value_or(1);
  req.wait = r.seconds("wait_s", {0, 60}).value_or(core::Micros(0));
  req.lease = r.seconds("lease_s", kLeaseSeconds);
  if (!r.finish()) return r.error();
  return req;
}

core::Result<api::HeartbeatRequest> parse_heartbeat(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::HeartbeatRequest req;
  req.lease_token = read_lease_token(r);
  req.progress = read_progress(r);
  req.checkpoint = r.json_text("checkpoint");
  req.extend = r.seconds("extend_s", kLeaseSeconds);
  if (!r.finish()) return r.error();
  return req;
}

core::Result<api::CompleteRequest> parse_complete(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  auto req = read_complete(r);
  if (!r.finish()) return r.error();
  return req;
}

core::Result<std::vector<api::CompleteItem>> parse_complete_batch(json::value const& v, std::size_t max_jobs) {
  auto jobs = batch_items(v, max_jobs, "completions");
  if (!jobs) return jobs.error();
  std::vector<api::CompleteItem> items;
  items.reserve((*jobs)->size());
  for (std::size_t i = 0; i < (*jobs)->size(); ++i) {
    auto object = batch_item(**jobs, i);
    if (!object) return object.error();
    FieldReader item(**object, "jobs[" + std::to_string(i) + "].");
    item.require({"id"});
    std::string id = item.string("id").value_or("");
    if (item.ok() && id.empty()) item.fail("id", "must not be empty");
    auto report = read_complete(item);
    if (!item.finish()) return item.error();
    items.push_back(api::CompleteItem{std::move(id), std::move(report)});
  }
  return items;
}

core::Result<api::FailRequest> parse_fail(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::FailRequest req;
  req.lease_token = read_lease_token(r);
  req.error = read_job_error(r);
  req.retry_in = r.seconds("retry_in_s", kDelaySeconds);
  if (!r.finish()) return r.error();
  return req;
}

core::Result<api::ReleaseRequest> parse_release(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::ReleaseRequest req;
  req.lease_token = read_lease_token(r);
  req.delay = r.seconds("delay_s", kDelaySeconds).value_or(core::Micros(0));
  if (!r.finish()) return r.error();
  return req;
}

core::Result<void> parse_no_fields(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  if (!r.finish()) return r.error();
  return {};
}

}  // namespace corral::wire
