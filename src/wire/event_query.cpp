#include "wire/event_query.hpp"

#include "core/enqueue_spec.hpp"

#include <algorithm>
#include <charconv>

namespace corral::wire {
namespace {

constexpr std::string_view kEventNames[] = {"queue", "type", "owner", "kind", "last_event_id", "stats"};
constexpr std::string_view kJobEventNames[] = {"last_event_id"};

core::Error invalid(std::string message) { return core::make_error(core::Errc::invalid_argument, std::move(message)); }

// Every value of parameter `name`, from each time it is given, split at commas; empty ones left out.
std::vector<std::string> values_of(QueryParams const& q, std::string_view name) {
  std::vector<std::string> out;
  auto [from, to] = q.equal_range(name);
  for (auto it = from; it != to; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      auto const comma = rest.find(',');
      auto const value = rest.substr(0, comma);
      if (!value.empty()) out.emplace_back(value);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return out;
}

std::string kind_names() {
  std::string names;
  for (auto k : core::all_job_event_kinds()) names += (names.empty() ? "" : ", ") + std::string(core::to_string(k));
  return names;
}

template <class T>
bool any_or_contains(std::vector<T> const& allowed, T const& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

core::Result<void> read_last_event_id(QueryParams const& q, EventQuery& query) {
  auto const ids = values_of(q, "last_event_id");
  if (ids.empty()) return {};
  auto id = parse_last_event_id(ids.front(), "last_event_id");
  if (!id) return id.error();
  query.last_event_id = *id;
  return {};
}

}  // namespace

bool EventFilter::matches(core::JobEvent const& e) const {
  if (job_id && e.job_id != *job_id) return false;
  return any_or_contains(queues, e.queue) && any_or_contains(types, e.type) && any_or_contains(kinds, e.kind) &&
         (owners.empty() || (e.owner && any_or_contains(owners, *e.owner)));
}

core::Result<std::int64_t> parse_last_event_id(std::string_view text, std::string_view field) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id < 0) {
    return invalid(std::string(field) + " must be an event id (a whole number 0 or more)");
  }
  return id;
}

core::Result<EventQuery> parse_event_query(QueryParams const& q) {
  if (auto e = check_query_names(q, kEventNames)) return *e;
  EventQuery query;
  for (auto [name, field] : {std::pair{"queue", &query.filter.queues}, std::pair{"type", &query.filter.types}}) {
    *field = values_of(q, name);
    for (auto const& value : *field) {
      if (auto e = core::check_name(name, value)) return *e;
    }
  }
  query.filter.owners = values_of(q, "owner");
  for (auto const& owner : query.filter.owners) {
    if (auto e = core::check_printable("owner", owner)) return *e;
  }
  for (auto const& name : values_of(q, "kind")) {
    auto kind = core::parse_job_event_kind(name);
    if (!kind) return invalid("kind must be one of " + kind_names() + " (got \"" + name + "\")");
    query.filter.kinds.push_back(*kind);
  }
  if (auto r = read_last_event_id(q, query); !r) return r.error();
  auto const stats = values_of(q, "stats");
  if (!stats.empty()) {
    if (stats.front() != "1" && stats.front() != "0" && stats.front() != "true" && stats.front() != "false") {
      return invalid("stats must be 1 or 0");
    }
    query.stats = stats.front() == "1" || stats.front() == "true";
  }
  return query;
}

core::Result<EventQuery> parse_job_event_query(QueryParams const& q, std::string job_id) {
  if (auto e = check_query_names(q, kJobEventNames)) return *e;
  EventQuery query;
  query.filter.job_id = std::move(job_id);
  if (auto r = read_last_event_id(q, query); !r) return r.error();
  return query;
}

}  // namespace corral::wire
