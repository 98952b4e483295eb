// Range checks for the client commands' flags, worded as the server's settings are: "--delay:
// must be at least 0 (got -1)", "--jobs: must be between 1 and 100000000 (got 0)". CLI11's own
// Range prints its bounds as a stream does (1e+07), and NonNegativeNumber's upper bound, the
// largest double, as 309 digits.
#pragma once

#include <CLI/CLI.hpp>

#include <limits>

namespace corral::cli {

// A number in [lo, hi]; hi at its default means "no upper limit".
CLI::Validator in_range(double lo, double hi = std::numeric_limits<double>::max());

}  // namespace corral::cli
