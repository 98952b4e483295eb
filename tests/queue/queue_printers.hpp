// Readable GoogleTest failure output for the enums the queue tests compare (found by ADL).
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"

#include <ostream>

namespace corral::core {
inline void PrintTo(JobState s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(Errc c, std::ostream* os) { *os << to_string(c); }
inline void PrintTo(AttemptOutcome o, std::ostream* os) { *os << to_string(o); }
}  // namespace corral::core
