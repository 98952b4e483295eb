#include "cli/stop_signals.hpp"

#include <pthread.h>
#include <unistd.h>

namespace corral::cli {

StopSignals::StopSignals(std::function<void()> on_stop) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  waiter_ = std::thread([this, on_stop = std::move(on_stop)] {
    pthread_setname_np(pthread_self(), "corral-signals");   // named in top, perf and /proc
    int sig = 0;
    sigwait(&signals_, &sig);
    if (finishing_) return;
    stopped_ = true;
    on_stop();
  });
}

StopSignals::~StopSignals() {
  finishing_ = true;
  ::kill(::getpid(), SIGTERM);
  waiter_.join();
}

}  // namespace corral::cli
