#include "client/command_output.hpp"

#include "core/utf8.hpp"
#include "wire/request_json.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace corral::client {

namespace json = boost::json;

namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    auto length = core::utf8_sequence_length(text);
    out.append(length ? text.substr(0, length) : core::kUtf8Replacement);
    text.remove_prefix(std::max<std::size_t>(length, 1));
  }
  return out;
}

std::optional<core::Progress> parse_progress_line(std::string_view line) {
  constexpr std::string_view kKeyword = "progress ";
  line = trim(line);
  if (line.substr(0, kKeyword.size()) != kKeyword) return std::nullopt;
  line = trim(line.substr(kKeyword.size()));
  double percent = 0;
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), percent);
  auto const* line_end = line.data() + line.size();
  if (end != line_end && *end == '%') ++end;   // "progress 40%" reads as people write it
  bool ends_at_space = end == line_end || *end == ' ' || *end == '\t';
  if (ec != std::errc() || !ends_at_space || !std::isfinite(percent)) return std::nullopt;
  core::Progress progress;
  progress.percent = std::clamp(percent, 0.0, 100.0);
  auto stage = trim(line.substr(end - line.data()));
  if (!stage.empty()) progress.stage = valid_utf8(stage);
  return progress;
}

json::value result_from_stdout(std::string_view text) {
  if (trim(text).empty()) return nullptr;
  // The result goes out one level down in the complete body ({"result": ...}): any deeper, and
  // the server would refuse the report; as text it is kept.
  json::parse_options options;
  options.max_depth = wire::JsonLimits{}.max_depth - 1;
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec, json::storage_ptr(), options);
  if (!ec) return parsed;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return json::string(valid_utf8(text));
}

void StderrScanner::feed(std::string_view data) {
  while (!data.empty()) {
    auto newline = data.find('\n');
    line_.append(data.substr(0, newline));
    if (newline == std::string_view::npos) {
      if (line_.size() > kMaxLineBytes) {
        // A line this long is output, not a progress report: keep it as text, bounded.
        tail_ += line_;
        line_.clear();
        overlong_ = true;
      }
      break;
    }
    end_line();
    data.remove_prefix(newline + 1);
  }
  // Keep at most twice the tail, so trimming is rare yet memory stays bounded.
  if (tail_.size() > 2 * kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
}

void StderrScanner::finish() {
  if (!line_.empty()) end_line();
}

void StderrScanner::end_line() {
  bool overlong = overlong_ || line_.size() > kMaxLineBytes;
  auto progress = overlong ? std::nullopt : parse_progress_line(line_);
  if (progress) {
    progress_ = std::move(progress);
  } else {
    tail_ += line_;
    tail_ += '\n';
  }
  line_.clear();
  overlong_ = false;
}

std::optional<core::Progress> StderrScanner::take_progress() { return std::exchange(progress_, std::nullopt); }

std::string StderrScanner::tail() const {
  std::string_view tail = tail_;
  if (tail.size() > kTailBytes) tail.remove_prefix(tail.size() - kTailBytes);
  // Start at a character: skip the continuation bytes of one that a cut (here or in feed()) split.
  while (!tail.empty() && (static_cast<unsigned char>(tail.front()) & 0xC0) == 0x80) tail.remove_prefix(1);
  while (!tail.empty() && kWhitespace.find(tail.back()) != std::string_view::npos) tail.remove_suffix(1);
  return valid_utf8(tail);
}

}  // namespace corral::client
