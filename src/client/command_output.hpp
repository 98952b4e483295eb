// What a shell worker makes of its command's output: stderr lines "progress PERCENT [STAGE]"
// become progress, the other lines make up the failure message (its last ~2 KiB), and stdout
// becomes the job's result. Everything sent on is valid UTF-8, since the server rejects JSON
// that is not, and commands print whatever bytes they like.
#pragma once

#include "core/job.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace corral::client {

// Splits stderr into lines as it arrives, in pieces of any size.
class StderrScanner {
 public:
  static constexpr std::size_t kTailBytes = 2048;   // the failure message keeps this much
  static constexpr std::size_t kMaxLineBytes = 4096;   // longer "lines" are never progress lines

  void feed(std::string_view data);
  void finish();   // the end of stderr: a last line without a newline counts too

  // The latest progress line not yet taken: its percent, and its stage if it has one.
  std::optional<core::Progress> take_progress();
  // The last kTailBytes of the other lines, valid UTF-8, without a trailing newline.
  std::string tail() const;

 private:
  void end_line();

  std::string line_;
  bool overlong_ = false;   // line_ overflowed and was moved to the tail: the rest is plain text
  std::string tail_;
  std::optional<core::Progress> progress_;
};

// "progress 40 resizing" (or "progress 40% resizing") -> percent 40, stage "resizing"; percent is
// clamped to 0..100. nullopt if `line` is not a progress line.
std::optional<core::Progress> parse_progress_line(std::string_view line);

// The job's result from its stdout: the JSON value if the whole of it parses within the depth a
// server accepts by default, else the text as a JSON string (without its final newline); null
// (no result) if it is empty or blank.
boost::json::value result_from_stdout(std::string_view text);

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace corral::client
