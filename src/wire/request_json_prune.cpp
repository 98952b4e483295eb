// The body of POST /api/v1/jobs/prune: how old, which ended states, which queue.
#include "wire/request_json.hpp"

#include "wire/field_reader.hpp"

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr char const* kStatusesExpected = "must be a non-empty array of completed, failed or cancelled";

// Ten years: far beyond any retention, and far from overflow once in microseconds.
constexpr Bounds kOlderThanSeconds{0, 10.0 * 365 * 86400};

std::vector<core::JobState> read_statuses(FieldReader& r) {
  std::vector<core::JobState> statuses{core::JobState::completed, core::JobState::failed, core::JobState::cancelled};
  json::value const* v = r.value("status");
  if (v == nullptr) return statuses;
  if (!v->is_array() || v->get_array().empty()) {
    r.fail("status", kStatusesExpected);
    return {};
  }
  statuses.clear();
  for (auto const& item : v->get_array()) {
    auto state = item.is_string() ? core::parse_job_state(item.get_string()) : std::nullopt;
    if (!state || !core::is_terminal(*state)) {
      r.fail("status", kStatusesExpected);
      return {};
    }
    statuses.push_back(*state);
  }
  return statuses;
}

}  // namespace

core::Result<api::PruneRequest> parse_prune(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::PruneRequest req;
  r.require({"older_than_s"});
  req.older_than = r.seconds("older_than_s", kOlderThanSeconds).value_or(core::Micros(0));
  req.statuses = read_statuses(r);
  req.queue = r.string("queue");
  if (r.ok() && req.queue) r.check(core::check_name(r.path("queue"), *req.queue));
  if (!r.finish()) return r.error();
  return req;
}

}  // namespace corral::wire
