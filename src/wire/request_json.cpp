// Request bodies: parsing the JSON text under limits, and the enqueue bodies (single and batch).
// The lease bodies (fetch, heartbeat, complete, fail, release) are in request_json_leases.cpp,
// the query strings in request_json_query.cpp; all of them read fields through FieldReader.
//
// Division of work with core::make_job: this file checks the shape (a string where a string
// belongs, an integer that fits int, a finite number, an RFC 3339 time) and priority, whose
// names and numbers are one rule with one message; make_job checks the other ranges and the
// name syntax, because the config loader's [job_types.NAME] values need the same checks. Its
// errors do not carry a batch index: a caller of make_job on a batch adds "jobs[i].".
//
// Rejected alternative: Boost.JSON's value_to with described structs. It reports the first
// mismatch as an error code that does not name the field, which the API promises to do.
#include "wire/request_json.hpp"

#include "core/priority.hpp"
#include "wire/field_reader.hpp"
#include "wire/json_text.hpp"

#include <boost/json/parse.hpp>

#include <map>
#include <tuple>

namespace corral::wire {
namespace json = boost::json;

namespace {

// Walks a parsed body for what the parser cannot limit: string (and key) length, and numbers
// Boost.JSON read as infinity (1e400). The path of the first offender names it in the message.
// The path is kept as a stack of keys and indexes and written out only for that message: written
// at every node, it was about 5 % of a batched enqueue's instructions.
class LimitCheck {
 public:
  explicit LimitCheck(std::size_t max_string_bytes) : max_string_bytes_(max_string_bytes) {}

