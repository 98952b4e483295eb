#include "http/open_file_limit.hpp"

#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace corral::http {

namespace {

// Descriptors besides connections: the listener, the database and its WAL, readers, logs.
constexpr rlim_t kOwnFiles = 64;

}  // namespace

void raise_open_file_limit(std::size_t max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot read the open-file limit: {}", std::strerror(errno));
    return;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    else spdlog::warn("cannot raise the open-file limit to {}: {}", limit.rlim_max, std::strerror(errno));
  }
  rlim_t const needed = static_cast<rlim_t>(max_connections) + kOwnFiles;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    spdlog::warn("the open-file limit is {}, below the {} that max_connections = {} needs; raise the hard "
                 "limit (ulimit -Hn, LimitNOFILE=) or lower max_connections; accepting fails once descriptors run "
                 "out",
                 limit.rlim_cur, needed, max_connections);
  }
}

}  // namespace corral::http
