// The body of PATCH /api/v1/queues/{name}: the queue settings to change (its concurrency limits,
// push delivery, rate limit and priority aging), each absent (kept), null (cleared) or a value (set). One row of kSettings per setting, so a new one is one more row.
#include "wire/request_json.hpp"

#include "core/concurrency_limits.hpp"
#include "core/queue_flow.hpp"
#include "wire/field_reader.hpp"

#include <string>

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr Bounds kLimitBounds{1, core::kMaxRunningLimit};
// The ranges of the config file's [queues.NAME] push settings, so both mean the same.
constexpr Bounds kPushConcurrencyBounds{1, 1000};
constexpr Bounds kPushTimeoutBounds{0.1, 3600};
constexpr Bounds kRateJobsBounds{1, static_cast<double>(core::kMaxRateJobs)};
constexpr Bounds kRatePeriodBounds{core::kMinRatePeriodS, core::kMaxRatePeriodS};
constexpr Bounds kAgingBounds{core::kMinAgingPerS, core::kMaxAgingPerS};

// Null clears the setting; otherwise `read` reads its value (absent on a bad one, with r's error).
template <class T, class Read>
core::FieldUpdate<T> read_nullable(FieldReader& r, json::object const& object, std::string_view name, Read read) {
  if (json::value const* v = object.if_contains(name); v != nullptr && v->is_null()) {
    (void)r.value(name);   // asked for, so finish() knows it
    return core::FieldUpdate<T>(std::in_place, std::nullopt);
  }
  std::optional<T> value = read();
  return value ? core::FieldUpdate<T>(std::in_place, std::move(value)) : core::FieldUpdate<T>();
}

core::FieldUpdate<int> read_limit(FieldReader& r, json::object const& object, std::string_view name) {
  return read_nullable<int>(r, object, name, [&] { return r.integer(name, kLimitBounds); });
}

// Only that it is text here: whether its host is allowed is the handler's check, against the
// server's webhook_allowed_hosts.
core::FieldUpdate<std::string> read_push_url(FieldReader& r, json::object const& object) {
  return read_nullable<std::string>(r, object, "push_url", [&]() -> std::optional<std::string> {
    auto url = r.string("push_url");
    if (url && url->empty()) {
      r.fail("push_url", "must be an http:// or https:// URL, or null");
      return std::nullopt;
    }
    return url;
  });
}

// {"jobs": N, "per_s": S, "burst": B?}: a nested reader, so its errors and unknown fields are
// named "rate_limit.jobs" and so on.
core::FieldUpdate<core::QueueRateLimit> read_rate_limit(FieldReader& r, json::object const& object) {
  return read_nullable<core::QueueRateLimit>(r, object, "rate_limit", [&]() -> std::optional<core::QueueRateLimit> {
    auto const* o = r.object("rate_limit");
    if (o == nullptr) return std::nullopt;
    FieldReader inner(*o, "rate_limit.");
    inner.require({"jobs", "per_s"});
    core::QueueRateLimit out;
    if (auto jobs = inner.integer("jobs", kRateJobsBounds)) out.jobs = *jobs;
    if (auto per_s = inner.number("per_s", kRatePeriodBounds)) out.per_s = *per_s;
    if (auto burst = inner.integer("burst", kRateJobsBounds)) out.burst = *burst;
    if (!inner.finish()) {
      r.check(inner.error());
      return std::nullopt;
    }
    return out;
  });
}

struct Setting {
  std::string_view name;
  void (*read)(FieldReader& r, json::object const& object, api::QueueUpdate& out);
};

constexpr Setting kSettings[] = {
    {"max_running",
     [](FieldReader& r, json::object const& o, api::QueueUpdate& out) { out.max_running = read_limit(r, o, "max_running"); }},
    {"max_running_per_key",
     [](FieldReader& r, json::object const& o, api::QueueUpdate& out) {
       out.max_running_per_key = read_limit(r, o, "max_running_per_key");
     }},
    {"push_url", [](FieldReader& r, json::object const& o, api::QueueUpdate& out) { out.push_url = read_push_url(r, o); }},
    {"push_concurrency",
     [](FieldReader& r, json::object const& o, api::QueueUpdate& out) {
       out.push_concurrency =
           read_nullable<int>(r, o, "push_concurrency", [&] { return r.integer("push_concurrency", kPushConcurrencyBounds); });
     }},
    {"push_timeout_s",
     [](FieldReader& r, json::object const& o, api::QueueUpdate& out) {
       out.push_timeout_s =
           read_nullable<double>(r, o, "push_timeout_s", [&] { return r.number("push_timeout_s", kPushTimeoutBounds); });
     }},
    {"rate_limit", [](FieldReader& r, json::object const& o, api::QueueUpdate& out) { out.rate_limit = read_rate_limit(r, o); }},
    {"priority_aging_per_s",
     [](FieldReader& r, json::object const& o, api::QueueUpdate& out) {
       out.priority_aging_per_s = read_nullable<double>(
           r, o, "priority_aging_per_s", [&] { return r.number("priority_aging_per_s", kAgingBounds); });
     }},
};

}  // namespace

core::Result<api::QueueUpdate> parse_queue_update(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::QueueUpdate update;
  for (auto const& s : kSettings) s.read(r, **object, update);
  if (!r.finish()) return r.error();
  if ((*object)->empty()) {
    std::string names;
    for (auto const& s : kSettings) names.append(names.empty() ? "" : ", ").append(s.name);
    return core::make_error(core::Errc::invalid_argument, "the body must name at least one setting: " + names);
  }
  return update;
}

}  // namespace corral::wire
