#include "config/job_types.hpp"

#include "config/toml_value.hpp"
#include "core/priority.hpp"

#include <algorithm>

namespace corral::config {

namespace {

using core::JobTypeDefaults;
using Apply = std::optional<core::Error> (*)(JobTypeDefaults&, std::string const& field, Value const& v);

// The limits core::make_job applies to the same fields, so a config that loads never yields
// defaults that every enqueue of the type would then reject.
constexpr double kMaxAttempts = 1000;
constexpr double kMaxTimeoutS = 86400;
constexpr double kMaxRunS = 604800;
constexpr double kMaxBackoffS = 10.0 * 365 * 86400;
constexpr double kMaxMultiplier = 1000;

template <class T, class U>
std::optional<core::Error> store(core::Result<U> r, std::optional<T>& into) {
  if (!r) return r.error();
  into = static_cast<T>(*r);
  return std::nullopt;
}

std::optional<core::Error> apply_priority(JobTypeDefaults& d, std::string const& field, Value const& v) {
  std::optional<int> priority;
  if (auto const* n = std::get_if<std::int64_t>(&v); n && *n >= core::kMinPriority && *n <= core::kMaxPriority) {
    priority = static_cast<int>(*n);
  } else if (auto const* name = std::get_if<std::string>(&v)) {
    priority = core::parse_priority_name(*name);
  }
  if (!priority) return invalid(field + " must be an integer -1000..1000 or one of low, normal, high");
  d.priority = priority;
  return std::nullopt;
}

// A job carries its stages in its row and in every reply; a type with more is a mistake.
constexpr std::size_t kMaxStages = 64;

// Each stage a name a progress report can send back (printable, as progress.stage), none twice,
// since a report names the stage it enters.
std::optional<core::Error> apply_stages(JobTypeDefaults& d, std::string const& field, Value const& v) {
  auto names = to_text_list(field, v);
  if (!names) return names.error();
  if (names->size() > kMaxStages) return invalid(field + " may list at most " + std::to_string(kMaxStages) + " stages");
  for (std::size_t i = 0; i < names->size(); ++i) {
    auto const& name = (*names)[i];
    if (auto err = core::check_printable(field + "[" + std::to_string(i) + "]", name)) return err;
    if (std::find(names->begin(), names->begin() + static_cast<std::ptrdiff_t>(i), name) != names->begin() + static_cast<std::ptrdiff_t>(i))
      return invalid(field + " names the stage \"" + name + "\" twice");
  }
  d.stages = std::move(*names);
  return std::nullopt;
}

struct Key {
  std::string_view name;
  std::string_view help;
  Apply apply;
};

Key const kKeys[] = {
    {"queue", "queue the type's jobs go to when enqueue names none",
     [](JobTypeDefaults& d, std::string const& f, Value const& v) -> std::optional<core::Error> {
       auto name = to_text(f, v);
       if (!name) return name.error();
       if (auto err = core::check_name(f, *name)) return err;
       d.queue = *name;
       return std::nullopt;
     }},
    {"priority", "integer -1000..1000 or low|normal|high", apply_priority},
    {"max_attempts", "attempts before a job is failed for good, 1..1000",
     [](JobTypeDefaults& d, std::string const& f, Value const& v) { return store(to_integer(f, v, 1, kMaxAttempts), d.max_attempts); }},
    {"timeout_s", "lease length in seconds, 1..86400",
     [](JobTypeDefaults& d, std::string const& f, Value const& v) { return store(to_number(f, v, 1, kMaxTimeoutS), d.timeout_s); }},
    {"max_run_s", "cap on one attempt's run time in seconds, 1..604800",
     [](JobTypeDefaults& d, std::string const& f, Value const& v) { return store(to_number(f, v, 1, kMaxRunS), d.max_run_s); }},
    {"retryable", "false: any failure is final",
     [](JobTypeDefaults& d, std::string const& f, Value const& v) { return store(to_boolean(f, v), d.retryable); }},
    {"stages", "the type's stages in order, e.g. [\"download\", \"render\"]: a progress report naming one starts it",
     apply_stages},
    // Checked against webhook_allowed_hosts when the server starts, as an enqueue's is when given.
    {"callback_url", "http(s) URL POSTed each job of the type when it ends, when enqueue names none",
     [](JobTypeDefaults& d, std::string const& f, Value const& v) -> std::optional<core::Error> {
       auto url = to_text(f, v);
       if (!url) return url.error();
       if (!url->starts_with("http://") && !url->starts_with("https://")) {
         return invalid(f + " must be an http:// or https:// URL");
       }
       d.callback_url = *url;
       return std::nullopt;
     }},
    // A table, read by apply_backoff(); listed here so that errors and docs name it.
    {"backoff", "retry delays: a [job_types.NAME.backoff] table or an inline table of the keys below", nullptr},
};

using ApplyBackoff = std::optional<core::Error> (*)(core::BackoffOverride&, std::string const&, Value const&);

struct BackoffKey {
  std::string_view name;
  std::string_view help;
  ApplyBackoff apply;
};

BackoffKey const kBackoffKeys[] = {
    {"initial_s", "delay after the first failure, >= 0",
     [](core::BackoffOverride& b, std::string const& f, Value const& v) { return store(to_number(f, v, 0, kMaxBackoffS), b.initial_s); }},
    {"multiplier", "growth per further failure, 1..1000",
     [](core::BackoffOverride& b, std::string const& f, Value const& v) { return store(to_number(f, v, 1, kMaxMultiplier), b.multiplier); }},
    {"max_s", "cap on the delay, >= initial_s",
     [](core::BackoffOverride& b, std::string const& f, Value const& v) { return store(to_number(f, v, 0, kMaxBackoffS), b.max_s); }},
    {"jitter", "random spread as a fraction, 0..1",
     [](core::BackoffOverride& b, std::string const& f, Value const& v) { return store(to_number(f, v, 0, 1), b.jitter); }},
};

template <class Range>
std::vector<std::string_view> names_of(Range const& keys) {
  std::vector<std::string_view> names;
  for (auto const& k : keys) names.push_back(k.name);
  return names;
}

// Finds `key` among `keys` and applies the TOML value `v` with it.
template <class Range, class Target>
std::optional<core::Error> apply_key(Range const& keys, Target& target, std::string const& field,
                                     std::string const& key, toml::value const& v) {
  for (auto const& k : keys) {
    if (k.name != key || !k.apply) continue;
    auto value = from_toml(field, v);
    if (!value) return value.error();
    return k.apply(target, field, *value);
  }
  return unknown_key(field, names_of(keys));
}

std::optional<core::Error> apply_backoff(core::BackoffOverride& b, std::string const& prefix, toml::value const& v) {
  if (!v.is_table()) return invalid(prefix + " must be a table");
  for (auto const& key : sorted_keys(v.as_table())) {
    if (auto err = apply_key(kBackoffKeys, b, prefix + "." + key, key, v.as_table().at(key))) return err;
  }
  // Checked against the built-in values too: max_s alone may not fall below the default initial_s.
  core::Backoff const defaults;
  if (b.max_s.value_or(defaults.max_s) < b.initial_s.value_or(defaults.initial_s))
    return invalid(prefix + ".max_s must be >= " + prefix + ".initial_s");
  return std::nullopt;
}

std::optional<core::Error> apply_job_type(JobTypeDefaults& d, std::string const& prefix, toml::value const& v) {
  if (!v.is_table()) return invalid(prefix + " must be a table");
  for (auto const& key : sorted_keys(v.as_table())) {
    auto const& value = v.as_table().at(key);
    std::string field = prefix + "." + key;
    auto err = key == "backoff" ? apply_backoff(d.backoff, field, value) : apply_key(kKeys, d, field, key, value);
    if (err) return err;
  }
  return std::nullopt;
}

}  // namespace

std::optional<core::Error> apply_job_types(core::JobTypeTable& table, toml::value const& job_types) {
  return apply_named_tables(table, "job_types", job_types, apply_job_type);
}

std::vector<SettingDoc> job_type_docs() {
  std::vector<SettingDoc> docs;
  for (auto const& k : kKeys) docs.push_back({"job_types.NAME." + std::string(k.name), "", "", std::string(k.help)});
  for (auto const& k : kBackoffKeys)
    docs.push_back({"job_types.NAME.backoff." + std::string(k.name), "", "", std::string(k.help)});
  return docs;
}

}  // namespace corral::config
