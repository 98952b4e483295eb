#include "wire/event_json.hpp"

#include "core/job_state.hpp"
#include "wire/json_writer.hpp"

namespace corral::wire {

void append_json_text(std::string& out, core::JobEvent const& e) {
  JsonWriter w(out);
  w.begin_object();
  w.key("kind").string(core::to_string(e.kind));
  w.key("seq").integer(e.seq);
  w.key("job_id").string(e.job_id);
  w.key("queue").string(e.queue);
  w.key("type").string(e.type);
  w.key("owner").opt_string(e.owner);
  w.key("priority").integer(e.priority);
  w.key("status").string(core::to_string(e.status));
  w.key("attempt").integer(e.attempt);
  w.key("worker_id").opt_string(e.worker_id);
  w.key("trace_id");
  if (e.trace_id.empty()) w.null(); else w.string(e.trace_id);
  w.key("at").time(e.at);
  if (e.progress) w.key("progress").progress(*e.progress);
  if (e.result) w.key("result").embed(*e.result);
  if (e.error) w.key("error").job_error(*e.error);
  if (e.run_at) w.key("run_at").time(*e.run_at);
  if (e.queue_wait) w.key("queue_wait_s").number(core::micros_to_seconds(*e.queue_wait));
  if (e.run_time) w.key("run_time_s").number(core::micros_to_seconds(*e.run_time));
  w.end_object();
}

std::string to_json_text(core::JobEvent const& e) {
  std::string out;
  append_json_text(out, e);
  return out;
}

void append_sse_event(std::string& out, core::JobEvent const& e) {
  out.append("id: ").append(std::to_string(e.seq)).append("\nevent: ").append(core::to_string(e.kind));
  out.append("\ndata: ");
  append_json_text(out, e);
  out.append("\n\n");
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
