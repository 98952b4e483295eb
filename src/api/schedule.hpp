// A recurring schedule as the API shows it and the backends store it (queue/schedules.hpp has
// how it runs).
#pragma once

#include "core/time.hpp"

#include <optional>
#include <string>

namespace corral::api {

struct Schedule {
  std::string name;
  std::string cron;
  std::string timezone = "UTC";
  std::string job = "{}";                   // the enqueue body, JSON object text
  std::string overlap = "allow";            // core::Overlap's name
  std::string catch_up = "none";            // core::CatchUp's name
  bool paused = false;
  std::optional<core::TimePoint> next_run_at;   // none: paused, or no tick to come
  std::optional<core::TimePoint> last_tick_at;  // the last tick a job was enqueued for
  std::optional<std::string> last_job_id;       // that job
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
  bool operator==(Schedule const&) const = default;
};

// A PATCH of a schedule: the fields given, each replacing the schedule's.
struct ScheduleChange {
  std::optional<std::string> cron;
  std::optional<std::string> timezone;
  std::optional<std::string> job;
  std::optional<std::string> overlap;
  std::optional<std::string> catch_up;
  std::optional<bool> paused;

  Schedule applied_to(Schedule s) const {
    if (cron) s.cron = *cron;
    if (timezone) s.timezone = *timezone;
    if (job) s.job = *job;
    if (overlap) s.overlap = *overlap;
    if (catch_up) s.catch_up = *catch_up;
    if (paused) s.paused = *paused;
    return s;
  }
};

}  // namespace corral::api
