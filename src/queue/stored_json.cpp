// Writing goes straight to text (a job row is written at every state change); strings and doubles
// go through Boost.JSON's serializer into a stack buffer, so they read exactly as Boost.JSON writes
// them, which is how the first versions wrote this text. Reading parses into a DOM on a stack
// buffer: a row's history is a few hundred bytes.
#include "queue/stored_json.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>

#include <charconv>
#include <chrono>
#include <cmath>

namespace corral::queue {
namespace json = boost::json;
namespace chrono = std::chrono;

namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53: every whole double below is exact
constexpr std::size_t kTimeLength = 27;                  // "YYYY-MM-DDTHH:MM:SS.uuuuuuZ"

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  Writer& raw(std::string_view s) {
    out_.append(s);
    return *this;
  }
  Writer& string(std::string_view s) {
    sr_.reset(s);
    flush();
    return *this;
  }
  // As Boost.JSON writes a double, even a whole one (30 -> 3E1).
  Writer& fraction(double d) {
    json::value const v(d);
    sr_.reset(&v);
    flush();
    return *this;
  }
  Writer& integer(std::int64_t i) {
    char buf[24];   // no string to allocate: a row is written at every state change
    auto const [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
    out_.append(buf, end);
    return *this;
  }
  Writer& number(double d) {
    return d == std::trunc(d) && std::fabs(d) <= kMaxExactInteger ? integer(static_cast<std::int64_t>(d)) : fraction(d);
  }
  Writer& boolean(bool b) { return raw(b ? "true" : "false"); }
  Writer& null() { return raw("null"); }
  Writer& time(core::TimePoint t) {
    auto const day = chrono::floor<chrono::days>(t);
    chrono::year_month_day const date{day};
    chrono::hh_mm_ss<core::Micros> const clock{t - day};
    char buf[kTimeLength + 2];
    char* p = buf;
    *p++ = '"';
    p = digits(p, static_cast<int>(date.year()), 4, '-');
    p = digits(p, static_cast<unsigned>(date.month()), 2, '-');
    p = digits(p, static_cast<unsigned>(date.day()), 2, 'T');
    p = digits(p, clock.hours().count(), 2, ':');
    p = digits(p, clock.minutes().count(), 2, ':');
    p = digits(p, clock.seconds().count(), 2, '.');
    p = digits(p, clock.subseconds().count(), 6, 'Z');
    *p++ = '"';
    out_.append(buf, static_cast<std::size_t>(p - buf));
    return *this;
  }
  template <class T, class Write>
  Writer& optional(std::optional<T> const& v, Write write) {
    if (v) write(*v);
    else null();
    return *this;
  }
  Writer& opt_string(std::optional<std::string> const& s) {
    return optional(s, [this](std::string const& v) { string(v); });
  }
  Writer& opt_number(std::optional<double> const& d) {
    return optional(d, [this](double v) { number(v); });
  }

 private:
  void flush() {
    char buf[256];
    while (!sr_.done()) out_.append(sr_.read(buf));
  }
  // `value` as `width` digits, then `after`.
  static char* digits(char* p, std::int64_t value, int width, char after) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    p[width] = after;
    return p + width + 1;
  }

  std::string& out_;
  json::serializer sr_;
};

core::Error malformed(std::string const& what) {
  return core::make_error(core::Errc::invalid_argument, "stored " + what + " is malformed");
}

// The time at `text` in the one layout Writer::time writes.
std::optional<core::TimePoint> parse_time(std::string_view text) {
  if (text.size() != kTimeLength) return std::nullopt;
  bool ok = true;
  auto number = [&](std::size_t at, std::size_t width, char after) {
    int value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
      ok = ok && text[i] >= '0' && text[i] <= '9';
      value = value * 10 + (text[i] - '0');
    }
    ok = ok && text[at + width] == after;
    return value;
  };
  int const year = number(0, 4, '-'), month = number(5, 2, '-'), day = number(8, 2, 'T');
  int const hour = number(11, 2, ':'), minute = number(14, 2, ':'), second = number(17, 2, '.');
  int const micros = number(20, 6, 'Z');
  chrono::year_month_day const date{chrono::year(year), chrono::month(static_cast<unsigned>(month)),
                                    chrono::day(static_cast<unsigned>(day))};
  if (!ok || !date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return chrono::sys_days(date) + chrono::hours(hour) + chrono::minutes(minute) + chrono::seconds(second) +
         core::Micros(micros);
}

// The members of one stored object. A null member is the same as an absent one; a member of the
// wrong kind is remembered, and the read fails naming it.
class Members {
 public:
  Members(json::object const& object, std::string path) : object_(object), path_(std::move(path)) {}

