#include "client/shell_job.hpp"

#include "client/child_process.hpp"
#include "client/command_output.hpp"
#include "core/ids.hpp"
#include "wire/traceparent.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>
#include <system_error>

namespace corral::client {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr auto kKillGrace = 10s;              // from SIGTERM to SIGKILL when a job is stopped
constexpr auto kNoPidfdPollInterval = 50ms;   // how often to look for the exit without a pidfd
constexpr std::size_t kMaxResultBytes = 16u << 20;   // stdout past this fails the job
constexpr std::size_t kReadChunk = 64 * 1024;

// One running command and everything the poll loop knows about it.
class Supervisor {
 public:
  Supervisor(ChildProcess& child, JobContext& job, std::string payload)
      : child_(child), job_(job), payload_(std::move(payload)) {
    if (payload_.empty()) child_.input.reset();
    // The heartbeat thread learns of a cancel or a lost lease; a byte down this pipe wakes the
    // poll() below to act on it at once.
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    wake_read_ = Fd(ends[0]);
    wake_write_ = Fd(ends[1]);
    job_.on_stop([fd = wake_write_.get()] {
      char const byte = 1;
      [[maybe_unused]] auto n = ::write(fd, &byte, 1);   // a full pipe has woken the loop already
    });
  }
  ~Supervisor() { job_.on_stop(nullptr); }
  Supervisor(Supervisor const&) = delete;
  Supervisor& operator=(Supervisor const&) = delete;

  // Runs the loop until the command exits; returns its wait status.
  int run() {
    while (!status_) {
      poll_once();
      if (!status_) status_ = child_.try_wait();
      act_on_time();
    }
    // The command is gone, but what it wrote may still be in the pipes (a background process
    // it started may hold them open for longer: not waited for).
    drain(child_.output, &Supervisor::on_stdout);
    drain(child_.errors, &Supervisor::on_stderr);
    errors_.finish();
    report_progress();
    return *status_;
  }
  bool stopped() const { return stopped_; }
  bool stdout_overflowed() const { return stdout_overflowed_; }
  std::string const& stdout_text() const { return stdout_; }
  std::string stderr_tail() const { return errors_.tail(); }

 private:
  void poll_once() {
    pollfd fds[5];
    nfds_t n = 0;
    auto add = [&](Fd const& fd, short events) {
      if (fd.is_open()) fds[n++] = pollfd{fd.get(), events, 0};
    };
    add(child_.input, POLLOUT);
    add(child_.output, POLLIN);
    add(child_.errors, POLLIN);
    add(child_.exited, POLLIN);
    add(wake_read_, POLLIN);
    ::poll(fds, n, timeout_ms());
    char wakes[64];
    while (::read(wake_read_.get(), wakes, sizeof wakes) > 0) {
    }
    // Each handler tolerates being called when its descriptor is not ready (EAGAIN).
    write_input();
    drain(child_.output, &Supervisor::on_stdout);
    drain(child_.errors, &Supervisor::on_stderr);
    report_progress();
  }

  // The job's context sends it with a heartbeat; lines in a quick burst share one.
  void report_progress() {
    if (auto progress = errors_.take_progress()) job_.progress(*progress);
  }

  // Until the SIGKILL, if one is due; a cancel or the command's end wakes the poll anyway.
  int timeout_ms() const {
    auto wait = std::chrono::milliseconds(60s);
    if (kill_at_) wait = std::chrono::duration_cast<std::chrono::milliseconds>(*kill_at_ - Clock::now()) + 1ms;
    if (!child_.exited.is_open()) wait = std::min<std::chrono::milliseconds>(wait, kNoPidfdPollInterval);
    return static_cast<int>(std::clamp<std::chrono::milliseconds>(wait, 0ms, 60s).count());
  }

  void act_on_time() {
    auto now = Clock::now();
    if (!stopped_ && !status_ && (job_.cancel_requested() || job_.lease_lost())) {
      child_.signal_group(SIGTERM);
      stopped_ = true;
      kill_at_ = now + kKillGrace;
    } else if (kill_at_ && now >= *kill_at_ && !status_) {
      child_.signal_group(SIGKILL);
      kill_at_.reset();
    }
  }

