// spdlog's formatter for Corral's lines, text or JSON: `TIME LEVEL MESSAGE [key=value ...]`, or one
// JSON object per line, whatever a message holds (quotes, newlines, control bytes, invalid UTF-8
// from a database's error text), written by wire's escaper (each stray byte becomes U+FFFD).
// Every line has `time` (RFC 3339 UTC, in microseconds), `level` and `message`; a line with fields
// (log_line.hpp) adds them.
//
// A sink's messages are either plain messages or records of fields, never both: each kind has
// its own sink, so the formatter is told which its payloads are rather than guess from their
// bytes. A payload of records holds one or more lines that were logged together (a batch's
// changes: one message, one write), each a level digit then its encoded fields, separated by
// newlines, which encoded fields never hold.
#pragma once

#include "logging/log_line.hpp"

#include <spdlog/formatter.h>

#include <ctime>
#include <string>

namespace corral::logging {

class LineFormatter final : public spdlog::formatter {
 public:
  enum class Payload {
    message,   // the payload is the message's text
    records,   // the payload is records written by log_line.cpp
  };

  LineFormatter(Format format, Payload payload) : format_(format), payload_(payload) {}

  void format(spdlog::details::log_msg const& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  void start_line(spdlog::level::level_enum level);
  void set_time(spdlog::log_clock::time_point at);

  Format format_;
  Payload payload_;
  std::string out_;             // reused: a formatter runs on its sink's one thread at a time
  std::string time_;            // the message's time, as written
  std::time_t cached_second_ = -1;
  std::string cached_prefix_;   // "YYYY-MM-DDTHH:MM:SS" of cached_second_
};

}  // namespace corral::logging