  template <class T>
  std::optional<T> get(std::string_view key) {
    json::value const* v = object_.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    std::optional<T> out = convert<T>(*v);
    if (!out && !bad_) bad_ = path_ + std::string(key);
    return out;
  }
  // The member, which must be present.
  template <class T>
  T required(std::string_view key) {
    std::optional<T> v = get<T>(key);
    if (!v && !bad_) bad_ = path_ + std::string(key);
    return v.value_or(T{});
  }
  json::object const* object(std::string_view key) {
    json::value const* v = object_.if_contains(key);
    if (v == nullptr || v->is_null()) return nullptr;
    if (!v->is_object() && !bad_) bad_ = path_ + std::string(key);
    return v->if_object();
  }
  void fail(std::string_view key) {
    if (!bad_) bad_ = path_ + std::string(key);
  }
  // The first malformed member's path, if any.
  std::optional<std::string> const& bad() const { return bad_; }

 private:
  template <class T>
  static std::optional<T> convert(json::value const& v) {
    if constexpr (std::is_same_v<T, std::string>) {
      if (v.is_string()) return std::string(v.get_string());
    } else if constexpr (std::is_same_v<T, bool>) {
      if (v.is_bool()) return v.get_bool();
    } else if constexpr (std::is_same_v<T, core::TimePoint>) {
      if (v.is_string()) return parse_time(v.get_string());
    } else {
      json::error_code ec;
      T n = v.to_number<T>(ec);   // an integer must be exact; a double may come from any number
      if (!ec) return n;
    }
    return std::nullopt;
  }

  json::object const& object_;
  std::string path_;
  std::optional<std::string> bad_;
};

std::optional<core::JobError> read_error(Members& m, std::string_view key) {
  json::object const* object = m.object(key);
  if (object == nullptr) return std::nullopt;
  Members fields(*object, "");
  core::JobError e;
  e.code = fields.get<std::string>("code").value_or("");
  e.message = fields.get<std::string>("message").value_or("");
  e.retryable = fields.get<bool>("retryable").value_or(true);
  if (fields.bad()) m.fail(key);
  return e;
}

core::Result<core::Attempt> read_attempt(json::value const& v, std::string path) {
  if (!v.is_object()) return malformed(path);
  Members m(v.get_object(), path + ".");
  core::Attempt a;
  a.number = m.required<int>("attempt");
  a.started_at = m.required<core::TimePoint>("started_at");
  a.ended_at = m.get<core::TimePoint>("ended_at");
  a.worker_id = m.get<std::string>("worker_id").value_or("");
  auto outcome = core::parse_attempt_outcome(m.required<std::string>("outcome"));
  if (outcome) a.outcome = *outcome;
  else m.fail("outcome");
  a.error = read_error(m, "error");
  a.lease_token = m.get<std::string>("lease_token").value_or("");
  a.lease = core::seconds_to_micros(m.get<double>("lease_s").value_or(0));
  if (m.bad()) return malformed(*m.bad());
  return a;
}

core::Result<core::Stage> read_stage(json::value const& v, std::string path) {
  if (!v.is_object()) return malformed(path);
  Members m(v.get_object(), path + ".");
  core::Stage stage;
  stage.name = m.required<std::string>("name");
  auto status = core::parse_stage_status(m.required<std::string>("status"));
  if (status) stage.status = *status;
  else m.fail("status");
  stage.started_at = m.get<core::TimePoint>("started_at");
  stage.ended_at = m.get<core::TimePoint>("ended_at");
  if (m.bad()) return malformed(*m.bad());
  return stage;
}

core::Result<std::string> read_id(json::value const& v, std::string path) {
  if (!v.is_string()) return malformed(path);
  return std::string(v.get_string());
}

core::Result<core::ParentOutcome> read_parent(json::value const& v, std::string path) {
  if (!v.is_object()) return malformed(path);
  auto const& object = v.get_object();
  Members m(object, path + ".");
  core::ParentOutcome parent;
  parent.id = m.required<std::string>("id");
  if (auto status = m.get<std::string>("status")) {
    parent.status = core::parse_job_state(*status);
    if (!parent.status) m.fail("status");
  }
  // The result is the parent's JSON as it was stored: kept as text, never looked into.
  if (auto const* result = object.if_contains("result"); result && !result->is_null()) {
    parent.result = json::serialize(*result);
  }
  if (m.bad()) return malformed(*m.bad());
  return parent;
}

