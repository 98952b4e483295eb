// A test that needs what only root may do (mount a filesystem) cannot run everywhere: on a
// developer's machine it is reported as skipped, with the reason. CI runs the suite as root so
// that every test runs, and sets the environment variable CI: there the same skip is a failure,
// so a test that stopped running (a changed mount, a lost privilege) cannot pass unnoticed.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace corral::test {

// True when the environment variable CI is set, and not to "false" or "0".
inline bool running_in_ci() {
  char const* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string_view const value(ci);
  return !value.empty() && value != "false" && value != "0";
}

}  // namespace corral::test

// Skips the current test (from the test body or SetUp) for want of root, saying why; fails it
// under CI.
#define CORRAL_SKIP_WITHOUT_ROOT(reason)                                                         \
  do {                                                                                           \
    if (::corral::test::running_in_ci()) GTEST_FAIL() << "CI runs every test as root, yet: " << (reason); \
    GTEST_SKIP() << (reason);                                                                    \
  } while (false)