  std::optional<core::Error> visit(json::value const& v) {
    switch (v.kind()) {
      case json::kind::string:
        if (v.get_string().size() > max_string_bytes_) return too_long(path());
        return std::nullopt;
      case json::kind::double_:
        if (!json_to_double(v)) return fail(path() + " must be a finite number");
        return std::nullopt;
      case json::kind::array: {
        auto const& items = v.get_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
          steps_.push_back(Step{{}, i, true});
          if (auto e = visit(items[i])) return e;
          steps_.pop_back();
        }
        return std::nullopt;
      }
      case json::kind::object:
        for (auto const& [key, item] : v.get_object()) {
          if (key.size() > max_string_bytes_) return too_long("a key in " + path());
          steps_.push_back(Step{key, 0, false});
          if (auto e = visit(item)) return e;
          steps_.pop_back();
        }
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

 private:
  struct Step {
    std::string_view key;   // a member's
    std::size_t index;      // an item's
    bool is_index;
  };

  // "body" for the body itself; a member of the body by its key ("payload.text"), an item by its
  // index ("jobs[3].payload", "body[2]").
  std::string path() const {
    std::string out = steps_.empty() || steps_.front().is_index ? "body" : "";
    for (auto const& step : steps_) {
      if (step.is_index) {
        out += "[" + std::to_string(step.index) + "]";
      } else {
        if (&step != &steps_.front()) out += '.';
        out += step.key;
      }
    }
    return out;
  }
  core::Error too_long(std::string const& what) const {
    return fail(what + " must be at most " + std::to_string(max_string_bytes_) + " bytes (json_max_string_bytes)");
  }
  static core::Error fail(std::string message) {
    return core::make_error(core::Errc::invalid_argument, std::move(message));
  }

  std::size_t max_string_bytes_;
  std::vector<Step> steps_;
};

// priority: an integer in range, or a name. Both forms are checked here so the message can say
// what is accepted in one sentence.
std::optional<int> read_priority(FieldReader& r) {
  json::value const* v = r.value("priority");
  if (v == nullptr) return std::nullopt;
  std::optional<int> priority = v->is_string() ? core::parse_priority_name(v->get_string()) : json_to_int(*v);
  if (!priority || *priority < core::kMinPriority || *priority > core::kMaxPriority) {
    r.fail("priority", "must be an integer -1000..1000 or one of low, normal, high");
    return std::nullopt;
  }
  return priority;
}

core::BackoffOverride read_backoff(FieldReader& r) {
  core::BackoffOverride backoff;
  json::object const* object = r.object("backoff");
  if (object == nullptr) return backoff;
  FieldReader fields(*object, r.path("backoff."));
  backoff.initial_s = fields.number("initial_s");
  backoff.multiplier = fields.number("multiplier");
  backoff.max_s = fields.number("max_s");
  backoff.jitter = fields.number("jitter");
  if (!fields.finish()) r.check(fields.error());
  return backoff;
}

// One enqueue body; `prefix` is "" for POST /jobs and "jobs[i]." in a batch.
core::Result<core::EnqueueRequest> read_enqueue(json::object const& object, std::string prefix) {
  FieldReader r(object, std::move(prefix));
  core::EnqueueRequest req;
  r.require({"type"});
  req.type = r.string("type").value_or("");
  req.queue = r.string("queue");
  req.payload = r.json_text("payload").value_or("{}");
  req.priority = read_priority(r);
  req.run_at = r.time("run_at");
  req.delay_s = r.number("delay_s");
  req.max_attempts = r.integer("max_attempts");
  req.timeout_s = r.number("timeout_s");
  req.max_run_s = r.number("max_run_s");
  req.backoff = read_backoff(r);
  req.retryable = r.boolean("retryable");
  req.idempotency_key = r.string("idempotency_key");
  req.owner = r.string("owner");
  if (json::object const* metadata = r.object("metadata")) req.metadata = serialize_json(*metadata);
  req.callback_url = r.string("callback_url");
  // Said at once, rather than as an unknown field: a job that recurs is a schedule's.
  for (std::string_view name : {"cron", "schedule"}) {
    if (object.contains(name)) r.fail(name, "is not an enqueue field: create a recurring schedule with POST /api/v1/schedules");
  }
  req.concurrency_key = r.string("concurrency_key");
  req.start_by = r.time("start_by");
  req.start_within_s = r.number("start_within_s");
  if (json::array const* parents = r.array("depends_on")) {
    for (std::size_t i = 0; i < parents->size(); ++i) {
      auto const& id = (*parents)[i];
      if (!id.is_string() || id.get_string().empty()) {
        r.fail("depends_on", "must be an array of job ids");
        break;
      }
      req.depends_on.emplace_back(id.get_string());
    }
  }
  if (auto policy = r.string("on_parent_failure")) {
    req.on_parent_failure = core::parse_on_parent_failure(*policy);
    if (!req.on_parent_failure) r.fail("on_parent_failure", "must be one of cancel, run");
  }
  if (!r.finish()) return r.error();
  return req;
}

// The batch's own object of a batch enqueue: {"id", "on_success", "on_complete"}, each optional;
// the jobs to run when it is done are appended to `requests`, marked as such.
std::optional<core::Error> read_batch(json::object const& object, std::vector<core::EnqueueRequest>& requests) {
  FieldReader r(object, "batch.");
  auto id = r.string("id");
  if (id) r.check(core::check_name("batch.id", *id));
  json::object const* on_success = r.object("on_success");
  json::object const* on_complete = r.object("on_complete");
  if (!r.finish()) return r.error();
  for (auto& req : requests) req.batch = id.value_or("");
  for (auto [body, role, prefix] : {std::tuple{on_success, core::BatchRole::on_success, "batch.on_success."},
                                    std::tuple{on_complete, core::BatchRole::on_complete, "batch.on_complete."}}) {
    if (body == nullptr) continue;
    auto req = read_enqueue(*body, prefix);
    if (!req) return req.error();
    if (!req->depends_on.empty() || req->on_parent_failure) {
      return core::make_error(core::Errc::invalid_argument,
                              std::string(prefix) + "depends_on is the batch's jobs; it cannot be given");
    }
    req->batch = id.value_or("");
    req->batch_role = role;
    requests.push_back(std::move(*req));
  }
  return std::nullopt;
}

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

}  // namespace

core::Result<json::value> parse_body(std::string_view body, JsonLimits const& limits) {
  if (is_blank(body)) return json::value(json::object());

  json::parse_options options;
  options.max_depth = limits.max_depth;  // comments, trailing commas and invalid UTF-8 stay off
  json::error_code ec;
  json::value v = json::parse(body, ec, json::storage_ptr(), options);
  if (ec == json::error::too_deep) {
    return core::make_error(core::Errc::invalid_json,
                            "JSON nesting too deep: more than " + std::to_string(limits.max_depth) + " levels (json_max_depth)");
  }
  if (ec) return core::make_error(core::Errc::invalid_json, "body is not valid JSON: " + ec.message());

  if (auto e = LimitCheck(limits.max_string_bytes).visit(v)) return *e;
  return v;
}

core::Result<core::EnqueueRequest> parse_enqueue(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  return read_enqueue(**object, "");
}

core::Result<core::EnqueueRequest> parse_enqueue_at(json::value const& v, std::string prefix) {
  if (!v.is_object()) return core::make_error(core::Errc::invalid_argument, prefix.substr(0, prefix.size() - 1) + " must be a JSON object");
  return read_enqueue(v.get_object(), std::move(prefix));
}

core::Result<std::vector<core::EnqueueRequest>> parse_enqueue_batch(json::value const& v,
                                                                   std::size_t max_jobs) {
  auto jobs = batch_items(v, max_jobs, "jobs", {"batch"});
  if (!jobs) return jobs.error();
  std::vector<core::EnqueueRequest> requests;
  requests.reserve((*jobs)->size());
  for (std::size_t i = 0; i < (*jobs)->size(); ++i) {
    auto item = batch_item(**jobs, i);
    if (!item) return item.error();
    auto req = read_enqueue(**item, "jobs[" + std::to_string(i) + "].");
    if (!req) return req.error();
    requests.push_back(std::move(*req));
  }

  // A key names one job; two jobs of one batch cannot both claim it.
  std::map<std::string_view, std::size_t> first_with_key;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!requests[i].idempotency_key) continue;
    auto [it, inserted] = first_with_key.emplace(*requests[i].idempotency_key, i);
    if (!inserted) {
      return core::make_error(core::Errc::invalid_argument,
                              "jobs[" + std::to_string(it->second) + "].idempotency_key and jobs[" +
                                  std::to_string(i) + "].idempotency_key are the same; a key may appear once in a batch");
    }
  }
  if (json::value const* batch = v.get_object().if_contains("batch")) {
    if (!batch->is_object()) return core::make_error(core::Errc::invalid_argument, "batch must be a JSON object");
    if (auto e = read_batch(batch->get_object(), requests)) return *e;
  }
  return requests;
}

}  // namespace corral::wire
