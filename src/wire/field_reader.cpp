#include "wire/field_reader.hpp"

#include "core/number_text.hpp"
#include "wire/json_text.hpp"
#include "wire/time_format.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <span>

namespace corral::wire {
namespace json = boost::json;

namespace {

bool within(double d, Bounds bounds) { return d >= bounds.lo && d <= bounds.hi; }

}  // namespace

std::optional<int> json_to_int(json::value const& v) {
  switch (v.kind()) {
    case json::kind::int64:
      if (v.get_int64() >= INT_MIN && v.get_int64() <= INT_MAX) return static_cast<int>(v.get_int64());
      return std::nullopt;
    case json::kind::uint64:
      if (v.get_uint64() <= static_cast<std::uint64_t>(INT_MAX)) return static_cast<int>(v.get_uint64());
      return std::nullopt;
    case json::kind::double_: {
      // 5.0 is an integer written as a double; 5.5 is not.
      double d = v.get_double();
      if (std::isfinite(d) && d == std::trunc(d) && d >= INT_MIN && d <= INT_MAX) return static_cast<int>(d);
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<double> json_to_double(json::value const& v) {
  switch (v.kind()) {
    case json::kind::int64: return static_cast<double>(v.get_int64());
    case json::kind::uint64: return static_cast<double>(v.get_uint64());
    case json::kind::double_:
      // Boost.JSON reads 1e400 as infinity; no Corral number may be infinite.
      if (std::isfinite(v.get_double())) return v.get_double();
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

core::Result<json::object const*> body_object(json::value const& body) {
  if (!body.is_object()) return core::make_error(core::Errc::invalid_argument, "body must be a JSON object");
  return &body.get_object();
}

core::Result<json::array const*> batch_items(json::value const& body, std::size_t max_items, std::string_view what,
                                             std::initializer_list<std::string_view> also) {
  auto object = body_object(body);
  if (!object) return object.error();
  FieldReader r(**object);
  json::array const* items = r.array("jobs");
  for (auto name : also) (void)r.value(name);   // read by the caller
  if (!r.finish()) return r.error();
  if (items == nullptr || items->empty() || items->size() > max_items) {
    return core::make_error(core::Errc::invalid_argument,
                            "jobs must hold 1.." + std::to_string(max_items) + " " + std::string(what));
  }
  return items;
}

core::Result<json::object const*> batch_item(json::array const& items, std::size_t i) {
  if (!items[i].is_object()) {
    return core::make_error(core::Errc::invalid_argument, "jobs[" + std::to_string(i) + "] must be a JSON object");
  }
  return &items[i].get_object();
}

std::string describe(Bounds bounds) {
  if (std::isinf(bounds.hi)) return ">= " + core::format_number(bounds.lo);
  return core::format_number(bounds.lo) + ".." + core::format_number(bounds.hi);
}

FieldReader::FieldReader(json::object const& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

json::value const* FieldReader::value(std::string_view name) {
  if (error_) return nullptr;
  if (asked_count_ < asked_names_.size()) asked_names_[asked_count_++] = name;
  auto const member = object_.find(name);
  if (member == object_.end()) return nullptr;
  auto const index = static_cast<std::size_t>(member - object_.begin());
  if (index < kTrackedMembers) asked_members_ |= std::uint64_t{1} << index;
  return member->value().is_null() ? nullptr : &member->value();
}

bool FieldReader::was_asked(std::string_view name) const {
  auto const asked = std::span(asked_names_).first(asked_count_);
  return std::find(asked.begin(), asked.end(), name) != asked.end();
}

bool FieldReader::finish() {
  if (error_) return false;
  for (std::size_t i = 0; i < object_.size(); ++i) {
    std::string_view const key = (object_.begin() + i)->key();
    bool const asked = i < kTrackedMembers ? (asked_members_ >> i & 1) != 0 : was_asked(key);
    if (asked) continue;
    // The names this reader knows, each once (require() and a read may both ask for one).
    std::string known;
    for (std::size_t n = 0; n < asked_count_; ++n) {
      auto const earlier = std::span(asked_names_).first(n);
      if (std::find(earlier.begin(), earlier.end(), asked_names_[n]) != earlier.end()) continue;
      known += known.empty() ? "" : ", ";
      known += asked_names_[n];
    }
    error_ = core::make_error(core::Errc::invalid_argument, "unknown field \"" + path(key) + "\" (known: " +
                                                                (known.empty() ? "none" : known) + ")");
    return false;
  }
  return true;
}

void FieldReader::require(std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (value(name) == nullptr) fail(name, "is required");
  }
}

std::optional<std::string> FieldReader::string(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(name, "must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<bool> FieldReader::boolean(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    fail(name, "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<int> FieldReader::integer(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  std::optional<int> i = json_to_int(*v);
  if (!i) fail(name, "must be an integer");
  return i;
}

std::optional<int> FieldReader::integer(std::string_view name, Bounds bounds) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  std::optional<int> i = json_to_int(*v);
  if (!i || !within(*i, bounds)) {
    fail(name, "must be an integer " + describe(bounds));
    return std::nullopt;
  }
  return i;
}

std::optional<double> FieldReader::number(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  std::optional<double> d = json_to_double(*v);
  if (!d) fail(name, "must be a number");
  return d;
}

std::optional<double> FieldReader::number(std::string_view name, Bounds bounds) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  std::optional<double> d = json_to_double(*v);
  if (!d || !within(*d, bounds)) {
    fail(name, "must be a number " + describe(bounds));
    return std::nullopt;
  }
  return d;
}

std::optional<core::Micros> FieldReader::seconds(std::string_view name, Bounds bounds) {
  std::optional<double> s = number(name, bounds);
  if (!s) return std::nullopt;
  return core::seconds_to_micros(*s);
}

std::optional<core::TimePoint> FieldReader::time(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  std::optional<core::TimePoint> t;
  if (v->is_string()) t = parse_rfc3339(v->get_string());
  if (!t) fail(name, "must be an RFC 3339 time such as 2026-01-02T03:04:05Z");
  return t;
}

std::optional<std::string> FieldReader::json_text(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return std::nullopt;
  return serialize_json(*v);
}

json::object const* FieldReader::object(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    fail(name, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

json::array const* FieldReader::array(std::string_view name) {
  json::value const* v = value(name);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    fail(name, "must be an array");
    return nullptr;
  }
  return &v->get_array();
}

void FieldReader::fail(std::string_view name, std::string_view what) {
  if (error_) return;
  error_ = core::make_error(core::Errc::invalid_argument, path(name) + " " + std::string(what));
}

void FieldReader::check(std::optional<core::Error> error) {
  if (!error_ && error) error_ = std::move(error);
}

}  // namespace corral::wire
