#include "queue/queue_settings.hpp"

#include "queue/run_at_start.hpp"

namespace corral::queue {

namespace {

boost::asio::awaitable<core::Result<void>> apply_all(QueueService& queue,
                                                     std::map<std::string, QueueUpdate> const& settings) {
  for (auto const& [name, update] : settings) {
    auto r = co_await queue.update_queue(name, update);
    if (!r) co_return core::make_error(r.error().code, "queues." + name + ": " + r.error().message);
  }
  co_return core::Result<void>{};
}

}  // namespace

core::Result<void> apply_queue_settings(QueueService& queue, std::map<std::string, QueueUpdate> const& settings) {
  if (settings.empty()) return {};
  return run_at_start(apply_all(queue, settings));
}

}  // namespace corral::queue
