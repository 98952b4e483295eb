#include "config/schedule_settings.hpp"

#include "config/toml_value.hpp"
#include "core/cron.hpp"
#include "core/schedule_tick.hpp"
#include "core/time_zone.hpp"

namespace corral::config {

namespace {

struct Key {
  std::string_view name;
  std::string_view help;
};

Key const kKeys[] = {
    {"cron", "five fields, or six with seconds first, or @daily etc. (required)"},
    {"timezone", "IANA time zone the expression is read in (default UTC)"},
    {"job", "the enqueue body of each tick's job, as a JSON string (required)"},
    {"overlap", "allow, or skip while the previous job has not ended (default allow)"},
    {"catch_up", "none, or one: run the latest tick missed while down, once (default none)"},
    {"paused", "true: no tick runs (default false)"},
};

std::vector<std::string_view> key_names() {
  std::vector<std::string_view> names;
  for (auto const& k : kKeys) names.push_back(k.name);
  return names;
}

bool known(std::string_view key) {
  for (auto const& k : kKeys)
    if (k.name == key) return true;
  return false;
}

// The value of `key` as text, checked by `check` (which names what is wrong, or nothing).
template <class Check>
std::optional<core::Error> read_text(std::string& out, std::string const& field, Value const& v, Check check) {
  auto text = to_text(field, v);
  if (!text) return text.error();
  if (auto why = check(*text)) return invalid(field + ": " + *why);
  out = std::move(*text);
  return std::nullopt;
}

std::optional<std::string> none(std::string const&) { return std::nullopt; }

std::optional<core::Error> apply_key(ScheduleSettings& s, std::string const& key, std::string const& field, Value const& v) {
  if (key == "cron") {
    return read_text(s.cron, field, v, [](std::string const& t) -> std::optional<std::string> {
      if (auto spec = core::parse_cron(t); !spec) return spec.error().message;
      return std::nullopt;
    });
  }
  if (key == "timezone") {
    return read_text(s.timezone, field, v, [](std::string const& t) -> std::optional<std::string> {
      if (auto zone = core::find_time_zone(t); !zone) return zone.error().message;
      return std::nullopt;
    });
  }
  if (key == "overlap") {
    return read_text(s.overlap, field, v, [](std::string const& t) -> std::optional<std::string> {
      if (!core::parse_overlap(t)) return "must be allow or skip";
      return std::nullopt;
    });
  }
  if (key == "catch_up") {
    return read_text(s.catch_up, field, v, [](std::string const& t) -> std::optional<std::string> {
      if (!core::parse_catch_up(t)) return "must be none or one";
      return std::nullopt;
    });
  }
  if (key == "job") return read_text(s.job, field, v, none);
  auto paused = to_boolean(field, v);
  if (!paused) return paused.error();
  s.paused = *paused;
  return std::nullopt;
}

std::optional<core::Error> apply_schedule(ScheduleSettings& s, std::string const& prefix, toml::value const& v) {
  if (!v.is_table()) return invalid(prefix + " must be a table");
  for (auto const& key : sorted_keys(v.as_table())) {
    std::string const field = prefix + "." + key;
    if (!known(key)) return unknown_key(field, key_names());
    auto value = from_toml(field, v.as_table().at(key));
    if (!value) return value.error();
    if (auto err = apply_key(s, key, field, *value)) return err;
  }
  if (s.cron.empty()) return invalid(prefix + ".cron is required");
  if (s.job.empty()) return invalid(prefix + ".job is required");
  return std::nullopt;
}

}  // namespace

std::optional<core::Error> apply_schedules(ScheduleTable& table, toml::value const& schedules) {
  return apply_named_tables(table, "schedules", schedules, apply_schedule);
}

std::vector<SettingDoc> schedule_setting_docs() {
  std::vector<SettingDoc> docs;
  for (auto const& k : kKeys) docs.push_back({"schedules.NAME." + std::string(k.name), "", "", std::string(k.help)});
  return docs;
}

}  // namespace corral::config
