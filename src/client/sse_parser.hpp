// A Server-Sent Events parser, as the WHATWG HTML standard ("Parsing an event stream") defines it:
// lines end with CRLF, LF or CR; a line starting with ':' is a comment; "field: value" (one space
// after the colon dropped) sets the field; "data" lines join with "\n"; a blank line dispatches the
// message, unless its data is empty. "id" (without a NUL) sets the last event id, which stays for
// later messages and is what a reconnect sends as Last-Event-ID; "retry" sets the reconnection
// time. Unknown fields are ignored. Bytes come in any pieces; nothing is dispatched until its
// blank line has come.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace corral::client {

struct SseMessage {
  std::string event = "message";   // the event type: "message" when the message gave none
  std::string data;                // the data lines, joined with "\n"
  std::string last_event_id;       // the last event id as of this message
};

class SseParser {
 public:
  using OnMessage = std::function<void(SseMessage const&)>;
  using OnComment = std::function<void(std::string_view)>;

  explicit SseParser(OnMessage on_message, OnComment on_comment = {});

  // Feeds the next bytes of the stream; calls the callbacks for what they complete.
  void feed(std::string_view bytes);
  // A new connection (a reconnect): drops the unfinished line and message of the last one, and
  // keeps the last event id, which the reconnect resumes from.
  void restart();

  std::string const& last_event_id() const { return last_event_id_; }
  std::optional<std::int64_t> retry_ms() const { return retry_ms_; }

 private:
  void take(char c);
  void line(std::string_view text);
  void field(std::string_view name, std::string_view value);
  void dispatch();

  OnMessage on_message_;
  OnComment on_comment_;
  std::string pending_;           // an unfinished line
  bool after_cr_ = false;         // the last byte was a CR: a LF now ends nothing new
  std::size_t bom_matched_ = 0;   // bytes of a leading byte order mark seen; 3 once past it
  std::string data_, event_, last_event_id_;
  std::optional<std::int64_t> retry_ms_;
};

}  // namespace corral::client
