#include "webhooks/retry_rule.hpp"

namespace corral::webhooks {

queue::DeliveryReport after_try(queue::Delivery const& d, TryOutcome const& outcome, core::TimePoint now,
                                RetryRule const& rule, double unit_random) {
  queue::DeliveryReport r{d.id, d.job_id, core::WebhookState::delivered, d.attempts + 1, outcome.error, now, now};
  if (!outcome.error) return r;
  r.next_attempt_at = now + core::delay_for(rule.backoff, r.attempts, unit_random);
  bool const too_late = r.next_attempt_at > d.created_at + rule.retry_for;
  r.state = outcome.final || too_late ? core::WebhookState::failed : core::WebhookState::pending;
  return r;
}

}  // namespace corral::webhooks
