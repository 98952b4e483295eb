#include "queue/run_at_start.hpp"

namespace corral::queue::detail {

boost::asio::io_context& start_up_context() {
  static boost::asio::io_context io;
  return io;
}

std::mutex& start_up_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace corral::queue::detail
