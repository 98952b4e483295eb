// Each connection holds a file descriptor, and the default soft limit (often 1024) is far below
// max_connections; the hard limit is what an administrator allows. So the server raises its soft
// limit to the hard one at start, and says so in the log when even that is too low.
#pragma once

#include <cstddef>

namespace corral::http {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; logs a warning if the result is below
// what `max_connections` connections plus the server's own files need.
void raise_open_file_limit(std::size_t max_connections);

}  // namespace corral::http
