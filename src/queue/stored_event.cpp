#include "queue/stored_event.hpp"

#include "queue/stored_json.hpp"

#include <boost/json.hpp>

namespace corral::queue {
namespace json = boost::json;
namespace {

void put(json::object& o, std::string_view key, std::optional<std::string> const& v) {
  if (v) o[key] = *v;
}

std::optional<std::string> get_string(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<std::int64_t> get_int(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

core::Error malformed(std::string const& what) {
  return core::make_error(core::Errc::invalid_argument, "stored event: " + what);
}

}  // namespace

std::string stored_event(core::JobEvent const& e) {
  json::object o;
  o["kind"] = core::to_string(e.kind);
  o["at"] = core::to_unix_micros(e.at);
  o["job_id"] = e.job_id;
  o["queue"] = e.queue;
  o["type"] = e.type;
  put(o, "owner", e.owner);
  o["priority"] = e.priority;
  o["status"] = core::to_string(e.status);
  o["attempt"] = e.attempt;
  put(o, "worker_id", e.worker_id);
  if (!e.trace_id.empty()) o["trace_id"] = e.trace_id;
  if (e.progress) {
    std::string text;
    append_stored_progress(text, *e.progress);
    o["progress"] = text;
  }
  put(o, "result", e.result);
  if (e.error) o["error"] = {{"code", e.error->code}, {"message", e.error->message}, {"retryable", e.error->retryable}};
  if (e.run_at) o["run_at"] = core::to_unix_micros(*e.run_at);
  if (e.queue_wait) o["queue_wait_us"] = e.queue_wait->count();
  if (e.run_time) o["run_time_us"] = e.run_time->count();
  // So that every node's webhook dispatcher hears of a delivery to send, not only the writer's.
  if (e.webhook) o["webhook"] = true;
  return json::serialize(o);
}

core::Result<core::JobEvent> parse_stored_event(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return malformed("not a JSON object");
  auto const& o = v.get_object();
  core::JobEvent e;
  auto kind = get_string(o, "kind");
  auto parsed_kind = kind ? core::parse_job_event_kind(*kind) : std::nullopt;
  if (!parsed_kind) return malformed("unknown kind");
  e.kind = *parsed_kind;
  auto status = get_string(o, "status");
  auto parsed_status = status ? core::parse_job_state(*status) : std::nullopt;
  if (!parsed_status) return malformed("unknown status");
  e.status = *parsed_status;
  e.at = core::from_unix_micros(get_int(o, "at").value_or(0));
  e.job_id = get_string(o, "job_id").value_or("");
  e.queue = get_string(o, "queue").value_or("");
  e.type = get_string(o, "type").value_or("");
  e.owner = get_string(o, "owner");
  e.priority = static_cast<int>(get_int(o, "priority").value_or(0));
  e.attempt = static_cast<int>(get_int(o, "attempt").value_or(0));
  e.worker_id = get_string(o, "worker_id");
  e.trace_id = get_string(o, "trace_id").value_or("");
  if (auto p = get_string(o, "progress")) {
    auto progress = parse_stored_progress(*p);
    if (!progress) return progress.error();
    e.progress = *progress;
  }
  e.result = get_string(o, "result");
  if (auto const* err = o.if_contains("error"); err && err->is_object()) {
    auto const& eo = err->get_object();
    auto const* retryable = eo.if_contains("retryable");
    e.error = core::JobError{get_string(eo, "code").value_or(""), get_string(eo, "message").value_or(""),
                             !retryable || !retryable->is_bool() || retryable->get_bool()};
  }
  if (auto r = get_int(o, "run_at")) e.run_at = core::from_unix_micros(*r);
  if (auto w = get_int(o, "queue_wait_us")) e.queue_wait = core::Micros(*w);
  if (auto r = get_int(o, "run_time_us")) e.run_time = core::Micros(*r);
  if (auto const* w = o.if_contains("webhook"); w && w->is_bool()) e.webhook = w->get_bool();
  return e;
}

}  // namespace corral::queue
