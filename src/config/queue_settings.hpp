// [queues.NAME] tables: settings of one queue that override the server-wide ones for its jobs.
// Its retention: a queue whose dead letter must stay for ever, or one whose completed jobs are of
// no interest after an hour, next to the rest under the global retention. Its concurrency limits
// (max_running, max_running_per_key), rate limit and priority aging. And its push delivery (push_url, push_concurrency,
// push_timeout_s): the server POSTs the queue's jobs to an endpoint instead of waiting for
// workers to fetch them (push/dispatcher.hpp).
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
