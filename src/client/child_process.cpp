#include "client/child_process.hpp"

#include "client/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <system_error>

namespace corral::client {

namespace {

struct Pipe {
  Fd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  return {Fd(fds[0]), Fd(fds[1])};
}

void set_nonblocking(Fd const& fd) { ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) | O_NONBLOCK); }

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
  Spawn spawn;
  spawn.dup2(in.read.get(), 0);
  spawn.dup2(out.write.get(), 1);
  spawn.dup2(err.write.get(), 2);
  spawn.own_process_group();
  auto replaced = [&env](std::string_view name) {
    return std::any_of(env.begin(), env.end(), [&](auto const& e) { return e.first == name; });
  };
  pid_ = spawn.start({"/bin/sh", "-c", command}, environment_without(replaced, env));

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
