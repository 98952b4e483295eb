#include "config/queue_settings.hpp"

#include "config/toml_value.hpp"
#include "core/concurrency_limits.hpp"

namespace corral::config {

namespace {

// The range of the global retention settings (config.cpp), so an override means the same.
constexpr double kMaxRetentionS = 3153600000.0;

// A key holds a number of seconds (retention) or a limit (an integer 1..kMaxRunningLimit).
struct Key {
  std::string_view name;
  std::string_view help;
  std::optional<double> QueueSettings::*seconds = nullptr;
  std::optional<int> QueueSettings::*limit = nullptr;
};

Key const kKeys[] = {
    {"retention_completed_s",
     "seconds the queue's completed jobs are kept after they ended, 0..3153600000, in place of retention_completed_s; "
     "0 keeps them for ever",
     &QueueSettings::retention_completed_s},
    {"retention_failed_s",
     "seconds the queue's failed and cancelled jobs are kept after they ended, 0..3153600000, in place of "
     "retention_failed_s; 0 keeps them for ever",
     &QueueSettings::retention_failed_s},
    {"max_running",
     "at most this many of the queue's jobs run at once, 1..1000000; written to the queue at start, over a "
     "limit set with PATCH /api/v1/queues/NAME",
     nullptr, &QueueSettings::max_running},
    {"max_running_per_key",
     "at most this many of the queue's jobs with one concurrency_key run at once, 1..1000000; written to the "
     "queue at start, over a limit set with PATCH /api/v1/queues/NAME",
     nullptr, &QueueSettings::max_running_per_key},
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
    auto value = from_toml(field, v.as_table().at(key));
    if (!value) return value.error();
    if (known->limit) {
      auto limit = to_integer(field, *value, 1, core::kMaxRunningLimit);
      if (!limit) return limit.error();
      q.*(known->limit) = static_cast<int>(*limit);
      continue;
    }
    auto seconds = to_number(field, *value, 0, kMaxRetentionS);
    if (!seconds) return seconds.error();
    q.*(known->seconds) = *seconds;
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
