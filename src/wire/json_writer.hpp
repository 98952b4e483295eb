// Writes JSON text straight into a string, without building a boost::json value first: the
// writer of the server's replies (job_json_text.cpp) and of the live streams' events
// (event_json.cpp), the two places where a profile showed the boost::json object and its
// serialization as the largest cost after the database.
//
// Strings and numbers are written as json_text.hpp writes them. Stored JSON text (payload,
// result, checkpoint, metadata) is checked by a parser that builds nothing and copied as it is;
// text that does not parse is written as a string. Text stored before numbers were written as
// people write them (Boost.JSON's 1E-1) is rewritten on the way out.
#pragma once

#include "core/job.hpp"
#include "core/number_text.hpp"
#include "wire/json_text.hpp"
#include "wire/time_format.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::wire {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }

  // "key": — with the comma before every member but the first of the current object. Keys are
  // this file's own literals, which need no escaping, and whose length the compiler knows.
  template <std::size_t N>
  JsonWriter& key(char const (&k)[N]) {
    // One append per key: a profile of fetch replies had key() at 110 instructions a call when
    // it appended its four pieces one by one. N counts the literal's terminating NUL.
    char buf[N + 3];
    char* p = buf;
    if (!first_) *p++ = ',';
    first_ = false;
    *p++ = '"';
    p = std::copy(k, k + N - 1, p);
    *p++ = '"';
    *p++ = ':';
    out_.append(buf, static_cast<std::size_t>(p - buf));   // not (first, last): that is a replace()
    return *this;
  }
  void begin_object() {
    out_ += '{';
    first_ = true;
  }
  void end_object() {
    out_ += '}';
    first_ = false;
  }

  void string(std::string_view s) { append_json_string(out_, s); }
  void integer(std::int64_t v) { out_ += std::to_string(v); }
  void boolean(bool v) { out_ += v ? "true" : "false"; }
  void null() { out_ += "null"; }
  void number(double d) { core::append_number(out_, d); }
  // Written in place: the text has nothing to escape, and a copy would cost an allocation.
  void time(core::TimePoint t) {
    out_ += '"';
    append_rfc3339(out_, t);
    out_ += '"';
  }
  // Stored JSON text, as described at the top of this file.
  void embed(std::string_view text);

  template <class T, class F>
  void optional(std::optional<T> const& v, F&& write) {
    if (v) write(*v); else null();
  }
  void opt_string(std::optional<std::string> const& v) { optional(v, [this](auto const& s) { string(s); }); }
  void opt_number(std::optional<double> const& v) { optional(v, [this](double d) { number(d); }); }
  void opt_time(std::optional<core::TimePoint> const& v) { optional(v, [this](auto t) { time(t); }); }
  void opt_embed(std::optional<std::string> const& v) { optional(v, [this](auto const& s) { embed(s); }); }

  void progress(core::Progress const& p) {
    begin_object();
    key("percent").opt_number(p.percent);
    key("stage").opt_string(p.stage);
    key("message").opt_string(p.message);
    key("current").opt_number(p.current);
    key("total").opt_number(p.total);
    end_object();
  }
  void job_error(core::JobError const& e) {
    begin_object();
    key("code").string(e.code);
    key("message").string(e.message);
    key("retryable").boolean(e.retryable);
    end_object();
  }

 private:
  std::string& out_;
  bool first_ = true;
};


}  // namespace corral::wire
