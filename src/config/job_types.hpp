// [job_types.NAME] tables: per-type defaults for enqueue, under the API's own field names
// (queue, priority, max_attempts, timeout_s, max_run_s, retryable, backoff.{initial_s,
// multiplier, max_s, jitter}), so one vocabulary serves the file and the API.
#pragma once

#include "config/config.hpp"

#include <toml.hpp>

#include <optional>
#include <vector>

namespace corral::config {

// Reads every NAME = { ... } table of `job_types` into `table` (replacing a type given again).
// invalid_argument naming the key ("job_types.email.max_attempts ...") on any bad name, key or value.
std::optional<core::Error> apply_job_types(core::JobTypeTable& table, toml::value const& job_types);

// One entry per key of a [job_types.NAME] table, for setting_docs().
std::vector<SettingDoc> job_type_docs();

}  // namespace corral::config
