// promtool, Prometheus's own checker, for the tests of GET /metrics and of the alert rules in
// deploy/prometheus. CI installs it (scripts/setup.sh --test: Debian's prometheus package); on a
// machine without it those tests are reported as skipped, saying why, and fail under CI, so a
// check that stopped running cannot pass unnoticed.
#pragma once

#include "support/skip_without_root.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace corral::test {

// promtool's path, from PATH; nullopt if it is not installed.
std::optional<std::filesystem::path> find_promtool();

struct PromtoolRun {
  int exit_code = -1;
  std::string output;   // stdout and stderr together
};

// Runs `promtool ARGS...` with `input` on its stdin (if given) and waits for it (bounded).
PromtoolRun run_promtool(std::filesystem::path const& promtool, std::vector<std::string> const& args,
                         std::optional<std::string> const& input = std::nullopt);

}  // namespace corral::test

// Skips the current test when promtool is not installed, saying so; fails it under CI.
#define CORRAL_SKIP_WITHOUT_PROMTOOL()                                                                   \
  do {                                                                                                   \
    if (::corral::test::find_promtool()) break;                                                          \
    if (::corral::test::running_in_ci()) GTEST_FAIL() << "promtool is not installed (scripts/setup.sh --test)"; \
    GTEST_SKIP() << "promtool is not installed: apt-get install prometheus (scripts/setup.sh --test)";  \
  } while (false)
