#include "queue/queue_settings.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace corral::queue {

core::Result<void> apply_queue_settings(QueueService& queue, std::map<std::string, QueueUpdate> const& settings) {
  if (settings.empty()) return {};
  boost::asio::io_context io;
  core::Result<void> out;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (auto const& [name, update] : settings) {
          auto r = co_await queue.update_queue(name, update);
          if (!r) {
            out = core::make_error(r.error().code, "queues." + name + ": " + r.error().message);
            co_return;
          }
        }
      },
      boost::asio::detached);
  io.run();
  return out;
}

}  // namespace corral::queue
