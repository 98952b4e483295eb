#include "wire/event_json.hpp"

#include "core/job_state.hpp"
#include "wire/job_json.hpp"
#include "wire/time_format.hpp"

namespace corral::wire {
namespace json = boost::json;

namespace {

json::value optional_string(std::optional<std::string> const& s) { return s ? json::value(*s) : json::value(nullptr); }

}  // namespace

json::object to_json(core::JobEvent const& e) {
  json::object o;
  o.reserve(18);
  o["kind"] = core::to_string(e.kind);
  o["seq"] = e.seq;
  o["job_id"] = e.job_id;
  o["queue"] = e.queue;
  o["type"] = e.type;
  o["owner"] = optional_string(e.owner);
  o["priority"] = e.priority;
  o["status"] = core::to_string(e.status);
  o["attempt"] = e.attempt;
  o["worker_id"] = optional_string(e.worker_id);
  o["trace_id"] = e.trace_id.empty() ? json::value(nullptr) : json::value(e.trace_id);
  o["at"] = format_rfc3339(e.at);
  if (e.progress) o["progress"] = to_json(*e.progress);
  if (e.result) o["result"] = json_value_of_text(*e.result);
  if (e.error) o["error"] = to_json(*e.error);
  if (e.run_at) o["run_at"] = format_rfc3339(*e.run_at);
  if (e.queue_wait) o["queue_wait_s"] = core::micros_to_seconds(*e.queue_wait);
  if (e.run_time) o["run_time_s"] = core::micros_to_seconds(*e.run_time);
  return o;
}

void append_sse_message(std::string& out, std::optional<std::int64_t> id, std::string_view event,
                        std::string_view data) {
  if (id) out.append("id: ").append(std::to_string(*id)).append("\n");
  if (!event.empty()) out.append("event: ").append(event).append("\n");
  if (!data.empty()) out.append("data: ").append(data).append("\n");
  out += '\n';
}

void append_sse_comment(std::string& out, std::string_view text) { out.append(": ").append(text).append("\n\n"); }

}  // namespace corral::wire
