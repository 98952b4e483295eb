// posix_spawn with the setup every process Corral starts needs: the shell worker's commands, and
// the test suite's servers and CLI runs alike. The caller adds its file actions; start() then
// runs the program with no blocked signals and the default disposition for the signals Corral's
// own processes block or ignore (SIGINT, SIGTERM, SIGPIPE...), which a child must not inherit.
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::client {

class Spawn {
 public:
  Spawn();
  ~Spawn();
  Spawn(Spawn const&) = delete;
  Spawn& operator=(Spawn const&) = delete;

  // File actions, applied in the child in the order given. Each throws std::system_error.
  void dup2(int fd, int target);
  void open(int target, char const* path, int flags, mode_t mode = 0644);
  // The child leads a new process group, so that signals to the group reach all it starts.
  void own_process_group() { process_group_ = true; }

  // Starts argv[0] with `argv` and `env` (NAME=VALUE entries); returns its pid.
  // Throws std::system_error if it cannot be started.
  pid_t start(std::vector<std::string> argv, std::vector<std::string> env);

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
  bool process_group_ = false;
};

// This process's environment without the variables `drop` picks (by name), then `add`.
std::vector<std::string> environment_without(std::function<bool(std::string_view name)> const& drop,
                                             std::vector<std::pair<std::string, std::string>> const& add);

}  // namespace corral::client
