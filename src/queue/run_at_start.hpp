// Runs queue work to its end on the calling thread before the server's io_context runs: the
// start-up steps that read or write the store (the count of API keys, the config file's queue
// settings and schedules).
//
// One io_context serves every such call and lives to the exit. The PostgreSQL store answers from
// its own thread by posting to the caller's io_context, and may still be inside that post when
// run() has already returned on the caller's thread: destroying the io_context then would race
// with it (ThreadSanitizer found it). Calls are serialized.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <mutex>

namespace corral::queue {

namespace detail {
boost::asio::io_context& start_up_context();
std::mutex& start_up_mutex();
}  // namespace detail

template <class T>
T run_at_start(boost::asio::awaitable<T> work) {
  std::lock_guard lock(detail::start_up_mutex());
  auto& io = detail::start_up_context();
  io.restart();
  auto done = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.run();
  return done.get();
}

}  // namespace corral::queue
