#include "wire/request_body.hpp"

#include "wire/reply_json.hpp"
#include "wire/time_format.hpp"

#include <boost/json/parse.hpp>

namespace corral::wire {
namespace json = boost::json;

namespace {

// A number goes out as the double it is: serialize_json, which the client sends bodies with,
// writes whole ones as integers (300, not 3E2).
json::value number(double d) { return d; }

json::value seconds(core::Micros d) { return number(core::micros_to_seconds(d)); }

// JSON text as the value it holds. The client's texts come from serialize(), so they parse; any
// depth a server may accept is read.
json::value embedded(std::string const& text) {
  json::parse_options options;
  options.max_depth = kMaxReplyDepth;
  json::error_code ec;
  json::value v = json::parse(text, ec, json::storage_ptr(), options);
  return ec ? json::value(text) : v;
}

// Sets o[key] to convert(*v) if v holds a value.
template <class T, class Convert>
void put(json::object& o, std::string_view key, std::optional<T> const& v, Convert convert) {
  if (v) o[key] = convert(*v);
}
template <class T>
void put(json::object& o, std::string_view key, std::optional<T> const& v) {
  if (v) o[key] = *v;
}

json::object backoff_object(core::BackoffOverride const& b) {
  json::object o;
  put(o, "initial_s", b.initial_s, number);
  put(o, "multiplier", b.multiplier, number);
  put(o, "max_s", b.max_s, number);
  put(o, "jitter", b.jitter, number);
  return o;
}

// A progress field's three cases: left out (keep), null (clear), or its value.
template <class T, class Convert>
void put_update(json::object& o, std::string_view key, core::FieldUpdate<T> const& u, Convert convert) {
  if (!u) return;
  if (*u) {
    o[key] = convert(**u);
  } else {
    o[key] = nullptr;
  }
}

json::object progress_object(core::ProgressUpdate const& p) {
  auto text = [](std::string const& s) { return json::value(s); };
  json::object o;
  put_update(o, "percent", p.percent, number);
  put_update(o, "stage", p.stage, text);
  put_update(o, "message", p.message, text);
  put_update(o, "current", p.current, number);
  put_update(o, "total", p.total, number);
  return o;
}

}  // namespace

json::object enqueue_body(core::EnqueueRequest const& r) {
  json::object o{{"type", r.type}, {"payload", embedded(r.payload)}};
  put(o, "queue", r.queue);
  put(o, "priority", r.priority);
  put(o, "run_at", r.run_at, format_rfc3339);
  put(o, "delay_s", r.delay_s, number);
  put(o, "max_attempts", r.max_attempts);
  put(o, "timeout_s", r.timeout_s, number);
  put(o, "max_run_s", r.max_run_s, number);
  if (auto backoff = backoff_object(r.backoff); !backoff.empty()) o["backoff"] = std::move(backoff);
  put(o, "retryable", r.retryable);
  put(o, "idempotency_key", r.idempotency_key);
  put(o, "owner", r.owner);
  put(o, "metadata", r.metadata, embedded);
  put(o, "concurrency_key", r.concurrency_key);
  put(o, "start_by", r.start_by, format_rfc3339);
  put(o, "start_within_s", r.start_within_s, number);
  if (!r.depends_on.empty()) o["depends_on"] = json::array(r.depends_on.begin(), r.depends_on.end());
  if (r.on_parent_failure) o["on_parent_failure"] = core::to_string(*r.on_parent_failure);
  return o;
}

json::object enqueue_batch_body(std::span<core::EnqueueRequest const> jobs) {
  json::array items;
  items.reserve(jobs.size());
  for (auto const& job : jobs) items.emplace_back(enqueue_body(job));
  return json::object{{"jobs", std::move(items)}};
}

json::object fetch_body(api::FetchRequest const& r) {
  json::object o{{"queues", json::array(r.queues.begin(), r.queues.end())},
                 {"count", r.count},
                 {"wait_s", seconds(r.wait)}};
  if (!r.worker_id.empty()) o["worker_id"] = r.worker_id;
  put(o, "lease_s", r.lease, seconds);
  return o;
}

json::object heartbeat_body(api::HeartbeatRequest const& r) {
  json::object o{{"lease_token", r.lease_token}};
  put(o, "progress", r.progress, progress_object);
  put(o, "checkpoint", r.checkpoint, embedded);
  put(o, "extend_s", r.extend, seconds);
  return o;
}

json::object complete_body(api::CompleteRequest const& r) {
  json::object o{{"lease_token", r.lease_token}};
  put(o, "result", r.result, embedded);
  put(o, "progress", r.progress, progress_object);
  return o;
}

json::object fail_body(api::FailRequest const& r) {
  json::object o{{"lease_token", r.lease_token},
                 {"error", {{"code", r.error.code}, {"message", r.error.message}, {"retryable", r.error.retryable}}}};
  put(o, "retry_in_s", r.retry_in, seconds);
  return o;
}

json::object release_body(api::ReleaseRequest const& r) {
  json::object o{{"lease_token", r.lease_token}};
  if (r.delay != core::Micros(0)) o["delay_s"] = seconds(r.delay);
  return o;
}

}  // namespace corral::wire
