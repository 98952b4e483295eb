#include "client/spawn.hpp"

#include <signal.h>

#include <system_error>

extern char** environ;

namespace corral::client {

namespace {

void check(int rc, char const* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

}  // namespace

Spawn::Spawn() {
  posix_spawn_file_actions_init(&actions_);
  posix_spawnattr_init(&attr_);
}

Spawn::~Spawn() {
  posix_spawn_file_actions_destroy(&actions_);
  posix_spawnattr_destroy(&attr_);
}

void Spawn::dup2(int fd, int target) { check(posix_spawn_file_actions_adddup2(&actions_, fd, target), "dup2"); }

void Spawn::open(int target, char const* path, int flags, mode_t mode) {
  check(posix_spawn_file_actions_addopen(&actions_, target, path, flags, mode), path);
}

pid_t Spawn::start(std::vector<std::string> argv, std::vector<std::string> env) {
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, sig);
  check(posix_spawnattr_setsigmask(&attr_, &none), "sigmask");
  check(posix_spawnattr_setsigdefault(&attr_, &defaults), "sigdefault");
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (process_group_) {
    check(posix_spawnattr_setpgroup(&attr_, 0), "pgroup");
    flags |= POSIX_SPAWN_SETPGROUP;
  }
  check(posix_spawnattr_setflags(&attr_, flags), "flags");

  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(a.data());
  for (auto& e : env) envp.push_back(e.data());
  args.push_back(nullptr);
  envp.push_back(nullptr);
  pid_t pid = -1;
  check(posix_spawn(&pid, args[0], &actions_, &attr_, args.data(), envp.data()), args[0]);
  return pid;
}

std::vector<std::string> environment_without(std::function<bool(std::string_view name)> const& drop,
                                             std::vector<std::pair<std::string, std::string>> const& add) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text = *entry;
    if (!drop(text.substr(0, text.find('=')))) env.emplace_back(text);
  }
  for (auto const& [name, value] : add) env.push_back(name + "=" + value);
  return env;
}

}  // namespace corral::client
