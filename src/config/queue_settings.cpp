#include "config/queue_settings.hpp"

#include "config/toml_value.hpp"

namespace corral::config {

namespace {

// The range of the global retention settings (config.cpp), so an override means the same.
constexpr double kMaxRetentionS = 3153600000.0;

struct Key {
  std::string_view name;
  std::string_view help;
  std::optional<double> QueueSettings::*member;
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
    auto seconds = to_number(field, *value, 0, kMaxRetentionS);
    if (!seconds) return seconds.error();
    q.*(known->member) = *seconds;
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
