#include "support/process.hpp"

#include "client/spawn.hpp"
#include "support/wait_until.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

namespace corral::test {

Process::Process(Options const& options) {
  client::Spawn spawn;
  auto const& out = options.stdout_path;
  auto const& err = options.stderr_path;
  constexpr int kWriteFlags = O_WRONLY | O_CREAT | O_APPEND;
  spawn.open(0, options.stdin_path.empty() ? "/dev/null" : options.stdin_path.c_str(), O_RDONLY);
  spawn.open(1, out.empty() ? "/dev/null" : out.c_str(), kWriteFlags);
  if (!err.empty() && err == out) {
    spawn.dup2(1, 2);
  } else {
    spawn.open(2, err.empty() ? "/dev/null" : err.c_str(), kWriteFlags);
  }
  auto is_corral_setting = [](std::string_view name) { return name.rfind("CORRAL_", 0) == 0; };
  std::vector<std::pair<std::string, std::string>> env(options.env.begin(), options.env.end());
  pid_ = spawn.start(options.argv, client::environment_without(is_corral_setting, env));
}

Process::~Process() {
  if (running()) {
    signal(SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::optional<int> Process::exit_code() {
  if (exit_code_ || pid_ <= 0) return exit_code_;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

void Process::signal(int sig) {
  if (!exit_code_) ::kill(pid_, sig);
}

bool Process::wait_for_exit(std::chrono::steady_clock::duration timeout) {
  return wait_until(timeout, [this] { return !running(); });
}

}  // namespace corral::test
