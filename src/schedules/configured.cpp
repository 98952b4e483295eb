#include "schedules/configured.hpp"

#include "schedules/job_body.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
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
  // The server's io_context does not run yet: a small one of its own waits for the saves. The
  // store's own thread (PostgreSQL) posts each answer to it and may still be inside that post
  // when run() returns: destroying it then would race with that thread, so it lives to the exit.
  static asio::io_context ioc;
  ioc.restart();
  core::Result<void> out = core::make_error(core::Errc::internal, "the schedules of the config file were not saved");
  asio::co_spawn(ioc, save_all(queue, schedules), [&out](std::exception_ptr e, core::Result<void> r) {
    if (e) std::rethrow_exception(e);
    out = std::move(r);
  });
  ioc.run();
  return out;
}

}  // namespace corral::schedules