  void write_input() {
    if (!child_.input.is_open()) return;
    auto n = ::write(child_.input.get(), payload_.data() + written_, payload_.size() - written_);
    if (n > 0) written_ += static_cast<std::size_t>(n);
    // Done, or the command closed its stdin without reading it all (EPIPE): either way, no more.
    bool failed = n < 0 && errno != EAGAIN && errno != EINTR;
    if (written_ == payload_.size() || failed) child_.input.reset();
  }

  // Reads what `fd` has now; closes it at end of file or on an error.
  void drain(Fd& fd, void (Supervisor::*sink)(std::string_view)) {
    char buffer[kReadChunk];
    while (fd.is_open()) {
      auto n = ::read(fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        (this->*sink)(std::string_view(buffer, static_cast<std::size_t>(n)));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        if (n == 0 || errno != EAGAIN) fd.reset();
        return;
      }
    }
  }

  void on_stdout(std::string_view data) {
    if (stdout_.size() + data.size() > kMaxResultBytes) {
      stdout_overflowed_ = true;   // keep reading, so the command is never blocked on a full pipe
      return;
    }
    stdout_.append(data);
  }

  void on_stderr(std::string_view data) { errors_.feed(data); }

  ChildProcess& child_;
  JobContext& job_;
  std::string payload_;
  std::size_t written_ = 0;
  std::string stdout_;
  bool stdout_overflowed_ = false;
  StderrScanner errors_;
  Fd wake_read_, wake_write_;
  bool stopped_ = false;                  // SIGTERM sent: a cancel, or the lease was lost
  std::optional<Clock::time_point> kill_at_;
  std::optional<int> status_;
};

// What the command's end means for the job.
JobOutcome outcome_of(Supervisor const& run, JobContext const& job, int status) {
  auto message_or = [&](std::string fallback) {
    auto tail = run.stderr_tail();
    return tail.empty() ? fallback : tail;
  };
  if (run.stopped() && job.lease_lost()) return JobOutcome::failure("lease_lost", "the command was stopped");
  if (run.stopped()) return JobOutcome::failure("cancelled", message_or("stopped on request"), false);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    if (run.stdout_overflowed()) return JobOutcome::failure("result_too_large", "stdout passed 16 MiB");
    return JobOutcome::success(result_from_stdout(run.stdout_text()));
  }
  if (WIFEXITED(status)) {
    auto code = std::to_string(WEXITSTATUS(status));
    return JobOutcome::failure("exit_" + code, message_or("the command exited with status " + code));
  }
  auto signal = std::to_string(WTERMSIG(status));
  return JobOutcome::failure("signal_" + signal, message_or("the command was killed by signal " + signal));
}

// The command's environment: the job's id, type and attempt, and its trace, with a span of this
// attempt's own as the parent of whatever the command traces.
std::vector<std::pair<std::string, std::string>> job_environment(JobContext const& job) {
  std::vector<std::pair<std::string, std::string>> env{{"CORRAL_JOB_ID", job.id()},
                                                       {"CORRAL_JOB_TYPE", job.type()},
                                                       {"CORRAL_ATTEMPT", std::to_string(job.attempt())}};
  if (!job.job().trace_id.empty()) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    env.emplace_back("TRACEPARENT", wire::make_traceparent(job.job().trace_id, core::make_span_id(rng())));
  }
  return env;
}

}  // namespace

JobOutcome run_shell_job(std::string const& command, JobContext& job) {
  std::optional<ChildProcess> child;
  try {
    child.emplace(command, job_environment(job));
  } catch (std::system_error const& e) {
    return JobOutcome::failure("spawn_failed", std::string("cannot start /bin/sh: ") + e.what());
  }
  Supervisor supervisor(*child, job, job.job().payload);
  int status = supervisor.run();
  auto outcome = outcome_of(supervisor, job, status);
  // Done is 100 %, whatever the command last said; its stage stays.
  if (outcome.completed) outcome.progress = core::Progress{.percent = 100};
  return outcome;
}

}  // namespace corral::client
