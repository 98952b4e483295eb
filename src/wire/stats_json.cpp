#include "wire/stats_json.hpp"

#include "core/priority.hpp"
#include "wire/job_json.hpp"
#include "wire/time_format.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace corral::wire {
namespace {

namespace json = boost::json;

constexpr std::pair<api::StatsWindow, std::string_view> kWindows[] = {
    {api::StatsWindow::hour, "1h"}, {api::StatsWindow::day, "24h"}, {api::StatsWindow::week, "7d"}};

// The names enqueue takes for the three named priorities; any other is its number.
std::string priority_name(int p) {
  switch (p) {
    case core::kPriorityLow: return "low";
    case core::kPriorityNormal: return "normal";
    case core::kPriorityHigh: return "high";
    default: return std::to_string(p);
  }
}

template <class Key, class Fn>
json::object object_of(std::map<Key, api::StateCounts> const& by, Fn name) {
  json::object out;
  for (auto const& [key, counts] : by) out[name(key)] = counts_json(counts);
  return out;
}

json::object summaries(std::map<std::string, api::DurationSummary> const& by_type) {
  json::object out;
  for (auto const& [type, d] : by_type) {
    out[type] = {{"count", d.count}, {"mean_s", d.mean_s}, {"p50_s", d.p50_s}, {"p95_s", d.p95_s}, {"p99_s", d.p99_s}};
  }
  return out;
}

json::array strings(std::vector<std::string> const& v) {
  json::array out;
  for (auto const& s : v) out.emplace_back(s);
  return out;
}

json::object worker_json(api::WorkerSeen const& w, bool with_id) {
  json::object out;
  if (with_id) out["worker_id"] = w.worker_id;
  out["queues"] = strings(w.queues);
  out["last_seen"] = format_rfc3339(w.last_seen);
  out["jobs_running"] = w.jobs_running;
  return out;
}

}  // namespace

std::string_view to_string(api::StatsWindow w) {
  for (auto const& [window, name] : kWindows) {
    if (window == w) return name;
  }
  return "1h";
}

core::Result<api::StatsQuery> parse_stats_query(QueryParams const& q) {
  for (auto const& [name, value] : q) {
    if (name != "window" && name != "queue" && name != "type") {
      return core::make_error(core::Errc::invalid_argument,
                              "unknown query parameter \"" + name + "\" (known: window, queue, type)");
    }
  }
  api::StatsQuery query;
  if (auto w = q.find("window"); w != q.end() && !w->second.empty()) {
    auto it = std::find_if(std::begin(kWindows), std::end(kWindows), [&](auto const& p) { return p.second == w->second; });
    if (it == std::end(kWindows)) return core::make_error(core::Errc::invalid_argument, "window must be 1h, 24h or 7d");
    query.window = it->first;
  }
  for (auto [name, field] : {std::pair{"queue", &query.queue}, std::pair{"type", &query.type}}) {
    if (auto v = q.find(name); v != q.end() && !v->second.empty()) {
      if (auto e = core::check_name(name, v->second)) return *e;
      *field = v->second;
    }
  }
  return query;
}

json::object to_json(api::Stats const& s) {
  json::array series;
  for (auto const& p : s.series) {
    series.push_back({{"start", format_rfc3339(p.start)}, {"completed", p.completed}, {"failed", p.failed}});
  }
  json::array errors;
  for (auto const& e : s.errors) {
    errors.push_back({{"code", e.code}, {"message", e.message}, {"count", e.count},
                      {"last_seen", format_rfc3339(e.last_seen)}, {"types", strings(e.types)}});
  }
  json::object oldest;
  for (auto const& [queue, age] : s.oldest_ready_age_s) oldest[queue] = age;
  json::array workers;
  for (auto const& w : s.workers) workers.push_back(worker_json(w, true));
  json::value success_rate = nullptr;
  if (s.success_rate) success_rate = *s.success_rate;
  json::value anonymous = nullptr;
  if (s.anonymous) anonymous = worker_json(*s.anonymous, false);
  return {
      {"window", to_string(s.window)},
      {"generated_at", format_rfc3339(s.now)},
      {"counts",
       {{"queues", object_of(s.by_queue, [](std::string const& k) { return k; })},
        {"types", object_of(s.by_type, [](std::string const& k) { return k; })},
        {"priorities", object_of(s.by_priority, priority_name)}}},
      {"completed", s.completed},
      {"failed", s.failed},
      {"success_rate", success_rate},
      {"series", {{"step_s", s.window == api::StatsWindow::hour ? 60 : 3600}, {"points", std::move(series)}}},
      {"queue_wait", summaries(s.queue_wait)},
      {"run_time", summaries(s.run_time)},
      {"errors", std::move(errors)},
      {"oldest_ready_age_s", std::move(oldest)},
      {"workers", std::move(workers)},
      {"anonymous_fetches", std::move(anonymous)},
  };
}

json::object to_json(api::Health const& h) {
  auto name = [](api::HealthStatus st) { return api::to_string(st); };
  json::array checks;
  for (auto const& c : h.checks) {
    checks.push_back({{"name", c.name}, {"status", name(c.status)}, {"value", c.value},
                      {"threshold", c.threshold}, {"message", c.message}});
  }
  return {{"status", name(h.status)}, {"checks", std::move(checks)}};
}

}  // namespace corral::wire
