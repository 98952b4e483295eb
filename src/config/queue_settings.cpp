#include "config/queue_settings.hpp"

#include "config/toml_value.hpp"
#include "core/concurrency_limits.hpp"
#include "core/queue_flow.hpp"

namespace corral::config {

namespace {

// The range of the global retention settings (config.cpp), so an override means the same.
constexpr double kMaxRetentionS = 3153600000.0;

using Apply = std::optional<core::Error> (*)(QueueSettings&, std::string const& field, Value const&);
// A setting that is a table of its own (rate_limit = { jobs = 50, per_s = 1 }).
using ApplyTable = std::optional<core::Error> (*)(QueueSettings&, std::string const& field, toml::value const&);

struct Key {
  std::string_view name;
  std::string_view help;
  Apply apply;
  ApplyTable apply_table = nullptr;
};

template <std::optional<double> QueueSettings::*member>
std::optional<core::Error> retention(QueueSettings& q, std::string const& field, Value const& v) {
  auto seconds = to_number(field, v, 0, kMaxRetentionS);
  if (!seconds) return seconds.error();
  q.*member = *seconds;
  return std::nullopt;
}

// Only that it is text here: whether its host is allowed is the server's check at start, against
// webhook_allowed_hosts, with the same rule as a callback_url.
std::optional<core::Error> push_url(QueueSettings& q, std::string const& field, Value const& v) {
  auto url = to_text(field, v);
  if (!url) return url.error();
  if (url->empty()) return invalid(field + " must be an http:// or https:// URL");
  q.push_url = *url;
  return std::nullopt;
}

std::optional<core::Error> push_concurrency(QueueSettings& q, std::string const& field, Value const& v) {
  auto n = to_integer(field, v, 1, 1000);
  if (!n) return n.error();
  q.push_concurrency = static_cast<int>(*n);
  return std::nullopt;
}

std::optional<core::Error> push_timeout(QueueSettings& q, std::string const& field, Value const& v) {
  auto seconds = to_number(field, v, 0.1, 3600);
  if (!seconds) return seconds.error();
  q.push_timeout_s = *seconds;
  return std::nullopt;
}

template <std::optional<int> QueueSettings::*member>
std::optional<core::Error> limit(QueueSettings& q, std::string const& field, Value const& v) {
  auto n = to_integer(field, v, 1, core::kMaxRunningLimit);
  if (!n) return n.error();
  q.*member = static_cast<int>(*n);
  return std::nullopt;
}

std::optional<core::Error> aging(QueueSettings& q, std::string const& field, Value const& v) {
  auto rate = to_number(field, v, core::kMinAgingPerS, core::kMaxAgingPerS);
  if (!rate) return rate.error();
  q.priority_aging_per_s = *rate;
  return std::nullopt;
}

// The same fields and ranges as PATCH's "rate_limit" object (wire/request_json_queue.cpp).
std::optional<core::Error> rate_limit(QueueSettings& q, std::string const& field, toml::value const& v) {
  if (!v.is_table()) return invalid(field + " must be a table { jobs = N, per_s = S, burst = B }");
  core::QueueRateLimit out;
  bool has_jobs = false;
  bool has_per_s = false;
  for (auto const& key : sorted_keys(v.as_table())) {
    std::string const sub = field + "." + key;
    auto value = from_toml(sub, v.as_table().at(key));
    if (!value) return value.error();
    auto const max_jobs = static_cast<double>(core::kMaxRateJobs);
    if (key == "jobs") {
      auto n = to_integer(sub, *value, 1, max_jobs);
      if (!n) return n.error();
      out.jobs = *n;
      has_jobs = true;
    } else if (key == "per_s") {
      auto s = to_number(sub, *value, core::kMinRatePeriodS, core::kMaxRatePeriodS);
      if (!s) return s.error();
      out.per_s = *s;
      has_per_s = true;
    } else if (key == "burst") {
      auto n = to_integer(sub, *value, 1, max_jobs);
      if (!n) return n.error();
      out.burst = *n;
    } else {
      return unknown_key(sub, {"jobs", "per_s", "burst"});
    }
  }
  if (!has_jobs) return invalid(field + ".jobs is required");
  if (!has_per_s) return invalid(field + ".per_s is required");
  q.rate_limit = out;
  return std::nullopt;
}

Key const kKeys[] = {
    {"retention_completed_s",
     "seconds the queue's completed jobs are kept after they ended, 0..3153600000, in place of retention_completed_s; "
     "0 keeps them for ever",
     &retention<&QueueSettings::retention_completed_s>},
    {"retention_failed_s",
     "seconds the queue's failed and cancelled jobs are kept after they ended, 0..3153600000, in place of "
     "retention_failed_s; 0 keeps them for ever",
     &retention<&QueueSettings::retention_failed_s>},
    {"push_url",
     "the http(s) URL the server POSTs each of the queue's jobs to (push delivery); its host must be allowed by "
     "webhook_allowed_hosts, or the server does not start; unset: workers fetch the queue's jobs",
     &push_url},
    {"push_concurrency", "most POSTs to the queue's push_url in flight at once, 1..1000 (default 8)",
     &push_concurrency},
    {"push_timeout_s",
     "seconds one POST to the queue's push_url may take, connect to the reply's end, 0.1..3600 (default 30); "
     "then the attempt fails with push_timeout",
     &push_timeout},
    {"max_running",
     "at most this many of the queue's jobs run at once, 1..1000000; written to the queue at start, over a "
     "limit set with PATCH /api/v1/queues/NAME",
     &limit<&QueueSettings::max_running>},
    {"max_running_per_key",
     "at most this many of the queue's jobs with one concurrency_key run at once, 1..1000000; written to the "
     "queue at start, over a limit set with PATCH /api/v1/queues/NAME",
     &limit<&QueueSettings::max_running_per_key>},
    {"rate_limit",
     "a table { jobs = N, per_s = S, burst = B }: at most N of the queue's jobs start per S seconds (N 1..1000000, "
     "S 0.001..86400), as a token bucket holding B (1..1000000, default N); written to the queue at start, over one "
     "set with PATCH /api/v1/queues/NAME",
     nullptr, &rate_limit},
    {"priority_aging_per_s",
     "priority points a ready job of the queue gains per second of waiting, 0.000001..1000, so low-priority work "
     "is served under a constant stream of high-priority work; written to the queue at start, as its limits are",
     &aging},
};

Key const* find_key(std::string_view name) {
  for (auto const& k : kKeys)
    if (k.name == name) return &k;
  return nullptr;
}

std::vector<std::string_view> key_names() {
  std::vector<std::string_view> names;
  for (auto const& k : kKeys) names.push_back(k.name);
  return names;
}

std::optional<core::Error> apply_queue(QueueSettings& q, std::string const& prefix, toml::value const& v) {
  if (!v.is_table()) return invalid(prefix + " must be a table");
  for (auto const& key : sorted_keys(v.as_table())) {
    std::string const field = prefix + "." + key;
    auto const* known = find_key(key);
    if (!known) return unknown_key(field, key_names());
    if (known->apply_table) {
      if (auto err = known->apply_table(q, field, v.as_table().at(key))) return err;
      continue;
    }
    auto value = from_toml(field, v.as_table().at(key));
    if (!value) return value.error();
    if (auto err = known->apply(q, field, *value)) return err;
  }
  return std::nullopt;
}

}  // namespace

std::optional<core::Error> apply_queues(QueueTable& table, toml::value const& queues) {
  return apply_named_tables(table, "queues", queues, apply_queue);
}

std::vector<SettingDoc> queue_setting_docs() {
  std::vector<SettingDoc> docs;
  for (auto const& k : kKeys) docs.push_back({"queues.NAME." + std::string(k.name), "", "", std::string(k.help)});
  return docs;
}

}  // namespace corral::config
