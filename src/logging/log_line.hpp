// Log lines with named fields, for the lines people and log pipelines filter on (a job's changes,
// HTTP replies and refusals):
//
//   logging::Lines lines;
//   lines.line(spdlog::level::info, "job started").field("job_id", e.job_id).field("attempt", e.attempt);
//   lines.write();
//
// With --log-format json the fields are members of the line's object beside time, level and
// message ({"time":...,"level":"info","message":"job started","job_id":"job_01...","attempt":1});
// as text they follow the message as key=value, a value quoted (JSON escapes) when it is empty or
// holds a space, a quote, '=' or a byte that is not printable ASCII, so each line stays one line
// and splits back into the same fields.
//
// The lines are encoded on the calling thread, into the one payload the formatter needs, and
// handed to the logging thread (log_setup.hpp) together, in one message: a batch of changes costs
// one queue entry and one write, and nothing waits on stderr. A line below the logger's level
// builds nothing.
#pragma once

#include "core/time.hpp"

#include <spdlog/common.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::logging {

enum class Format { text, json };

// Which thread writes a message to stderr.
enum class Via {
  logging_thread,   // queued for the logging thread (log_setup.hpp): the caller never waits on stderr
  this_thread,      // written by the caller, for a thread of its own that may wait: the job change
                    // lines' (job_event_lines.hpp), whose batches then wake one thread, not two
};

class Lines {
 public:
  Lines();
  Lines(Lines const&) = delete;
  Lines& operator=(Lines const&) = delete;

  // Starts a line; the fields that follow are its own. Skipped, fields and all, below the level.
  Lines& line(spdlog::level::level_enum level, std::string_view message);

  Lines& field(std::string_view key, std::string_view value);
  Lines& field(std::string_view key, char const* value) { return field(key, std::string_view(value)); }
  Lines& field(std::string_view key, std::string const& value) { return field(key, std::string_view(value)); }
  Lines& field(std::string_view key, std::optional<std::string> const& value);   // left out when absent
  Lines& field(std::string_view key, std::int64_t value);
  Lines& field(std::string_view key, int value) { return field(key, std::int64_t{value}); }
  Lines& field(std::string_view key, double value);
  // A duration in seconds, to the microsecond: 1.5, 0.000042.
  Lines& seconds(std::string_view key, core::Micros value);

  // Hands every line so far to the logger, in one message, and starts over.
  void write(Via via = Via::logging_thread);

 private:
  void key(std::string_view name);
  // A string value; a text message (`bare_text`) is written as it is.
  void value(std::string_view v, bool bare_text = false);
  // Bytes to the line: staged in `staged_` while they fit (a change line is logged at every
  // commit, and a std::string append per piece cost more than the rest of the line).
  void put(std::string_view bytes);
  void put(char c);
  std::string& unstaged();   // payload_, with everything staged moved into it

  Format format_;
  bool in_line_ = false;   // the current line is being written (not skipped)
  spdlog::level::level_enum level_ = spdlog::level::off;   // the most severe line so far
  std::string payload_;
  char staged_[1024];
  std::size_t staged_size_ = 0;
};

// True if a line at `level` would be written: lets a caller skip gathering what it would log.
bool enabled(spdlog::level::level_enum level);

// The level of a record in a payload of Lines (its first byte).
spdlog::level::level_enum level_of_record(std::string_view record);

}  // namespace corral::logging
