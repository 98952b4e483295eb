// What a progress report means beyond its fields: the declared stages it moves through, and the
// estimate of the time left. Pure: the reports' times are arguments. core::apply calls these from
// its fetch, heartbeat and complete handlers, so the transition table stays the one place that
// decides when they run.
#pragma once

#include "core/job.hpp"

#include <optional>

namespace corral::core {

// A new attempt starts its stages and its estimate afresh: every stage pending, no sample.
void restart_progress(Job& job);

// A report whose stage names one of the job's declared stages makes it the current one: the
// stages before it end (those not yet ended, at `now`), it runs (started at `now` unless it
// already ran), and the stages after it are pending again (a worker that goes back redoes them).
// A stage the type does not declare changes nothing here; it stays free text in progress.stage.
void enter_stage(std::vector<Stage>& stages, std::string const& name, TimePoint now);

// The job completed: its current stage, if one runs, ends at `now`. Stages never reached stay pending.
void end_current_stage(std::vector<Stage>& stages, TimePoint now);

// How much of the work `progress` says is done, 0..1: percent / 100, else current / total.
std::optional<double> done_fraction(Progress const& progress);

// Takes the progress as it is after a report at `now` into the estimate. The first report of
// the attempt that tells a fraction is the sample the rate is measured from; once a report at
// least a second after it shows more done, the end is where that average rate leads. A report
// showing less done than the sample (the work restarted) makes it the new sample.
void note_progress(ProgressEstimate& estimate, std::optional<Progress> const& progress, TimePoint now);

// Seconds until the estimated end as seen at `now`, rounded up to whole seconds and never below
// 0; nullopt when the job is not running or has no estimate yet.
std::optional<double> eta_seconds(Job const& job, TimePoint now);

}  // namespace corral::core
