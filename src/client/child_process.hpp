// A command run through `/bin/sh -c`, with pipes to its stdin, stdout and stderr.
//
// The child gets its own process group, so that a Ctrl-C meant for the worker does not kill the
// jobs it lets finish, and so that stopping a job reaches everything its shell started. Our pipe
// ends are close-on-exec (no other child inherits them and holds them open) and non-blocking (one
// poll() loop serves all three). `exited` is a pidfd that turns readable when the child exits, so
// the loop needs no SIGCHLD handler and no timer; on a kernel without pidfd it is not open and the
// caller polls try_wait() on a short timeout instead.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace corral::client {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  int get() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

class ChildProcess {
 public:
  // Starts `/bin/sh -c command` with `env` (NAME, VALUE) set on top of this process's environment.
  // Throws std::system_error if it cannot be started.
  ChildProcess(std::string const& command, std::vector<std::pair<std::string, std::string>> const& env);
  ~ChildProcess();   // a child still running is killed (its whole group) and reaped
  ChildProcess(ChildProcess const&) = delete;
  ChildProcess& operator=(ChildProcess const&) = delete;

  Fd input;    // its stdin (we write)
  Fd output;   // its stdout (we read)
  Fd errors;   // its stderr (we read)
  Fd exited;   // readable once it has exited; not open without pidfd support

  // Sends `sig` to the child's process group; does nothing once it has been reaped.
  void signal_group(int sig);
  // The wait status (as from waitpid) once it has exited, reaping it; nullopt while it runs.
  std::optional<int> try_wait();

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace corral::client
