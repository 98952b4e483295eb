// What becomes of a delivery after one try: the rule alone, pure (`now` and the random draw for
// jitter are arguments), so that it is tested without a clock or a receiver.
//
// A 2xx reply delivers. Any other outcome (another status, no reply, a refused destination) is
// tried again after an exponential backoff with jitter, the first retry within a few seconds,
// for as long as retry_for allows from the job's end; a try whose next one would come later
// than that fails the delivery for good, as does a destination that is no longer allowed.
#pragma once

#include "core/backoff.hpp"
#include "queue/outbox.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace corral::webhooks {

struct RetryRule {
  // 1 s, 2 s, 4 s, ... up to 10 minutes, each ± 20 %: the first retry comes within 1.2 s.
  core::Backoff backoff{1.0, 2.0, 600.0, 0.2};
  core::Micros retry_for = std::chrono::hours(24);
};

// How a try went: nullopt delivered, else why not; `final` when trying again cannot help.
struct TryOutcome {
  std::optional<std::string> error;
  bool final = false;
};

queue::DeliveryReport after_try(queue::Delivery const& d, TryOutcome const& outcome, core::TimePoint now,
                                RetryRule const& rule, double unit_random);

}  // namespace corral::webhooks
