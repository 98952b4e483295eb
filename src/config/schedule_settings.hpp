// [schedules.NAME] tables: recurring schedules the server creates, or brings up to date, each
// time it starts (the API's and CLI's schedules otherwise). The keys are the API's fields; the job
// is the enqueue body as a JSON string, checked by the server at start as an enqueue is.
#pragma once

#include "config/config.hpp"

#include <toml.hpp>

#include <optional>
#include <vector>

namespace corral::config {

// Reads every NAME = { ... } table of `schedules` into `table` (replacing one given again).
// invalid_argument naming the key ("schedules.nightly.cron: minute: 61 is out of 0-59").
std::optional<core::Error> apply_schedules(ScheduleTable& table, toml::value const& schedules);

// One entry per key of a [schedules.NAME] table, for setting_docs().
std::vector<SettingDoc> schedule_setting_docs();

}  // namespace corral::config
