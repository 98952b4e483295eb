#include "client/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <system_error>

extern char** environ;

namespace corral::client {

namespace {

void check(int rc, char const* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  return {Fd(fds[0]), Fd(fds[1])};
}

void set_nonblocking(Fd const& fd) { ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK); }

// This process's environment with `extra` replacing any variable of the same name.
std::vector<std::string> child_environment(std::vector<std::pair<std::string, std::string>> const& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    bool replaced = false;
    for (auto const& [name, value] : extra) {
      replaced = replaced || (std::strncmp(*entry, name.c_str(), name.size()) == 0 && (*entry)[name.size()] == '=');
    }
    if (!replaced) env.emplace_back(*entry);
  }
  for (auto const& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
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

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

ChildProcess::ChildProcess(std::string const& command, std::vector<std::pair<std::string, std::string>> const& env) {
  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();
  SpawnSetup setup;
  check(posix_spawn_file_actions_adddup2(&setup.actions, in.read.get(), 0), "stdin");
  check(posix_spawn_file_actions_adddup2(&setup.actions, out.write.get(), 1), "stdout");
  check(posix_spawn_file_actions_adddup2(&setup.actions, err.write.get(), 2), "stderr");
  // The worker blocks SIGINT/SIGTERM (a thread waits for them) and ignores SIGPIPE; the command
  // must start with neither, as it would from a shell.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, sig);
  check(posix_spawnattr_setsigmask(&setup.attr, &none), "sigmask");
  check(posix_spawnattr_setsigdefault(&setup.attr, &defaults), "sigdefault");
  check(posix_spawnattr_setpgroup(&setup.attr, 0), "pgroup");
  check(posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP),
        "flags");

  std::vector<std::string> args = {"/bin/sh", "-c", command};
  auto environment = child_environment(env);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  for (auto& e : environment) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  check(posix_spawn(&pid_, "/bin/sh", &setup.actions, &setup.attr, argv.data(), envp.data()), "/bin/sh");

  input = std::move(in.write);
  output = std::move(out.read);
  errors = std::move(err.read);
  for (auto* fd : {&input, &output, &errors}) set_nonblocking(*fd);
  exited = Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
}

ChildProcess::~ChildProcess() {
  if (status_ || pid_ <= 0) return;
  signal_group(SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

void ChildProcess::signal_group(int sig) {
  if (!status_) ::kill(-pid_, sig);
}

std::optional<int> ChildProcess::try_wait() {
  if (status_) return status_;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
  return status_;
}

}  // namespace corral::client
