#include "client/sse_parser.hpp"

#include <algorithm>
#include <utility>

namespace corral::client {

SseParser::SseParser(OnMessage on_message, OnComment on_comment)
    : on_message_(std::move(on_message)), on_comment_(std::move(on_comment)) {}

void SseParser::feed(std::string_view bytes) {
  for (char c : bytes) take(c);
}

void SseParser::restart() {
  pending_.clear();
  data_.clear();
  event_.clear();
  after_cr_ = false;
  bom_matched_ = 0;
}

void SseParser::take(char c) {
  // The stream may begin with a byte order mark (EF BB BF), which is not part of the first line.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (bom_matched_ < kBom.size()) {
    if (c == kBom[bom_matched_]) {
      ++bom_matched_;
      return;
    }
    auto const matched = std::exchange(bom_matched_, kBom.size());
    for (std::size_t i = 0; i < matched; ++i) take(kBom[i]);
  }
  if (c == '\n' && after_cr_) {   // the LF of a CRLF: the CR ended the line
    after_cr_ = false;
    return;
  }
  after_cr_ = c == '\r';
  if (c == '\r' || c == '\n') {
    line(pending_);
    pending_.clear();
  } else {
    pending_ += c;
  }
}

void SseParser::line(std::string_view text) {
  if (text.empty()) {
    dispatch();
    return;
  }
  if (text.front() == ':') {
    if (on_comment_) on_comment_(text.substr(text.size() > 1 && text[1] == ' ' ? 2 : 1));
    return;
  }
  auto const colon = text.find(':');
  if (colon == std::string_view::npos) {
    field(text, "");
    return;
  }
  auto value = text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  field(text.substr(0, colon), value);
}

void SseParser::field(std::string_view name, std::string_view value) {
  if (name == "event") {
    event_ = value;
  } else if (name == "data") {
    data_ += value;
    data_ += '\n';
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) last_event_id_ = value;
  } else if (name == "retry") {
    bool const digits = !value.empty() && value.size() <= 18 &&
                        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      retry_ms_ = std::stoll(std::string(value));
    }
  }
}

void SseParser::dispatch() {
  if (data_.empty()) {
    event_.clear();
    return;
  }
  data_.pop_back();   // the "\n" after the last data line
  SseMessage message{event_.empty() ? "message" : event_, std::move(data_), last_event_id_};
  data_.clear();
  event_.clear();
  on_message_(message);
}

}  // namespace corral::client
