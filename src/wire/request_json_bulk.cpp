// The body of POST /api/v1/jobs/bulk and its reply. The filter's fields are strings read by the
// list's own reader (job_filter.hpp), so a bad value gets the message GET /jobs gives it.
#include "wire/request_json.hpp"

#include "core/enqueue_spec.hpp"
#include "wire/field_reader.hpp"
#include "wire/job_filter.hpp"
#include "wire/job_json.hpp"

namespace corral::wire {
namespace json = boost::json;

namespace {

std::optional<api::BulkAction> parse_action(std::string_view s) {
  if (s == "retry") return api::BulkAction::retry;
  if (s == "cancel") return api::BulkAction::cancel;
  if (s == "delete") return api::BulkAction::remove;
  return std::nullopt;
}

std::string_view to_string(api::BulkAction a) {
  switch (a) {
    case api::BulkAction::retry: return "retry";
    case api::BulkAction::cancel: return "cancel";
    case api::BulkAction::remove: return "delete";
  }
  return "retry";
}

std::vector<std::string> read_ids(FieldReader& r, json::array const& items) {
  std::vector<std::string> ids;
  if (items.empty() || items.size() > api::kMaxBulkIds) {
    r.fail("ids", "must hold 1..1000 job ids");
    return ids;
  }
  for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
    auto const name = "ids[" + std::to_string(i) + "]";
    if (!items[i].is_string()) {
      r.fail(name, "must be a string");
      break;
    }
    r.check(core::check_printable(name, items[i].get_string()));
    ids.emplace_back(items[i].get_string());
  }
  return ids;
}

api::JobFilter read_filter(FieldReader& outer, json::object const& object) {
  FieldReader r(object, "filter.");
  api::JobFilter filter;
  for (std::string_view name : filter_field_names()) {
    auto value = r.string(name);
    if (!r.ok()) break;
    // An empty value counts as absent, as in the list's query.
    if (value && !value->empty()) r.check(read_filter_field(name, *value, filter));
  }
  if (!r.finish()) outer.check(r.error());
  return filter;
}

}  // namespace

core::Result<api::BulkRequest> parse_bulk(json::value const& v) {
  auto object = body_object(v);
  if (!object) return object.error();
  FieldReader r(**object);
  api::BulkRequest req;
  r.require({"action"});
  if (auto action = r.string("action")) {
    if (auto parsed = parse_action(*action)) req.action = *parsed;
    else r.fail("action", "must be one of retry, cancel, delete");
  }
  auto const* ids = r.array("ids");
  auto const* filter = r.object("filter");
  req.dry_run = r.boolean("dry_run").value_or(false);
  if (r.ok() && (ids == nullptr) == (filter == nullptr)) {
    r.check(core::make_error(core::Errc::invalid_argument, "exactly one of ids and filter must be given"));
  }
  if (r.ok() && ids) req.ids = read_ids(r, *ids);
  if (r.ok() && filter) req.filter = read_filter(r, *filter);
  if (!r.finish()) return r.error();
  return req;
}

json::object to_json(api::BulkResult const& result) {
  json::object o{{"action", to_string(result.action)}, {"dry_run", result.dry_run}, {"matched", result.matched}};
  if (result.dry_run) {
    o["would_change"] = result.changed;
  } else {
    o["changed"] = result.changed;
    o["skipped"] = result.skipped();
  }
  return o;
}

}  // namespace corral::wire