// A stored JSON array `name`, each item read by read_item(item, "NAME[i]").
template <class T, class ReadItem>
core::Result<std::vector<T>> parse_array(std::string_view text, std::string const& name, ReadItem read_item) {
  unsigned char buf[4096];
  json::monotonic_resource memory(buf);
  json::error_code ec;
  json::value const v = json::parse(text, ec, &memory);
  if (ec || !v.is_array()) return malformed(name);
  auto const& items = v.get_array();
  std::vector<T> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto item = read_item(items[i], name + "[" + std::to_string(i) + "]");
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace

void append_stored_attempts(std::string& out, std::vector<core::Attempt> const& attempts) {
  Writer w(out);
  w.raw("[");
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    auto const& a = attempts[i];
    w.raw(i == 0 ? "{\"attempt\":" : ",{\"attempt\":").integer(a.number);
    w.raw(",\"started_at\":").time(a.started_at);
    w.raw(",\"ended_at\":").optional(a.ended_at, [&w](core::TimePoint t) { w.time(t); });
    w.raw(",\"worker_id\":").string(a.worker_id);
    w.raw(",\"outcome\":").string(core::to_string(a.outcome));
    w.raw(",\"error\":").optional(a.error, [&w](core::JobError const& e) {
      w.raw("{\"code\":").string(e.code);
      w.raw(",\"message\":").string(e.message);
      w.raw(",\"retryable\":").boolean(e.retryable).raw("}");
    });
    w.raw(",\"lease_token\":").string(a.lease_token);
    w.raw(",\"lease_s\":").fraction(core::micros_to_seconds(a.lease)).raw("}");
  }
  w.raw("]");
}

void append_stored_progress(std::string& out, core::Progress const& p) {
  Writer w(out);
  w.raw("{\"percent\":").opt_number(p.percent);
  w.raw(",\"stage\":").opt_string(p.stage);
  w.raw(",\"message\":").opt_string(p.message);
  w.raw(",\"current\":").opt_number(p.current);
  w.raw(",\"total\":").opt_number(p.total).raw("}");
}

void append_stored_stages(std::string& out, std::vector<core::Stage> const& stages) {
  Writer w(out);
  w.raw("[");
  for (std::size_t i = 0; i < stages.size(); ++i) {
    auto const& stage = stages[i];
    w.raw(i == 0 ? "{\"name\":" : ",{\"name\":").string(stage.name);
    w.raw(",\"status\":").string(core::to_string(stage.status));
    w.raw(",\"started_at\":").optional(stage.started_at, [&w](core::TimePoint t) { w.time(t); });
    w.raw(",\"ended_at\":").optional(stage.ended_at, [&w](core::TimePoint t) { w.time(t); }).raw("}");
  }
  w.raw("]");
}

void append_stored_ids(std::string& out, std::vector<std::string> const& ids) {
  Writer w(out);
  w.raw("[");
  for (std::size_t i = 0; i < ids.size(); ++i) w.raw(i == 0 ? "" : ",").string(ids[i]);
  w.raw("]");
}

void append_stored_parents(std::string& out, std::vector<core::ParentOutcome> const& parents) {
  Writer w(out);
  w.raw("[");
  for (std::size_t i = 0; i < parents.size(); ++i) {
    auto const& p = parents[i];
    w.raw(i == 0 ? "{\"id\":" : ",{\"id\":").string(p.id);
    w.raw(",\"status\":").optional(p.status, [&w](core::JobState s) { w.string(core::to_string(s)); });
    w.raw(",\"result\":").optional(p.result, [&w](std::string const& r) { w.raw(r); }).raw("}");
  }
  w.raw("]");
}

core::Result<std::vector<std::string>> parse_stored_ids(std::string_view text) {
  return parse_array<std::string>(text, "depends_on", read_id);
}

core::Result<std::vector<core::ParentOutcome>> parse_stored_parents(std::string_view text) {
  return parse_array<core::ParentOutcome>(text, "parents", read_parent);
}

core::Result<std::vector<core::Attempt>> parse_stored_attempts(std::string_view text) {
  return parse_array<core::Attempt>(text, "attempts", read_attempt);
}

core::Result<core::Progress> parse_stored_progress(std::string_view text) {
  unsigned char buf[1024];
  json::monotonic_resource memory(buf);
  json::error_code ec;
  json::value const v = json::parse(text, ec, &memory);
  if (ec || !v.is_object()) return malformed("progress");
  Members m(v.get_object(), "progress.");
  core::Progress p;
  p.percent = m.get<double>("percent");
  p.stage = m.get<std::string>("stage");
  p.message = m.get<std::string>("message");
  p.current = m.get<double>("current");
  p.total = m.get<double>("total");
  if (m.bad()) return malformed(*m.bad());
  return p;
}

core::Result<std::vector<core::Stage>> parse_stored_stages(std::string_view text) {
  return parse_array<core::Stage>(text, "stages", read_stage);
}

}  // namespace corral::queue
