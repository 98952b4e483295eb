#include "schedules/configured.hpp"

#include "queue/run_at_start.hpp"
#include "schedules/job_body.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace corral::schedules {
namespace {

namespace asio = boost::asio;

core::Error named(queue::Schedule const& s, core::Error e) {
  e.message = "schedules." + s.name + "." + e.message;
  return e;
}

asio::awaitable<core::Result<void>> save_all(queue::QueueService& queue, std::vector<queue::Schedule> const& all) {
  for (auto const& s : all) {
    auto saved = co_await queue.save_schedule(s, queue::SaveMode::upsert);
    if (!saved) co_return named(s, saved.error());
  }
  co_return core::Result<void>{};
}

}  // namespace

core::Result<void> save_configured(queue::QueueService& queue, std::vector<queue::Schedule> const& schedules) {
  for (auto const& s : schedules) {
    if (auto req = parse_job_text(s.job); !req) return named(s, req.error());
  }
  if (schedules.empty()) return {};
  // The server's io_context does not run yet.
  return queue::run_at_start(save_all(queue, schedules));
}

}  // namespace corral::schedules
