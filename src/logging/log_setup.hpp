// The server's logging: spdlog loggers writing through one logging thread, so that no thread that
// serves requests or commits waits on stderr. Writes (a line, or a batch's change lines together)
// queue in a bounded queue (kQueuedWrites); when stderr does not keep up, the oldest queued writes
// are dropped rather than block the caller, and their count is logged at shutdown.
//
// Two loggers share the thread, in one order: the default logger (spdlog::info(...) anywhere) for
// plain messages, and the fields logger for lines with fields (log_line.hpp). Each has its own
// sink, so that each line's formatter knows whether its payload is a message or encoded fields
// (line_formatter.hpp). As text both read `TIME LEVEL MESSAGE [key=value ...]`. The job change
// lines, already off the serving threads on a thread of their own (job_event_lines.hpp), are
// written by that thread to the fields sink directly (fields_logger_here()).
#pragma once

#include "logging/log_line.hpp"

#include <spdlog/logger.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace spdlog::details {
class thread_pool;
}

namespace corral::logging {

inline constexpr std::size_t kQueuedWrites = 8192;

struct LogOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  Format format = Format::text;
  std::size_t queued_writes = kQueuedWrites;
  // Where lines go: stderr unless a test gives its own sink (called once per logger).
  std::function<spdlog::sink_ptr()> make_sink;
};

// While it lives, spdlog's default logger and the fields logger write as `options` say. Made once,
// before the threads that log start; destroyed after they stop: it writes every queued line, then
// leaves synchronous loggers on the same sinks in place.
class Logging {
 public:
  explicit Logging(LogOptions options);
  ~Logging();
  Logging(Logging const&) = delete;
  Logging& operator=(Logging const&) = delete;

  // Writes dropped so far because the queue was full.
  std::size_t dropped() const;

 private:
  LogOptions options_;
  spdlog::sink_ptr plain_sink_, fields_sink_;
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::logger> plain_, fields_, fields_here_;
};

// The format structured lines are encoded in (text until a Logging says otherwise).
Format format();
// The logger of structured lines: spdlog's default logger until a Logging is made.
spdlog::logger& fields_logger();
// The same lines' logger that writes on the calling thread (Via::this_thread), to the same sink.
spdlog::logger& fields_logger_here();

}  // namespace corral::logging
