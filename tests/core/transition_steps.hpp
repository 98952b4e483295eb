// The steps the transition tests take a job through, shared by transition_test.cpp,
// transition_lease_test.cpp and transition_attempt_test.cpp: a fixed instant (kT0), a queued job,
// and apply() calls that must succeed. Header-only: the suite builds only *_test.cpp files.
#pragma once

#include "core/transition.hpp"
#include "support/results.hpp"

#include <string>

namespace corral::test {

using core::Event;
using core::EventKind;
using core::Job;
using core::Micros;
using core::TimePoint;

inline TimePoint const kT0 = core::from_unix_micros(1'700'000'000'000'000);
inline Micros seconds(std::int64_t s) { return Micros(s * 1'000'000); }

inline Job queued_job(int max_attempts = 3) {
  return Job{.id = "j1", .type = "t", .max_attempts = max_attempts, .run_at = kT0, .created_at = kT0, .updated_at = kT0};
}

// `event` applied to `job` at `now`; an error fails the test (must throws).
inline Job step(Job job, Event const& event, TimePoint now = kT0) {
  return must(core::apply(std::move(job), event, now)).job;
}

// `job` leased to worker-1 with `token`.
inline Job fetched(Job job, std::string token, TimePoint now = kT0) {
  return step(std::move(job), core::fetch_event(std::move(token), "worker-1", std::nullopt), now);
}

// A worker's report with `token`; a fail carries a retryable error.
inline Event report(EventKind kind, std::string token) {
  Event e{.kind = kind, .lease_token = std::move(token)};
  if (kind == EventKind::fail) e.error = core::JobError{"boom", "it broke", true};
  return e;
}

}  // namespace corral::test
