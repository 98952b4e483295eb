// The body of PATCH /api/v1/queues/{name}: the queue settings to change, each absent (kept), null
// (cleared) or a value (set). One row of kSettings per setting, so a new one is one more row.
#include "wire/request_json.hpp"

#include "core/concurrency_limits.hpp"
#include "wire/field_reader.hpp"

#include <string>

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr Bounds kLimitBounds{1, core::kMaxRunningLimit};

core::FieldUpdate<int> read_limit(FieldReader& r, json::object const& object, std::string_view name) {
  if (json::value const* v = object.if_contains(name); v != nullptr && v->is_null()) {
    (void)r.value(name);   // asked for, so finish() knows it
    return core::FieldUpdate<int>(std::in_place, std::nullopt);
  }
  auto value = r.integer(name, kLimitBounds);
  return value ? core::FieldUpdate<int>(std::in_place, value) : core::FieldUpdate<int>();
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
