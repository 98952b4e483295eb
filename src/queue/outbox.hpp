// The webhook outbox, as the queue seam knows it: the change that ends a job with a callback_url
// writes a Delivery in the same commit (each backend where it turns a change into its event), and
// the server's dispatcher claims due deliveries, sends them, and reports how each try went.
//
// Rejected: sending from the commit path (a crash between the commit and the request loses the
// webhook), and a delivery read back from the job at send time (the job may have been retried and
// have changed since the end being reported).
#pragma once

#include "core/job.hpp"
#include "core/job_event.hpp"
#include "core/time.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace corral::queue {

// The body a delivery carries: the job as the API shows it. Given by the server (the backends do
// not speak the API's JSON); none writes {"id": ID, "status": STATUS}.
using DeliveryBody = std::function<std::string(core::Job const&)>;

// One row of the outbox: a webhook still to be delivered.
struct Delivery {
  std::string id;                  // X-Corral-Delivery
  std::string job_id;
  std::string url;
  std::string body;                // the final job, as JSON text
  int attempts = 0;                // tries made before this one
  core::TimePoint created_at{};    // the job's end; retries stop webhook_retry_for_s after it
  bool operator==(Delivery const&) const = default;
};

struct DeliveryClaim {
  std::size_t limit = 32;
  // How long the claim holds: past it, another node may send the delivery again.
  core::Micros lease = std::chrono::seconds(60);
};

struct ClaimedDeliveries {
  std::vector<Delivery> due;
  core::TimePoint now{};                    // the backend's clock at the claim
  std::optional<core::TimePoint> next_due;  // the earliest delivery not claimed now, if any
};

// How one try ended, as the dispatcher decided it (webhooks/retry_rule.hpp). pending: try again
// at next_attempt_at; delivered and failed end the delivery, and its row is deleted.
struct DeliveryReport {
  std::string id;
  std::string job_id;
  core::WebhookState state = core::WebhookState::pending;
  int attempts = 0;                         // tries made, this one included
  std::optional<std::string> error;         // why this try did not deliver
  core::TimePoint attempted_at{};
  core::TimePoint next_attempt_at{};        // pending only
};

// Whether a change of `kind` (the transition's outcome, core::Applied::kind) that left `job` as it
// is ends the job in a way its webhook reports: completed, failed for good or cancelled. A
// deletion is no end to report.
inline bool ends_with_webhook(core::JobEventKind kind, core::Job const& job) {
  return job.callback_url && core::is_terminal(job.status) && kind != core::JobEventKind::deleted &&
         kind != core::JobEventKind::pruned;
}

// The delivery, with id `id`, for the end of `job` at `now`; sets the job's webhook to it
// (pending, no tries yet), so that the row written with the change shows it.
Delivery delivery_for(core::Job& job, core::TimePoint now, std::string id, DeliveryBody const& body);

// The job's webhook after `report`, if `job`'s webhook is still the reported delivery's (a later
// end of the job has a newer one); nullopt otherwise.
std::optional<core::Webhook> webhook_after(core::Job const& job, DeliveryReport const& report);

}  // namespace corral::queue
