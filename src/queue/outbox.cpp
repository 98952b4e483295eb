#include "queue/outbox.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace corral::queue {

Delivery delivery_for(core::Job& job, core::TimePoint now, std::string id, DeliveryBody const& body) {
  job.webhook = core::Webhook{.delivery_id = id};
  std::string text = body ? body(job)
                          : boost::json::serialize(boost::json::object{{"id", job.id}, {"status", core::to_string(job.status)}});
  return Delivery{std::move(id), job.id, *job.callback_url, std::move(text), 0, now};
}

std::optional<core::Webhook> webhook_after(core::Job const& job, DeliveryReport const& report) {
  if (!job.webhook || job.webhook->delivery_id != report.id) return std::nullopt;
  core::Webhook w = *job.webhook;
  w.state = report.state;
  w.attempts = report.attempts;
  if (report.error) w.last_error = report.error;   // a delivery keeps the last failure before it
  w.last_attempt_at = report.attempted_at;
  if (report.state == core::WebhookState::delivered) w.delivered_at = report.attempted_at;
  return w;
}

}  // namespace corral::queue
