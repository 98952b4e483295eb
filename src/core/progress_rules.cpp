// Rejected for the estimate: the rate between the last two reports. Workers report unevenly (a
// burst of small files, then one large one), and that rate made the estimate jump at every
// report; the average since the attempt's first sample moves smoothly and is what people expect
// of a progress bar.
#include "core/progress_rules.hpp"

#include <algorithm>
#include <cmath>

namespace corral::core {

namespace {

constexpr Micros kMinSampleSpan = std::chrono::seconds(1);
// Far beyond any estimate worth showing, and far from overflow once in microseconds: a rate of
// almost nothing would otherwise put the end centuries away.
constexpr double kMaxEtaSeconds = 10.0 * 365 * 86400;

}  // namespace

void restart_progress(Job& job) {
  for (Stage& stage : job.stages) stage = Stage{.name = std::move(stage.name)};
  job.estimate = ProgressEstimate{};
}

void enter_stage(std::vector<Stage>& stages, std::string const& name, TimePoint now) {
  auto const current = std::find_if(stages.begin(), stages.end(), [&](Stage const& s) { return s.name == name; });
  if (current == stages.end()) return;
  for (auto it = stages.begin(); it != current; ++it) {
    if (it->status == StageStatus::done) continue;
    it->status = StageStatus::done;
    it->ended_at = now;
  }
  if (current->status != StageStatus::running) {
    current->status = StageStatus::running;
    current->started_at = now;
    current->ended_at.reset();
  }
  for (auto it = std::next(current); it != stages.end(); ++it) *it = Stage{.name = std::move(it->name)};
}

void end_current_stage(std::vector<Stage>& stages, TimePoint now) {
  for (Stage& stage : stages) {
    if (stage.status != StageStatus::running) continue;
    stage.status = StageStatus::done;
    stage.ended_at = now;
  }
}

std::optional<double> done_fraction(Progress const& progress) {
  std::optional<double> fraction;
  if (progress.percent) {
    fraction = *progress.percent / 100;
  } else if (progress.current && progress.total && *progress.total > 0) {
    fraction = *progress.current / *progress.total;
  }
  if (!fraction || !std::isfinite(*fraction)) return std::nullopt;
  return std::clamp(*fraction, 0.0, 1.0);
}

void note_progress(ProgressEstimate& estimate, std::optional<Progress> const& progress, TimePoint now) {
  auto const fraction = progress ? done_fraction(*progress) : std::nullopt;
  if (!fraction) return;
  if (!estimate.first_at || !estimate.first_fraction || *fraction < *estimate.first_fraction) {
    estimate = ProgressEstimate{.first_at = now, .first_fraction = *fraction, .done_at = std::nullopt};
    return;
  }
  Micros const span = now - *estimate.first_at;
  double const gained = *fraction - *estimate.first_fraction;
  if (span < kMinSampleSpan || gained <= 0) return;
  double const rate = gained / micros_to_seconds(span);   // of the whole work, per second
  double const left_s = std::min((1 - *fraction) / rate, kMaxEtaSeconds);
  estimate.done_at = now + seconds_to_micros(left_s);
}

std::optional<double> eta_seconds(Job const& job, TimePoint now) {
  if (job.status != JobState::running || !job.estimate.done_at) return std::nullopt;
  return std::ceil(std::max(0.0, micros_to_seconds(*job.estimate.done_at - now)));
}

}  // namespace corral::core
