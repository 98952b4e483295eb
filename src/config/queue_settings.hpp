// [queues.NAME] tables: settings of one queue that override the server-wide ones for its jobs.
// Its retention: a queue whose dead letter must stay for ever, or one whose completed jobs are of
// no interest after an hour, next to the rest under the global retention. Its concurrency limits.
#pragma once

#include "config/config.hpp"

#include <toml.hpp>

#include <optional>
#include <vector>

namespace corral::config {

// Reads every NAME = { ... } table of `queues` into `table` (replacing a queue given again).
// invalid_argument naming the key ("queues.mail.retention_failed_s ...") on any bad name, key or value.
std::optional<core::Error> apply_queues(QueueTable& table, toml::value const& queues);

// One entry per key of a [queues.NAME] table, for setting_docs().
std::vector<SettingDoc> queue_setting_docs();

}  // namespace corral::config
