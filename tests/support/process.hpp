// A child process of a test, started with posix_spawn. Its output goes to files rather than pipes,
// so nothing blocks on a full pipe and a test reads the output whenever it wants. The child's
// environment is the test's own minus every CORRAL_* variable (so a developer's shell cannot change
// a test's outcome), plus what the test sets.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::test {

class Process {
 public:
  struct Options {
    std::vector<std::string> argv;                   // argv[0] is the program's path
    std::map<std::string, std::string> env;          // added to the environment
    std::filesystem::path stdin_path;                // empty: /dev/null
    std::filesystem::path stdout_path, stderr_path;  // empty: /dev/null; the same path: one file
  };

  explicit Process(Options const& options);   // throws std::system_error if it cannot be spawned
  ~Process();                                 // SIGKILL and reap if still running
  Process(Process const&) = delete;
  Process& operator=(Process const&) = delete;

  pid_t pid() const { return pid_; }
  bool running() { return !exit_code().has_value(); }
  // The exit status, or 128 + the signal that ended it; nullopt while it runs. Reaps the child.
  std::optional<int> exit_code();
  void signal(int sig);   // does nothing once the child has been reaped
  bool wait_for_exit(std::chrono::steady_clock::duration timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

}  // namespace corral::test
