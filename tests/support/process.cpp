#include "support/process.hpp"

#include "support/wait_until.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstring>
#include <system_error>

extern char** environ;

namespace corral::test {

namespace {

std::vector<std::string> child_environment(std::map<std::string, std::string> const& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    if (std::strncmp(*entry, "CORRAL_", 7) != 0) env.emplace_back(*entry);
  }
  for (auto const& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void check(int rc, char const* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

// Owns posix_spawn's attribute objects for one spawn.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

Process::Process(Options const& options) {
  SpawnSetup setup;
  auto const& out = options.stdout_path;
  auto const& err = options.stderr_path;
  constexpr int kWriteFlags = O_WRONLY | O_CREAT | O_APPEND;
  check(posix_spawn_file_actions_addopen(&setup.actions, 0,
                                         options.stdin_path.empty() ? "/dev/null" : options.stdin_path.c_str(),
                                         O_RDONLY, 0),
        "stdin");
  check(posix_spawn_file_actions_addopen(&setup.actions, 1, out.empty() ? "/dev/null" : out.c_str(), kWriteFlags, 0644),
        "stdout");
  if (!err.empty() && err == out) {
    check(posix_spawn_file_actions_adddup2(&setup.actions, 1, 2), "stderr");
  } else {
    check(posix_spawn_file_actions_addopen(&setup.actions, 2, err.empty() ? "/dev/null" : err.c_str(), kWriteFlags, 0644),
          "stderr");
  }
  // The child starts with no blocked signals and default dispositions, whatever the test runner set.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGCHLD}) sigaddset(&defaults, sig);
  check(posix_spawnattr_setsigmask(&setup.attr, &none), "sigmask");
  check(posix_spawnattr_setsigdefault(&setup.attr, &defaults), "sigdefault");
  check(posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF), "flags");

  auto args = options.argv;
  auto env = child_environment(options.env);
  auto argv = pointers(args);
  auto envp = pointers(env);
  check(posix_spawn(&pid_, argv[0], &setup.actions, &setup.attr, argv.data(), envp.data()), argv[0]);
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
