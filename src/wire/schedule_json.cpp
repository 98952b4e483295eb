#include "wire/schedule_json.hpp"

#include "core/enqueue_spec.hpp"
#include "core/schedule_tick.hpp"
#include "wire/field_reader.hpp"
#include "wire/job_json.hpp"
#include "wire/json_text.hpp"
#include "wire/request_json.hpp"
#include "wire/time_format.hpp"

namespace corral::wire {
namespace {

namespace json = boost::json;

}  // namespace

core::Result<core::EnqueueRequest> parse_schedule_job(json::value const& job) {
  auto req = parse_enqueue_at(job, "job.");
  if (!req) return req.error();
  // The ranges an enqueue's job is held to (the type's defaults aside: a tick's job takes them
  // from the server's config at each tick).
  if (auto made = core::make_job(*req, nullptr, "", 0, reply_time()); !made) {
    return core::make_error(made.error().code, "job." + made.error().message);
  }
  if (req->idempotency_key) {
    return core::make_error(core::Errc::invalid_argument,
                            "job.idempotency_key is set by each tick, from the schedule's name and tick");
  }
  return req;
}

namespace {

// The fields a POST and a PATCH share, read into `change`.
void read_fields(FieldReader& r, api::ScheduleChange& change) {
  change.cron = r.string("cron");
  change.timezone = r.string("timezone");
  change.overlap = r.string("overlap");
  if (change.overlap && !core::parse_overlap(*change.overlap)) r.fail("overlap", "must be allow or skip");
  change.catch_up = r.string("catch_up");
  if (change.catch_up && !core::parse_catch_up(*change.catch_up)) r.fail("catch_up", "must be none or one");
  change.paused = r.boolean("paused");
  if (json::value const* job = r.value("job")) {
    if (auto req = parse_schedule_job(*job); !req) r.check(req.error());
    else change.job = serialize_json(*job);
  }
}

core::Result<api::ScheduleChange> read_change(json::value const& v, api::Schedule* created) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  if (created) {
    r.require({"name", "cron", "job"});
    created->name = r.string("name").value_or("");
    if (r.ok()) r.check(core::check_name("name", created->name));
  }
  api::ScheduleChange change;
  read_fields(r, change);
  if (!r.finish()) return r.error();
  return change;
}

json::value optional_time(std::optional<core::TimePoint> const& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

}  // namespace

core::Result<api::Schedule> parse_schedule(json::value const& v) {
  api::Schedule s;
  auto change = read_change(v, &s);
  if (!change) return change.error();
  return change->applied_to(std::move(s));
}

core::Result<api::ScheduleChange> parse_schedule_change(json::value const& v) { return read_change(v, nullptr); }

json::object to_json(api::Schedule const& s) {
  json::object o;
  o["name"] = s.name;
  o["cron"] = s.cron;
  o["timezone"] = s.timezone;
  o["job"] = json_value_of_text(s.job);
  o["overlap"] = s.overlap;
  o["catch_up"] = s.catch_up;
  o["paused"] = s.paused;
  o["next_run_at"] = optional_time(s.next_run_at);
  o["last_tick_at"] = optional_time(s.last_tick_at);
  o["last_job_id"] = s.last_job_id ? json::value(*s.last_job_id) : json::value(nullptr);
  o["created_at"] = format_rfc3339(s.created_at);
  o["updated_at"] = format_rfc3339(s.updated_at);
  return o;
}

}  // namespace corral::wire
