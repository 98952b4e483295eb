// A job written straight to JSON text, for the server's replies: the same document as
// serialize_json(to_json(job)) (a test holds them equal), without building a boost::json::object first.
// A profile of enqueue, fetch and complete showed that object (about 60 allocations per job) and
// its serialization as the largest cost of a request after the database.
//
// Strings and numbers are written as json_text.hpp writes them; strings are valid UTF-8, since
// they came from parsed JSON. Stored JSON text (payload, result, checkpoint, metadata) is checked
// by a parser that builds nothing and copied as it is; text that does not parse is written as a
// string, as embed() does in job_json.cpp. Text stored before numbers were written as people
// write them (Boost.JSON's 1E-1) is rewritten on the way out.
#include "wire/job_json.hpp"

#include "core/job_state.hpp"
#include "core/number_text.hpp"
#include "core/progress_rules.hpp"
#include "wire/json_text.hpp"
#include "wire/time_format.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr std::size_t kStoredTextMaxDepth = 100000;

// The callbacks of a parser that only validates, and notes a number in Boost.JSON's exponent form
// (1E-1): the form every fractional number of text stored by earlier versions has, and one that
// json_text.hpp never writes (its exponents are a lowercase e).
struct Validator {
  bool boost_double = false;
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t, json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view text, json::error_code&) {
    if (text.find('E') != json::string_view::npos) boost_double = true;
    return true;
  }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

enum class StoredText { json, json_to_rewrite, not_json };

StoredText check_stored_text(std::string_view text) {
  json::parse_options options;
  options.max_depth = kStoredTextMaxDepth;
  json::basic_parser<Validator> parser(options);
  json::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return StoredText::not_json;
  return parser.handler().boost_double ? StoredText::json_to_rewrite : StoredText::json;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void raw(std::string_view s) { out_.append(s); }

  // "key": — with the comma before every member but the first of the current object. Keys are
  // this file's own literals, which need no escaping, and whose length the compiler knows.
  template <std::size_t N>
  Writer& key(char const (&k)[N]) {
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
    out_.append(buf, p);
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
  void embed(std::string_view text) {
    switch (check_stored_text(text)) {
      case StoredText::json: raw(text); return;
      case StoredText::json_to_rewrite: {
        json::parse_options options;
        options.max_depth = kStoredTextMaxDepth;
        append_json(out_, json::parse(text, {}, options));
        return;
      }
      case StoredText::not_json: string(text); return;
    }
  }

  template <class T, class F>
  void optional(std::optional<T> const& v, F&& write) {
    if (v) write(*v); else null();
  }
  void opt_string(std::optional<std::string> const& v) { optional(v, [this](auto const& s) { string(s); }); }
  void opt_number(std::optional<double> const& v) { optional(v, [this](double d) { number(d); }); }
  void opt_time(std::optional<core::TimePoint> const& v) { optional(v, [this](auto t) { time(t); }); }
  void opt_embed(std::optional<std::string> const& v) { optional(v, [this](auto const& s) { embed(s); }); }

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

// Without each attempt's lease token and length, which only storage keeps (see job_json.cpp).
void write_attempts(Writer& w, std::vector<core::Attempt> const& attempts) {
  w.raw("[");
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    auto const& a = attempts[i];
    if (i > 0) w.raw(",");
    w.begin_object();
    w.key("attempt").integer(a.number);
    w.key("started_at").time(a.started_at);
    w.key("ended_at").opt_time(a.ended_at);
    w.key("worker_id").string(a.worker_id);
    w.key("outcome").string(core::to_string(a.outcome));
    w.key("error").optional(a.error, [&w](auto const& e) { w.job_error(e); });
    w.end_object();
  }
  w.raw("]");
}

void write_stages(Writer& w, std::vector<core::Stage> const& stages) {
  w.raw("[");
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (i > 0) w.raw(",");
    w.begin_object();
    w.key("name").string(stages[i].name);
    w.key("status").string(core::to_string(stages[i].status));
    w.key("started_at").opt_time(stages[i].started_at);
    w.key("ended_at").opt_time(stages[i].ended_at);
    w.end_object();
  }
  w.raw("]");
}

}  // namespace

void append_json_text(std::string& out, core::Job const& job, bool with_lease_token, core::TimePoint now) {
  Writer w(out);
  w.begin_object();
  w.key("id").string(job.id);
  w.key("type").string(job.type);
  w.key("queue").string(job.queue);
  w.key("payload").embed(job.payload);
  w.key("priority").integer(job.priority);
  w.key("status").string(core::to_string(job.status));
  w.key("attempt").integer(job.attempt);
  w.key("max_attempts").integer(job.max_attempts);
  w.key("run_at").time(job.run_at);
  w.key("timeout_s").number(job.timeout_s);
  w.key("max_run_s").opt_number(job.max_run_s);
  w.key("backoff").begin_object();
  w.key("initial_s").number(job.backoff.initial_s);
  w.key("multiplier").number(job.backoff.multiplier);
  w.key("max_s").number(job.backoff.max_s);
  w.key("jitter").number(job.backoff.jitter);
  w.end_object();
  w.key("retryable").boolean(job.retryable);
  w.key("progress").optional(job.progress, [&w](core::Progress const& p) {
    w.begin_object();
    w.key("percent").opt_number(p.percent);
    w.key("stage").opt_string(p.stage);
    w.key("message").opt_string(p.message);
    w.key("current").opt_number(p.current);
    w.key("total").opt_number(p.total);
    w.end_object();
  });
  w.key("stages");
  write_stages(w, job.stages);
  w.key("eta_s").opt_number(core::eta_seconds(job, now));
  w.key("checkpoint").opt_embed(job.checkpoint);
  w.key("result").opt_embed(job.result);
  w.key("error").optional(job.error, [&w](auto const& e) { w.job_error(e); });
  w.key("attempts");
  write_attempts(w, job.attempts);
  w.key("owner").opt_string(job.owner);
  w.key("idempotency_key").opt_string(job.idempotency_key);
  w.key("metadata").opt_embed(job.metadata);
  w.key("trace_id").opt_string(job.trace_id.empty() ? std::nullopt : std::optional<std::string>(job.trace_id));
  w.key("cancel_requested").boolean(job.cancel_requested);
  w.key("lease_expires_at").opt_time(job.lease_expires_at);
  w.key("worker_id").opt_string(job.worker_id);
  w.key("created_at").time(job.created_at);
  w.key("updated_at").time(job.updated_at);
  w.key("started_at").opt_time(job.started_at);
  w.key("completed_at").opt_time(job.completed_at);
  if (with_lease_token) w.key("lease_token").opt_string(job.lease_token);
  w.end_object();
}

std::string to_json_text(core::Job const& job, bool with_lease_token, core::TimePoint now) {
  std::string out;
  out.reserve(768 + job.payload.size());
  append_json_text(out, job, with_lease_token, now);
  return out;
}

}  // namespace corral::wire
