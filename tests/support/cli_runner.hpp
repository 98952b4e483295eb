// Runs one `corral` command to its end and captures what it printed and how it exited, as a
// shell script would see it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace corral::test {

struct CliResult {
  int exit_code = -1;   // 128 + signal if a signal ended it; -1 if it had to be killed at the deadline
  std::string out;      // stdout
  std::string err;      // stderr
};

// `corral ARGS...` with `env` added to the environment (CORRAL_* variables of the test's own
// environment are removed) and `stdin_text` on its stdin. Gives up after 60 s.
CliResult run_cli(std::vector<std::string> const& args, std::map<std::string, std::string> const& env = {},
                  std::string const& stdin_text = "");

}  // namespace corral::test
