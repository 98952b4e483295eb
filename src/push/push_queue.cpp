#include "push/push_queue.hpp"

namespace corral::push {

core::Result<std::optional<PushQueue>> push_queue_of(queue::QueueInfo const& info, outbound::AllowList const& allow) {
  if (!info.push.url) return std::optional<PushQueue>();
  auto to = outbound::allowed_destination("queues." + info.name + ".push_url", *info.push.url, allow);
  if (!to) return to.error();
  auto const timeout_s = info.push.timeout_s.value_or(api::kDefaultPushTimeoutS);
  return std::optional<PushQueue>(PushQueue{
      info.name, std::move(*to), static_cast<std::size_t>(info.push.concurrency.value_or(api::kDefaultPushConcurrency)),
      std::chrono::milliseconds(static_cast<long>(timeout_s * 1000))});
}

}  // namespace corral::push
