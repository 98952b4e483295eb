#include "config/setting_value.hpp"

#include <charconv>
#include <cmath>

namespace corral::config {

namespace {

// Above this an upper bound is "no limit" and is left out of messages.
constexpr double kNoLimit = 1e15;

std::string shown(Value const& v) {
  if (auto const* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto const* d = std::get_if<double>(&v)) return format_number(*d);
  if (auto const* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto const* list = std::get_if<TextList>(&v)) {
    std::string out = "[";
    for (auto const& item : *list) out += (out.size() > 1 ? ", \"" : "\"") + item + "\"";
    return out + "]";
  }
  return "\"" + std::get<std::string>(v) + "\"";
}

core::Error out_of_range(std::string_view field, double lo, double hi, Value const& got) {
  return invalid(std::string(field) + " must be " + describe_range(lo, hi) + " (got " + shown(got) + ")");
}

}  // namespace

core::Error invalid(std::string message) { return core::make_error(core::Errc::invalid_argument, std::move(message)); }

std::string format_number(double v) {
  char buffer[64];
  // Fixed notation, shortest digits that read back the same; beyond kNoLimit, the exponent form
  // is the readable one.
  auto format = std::abs(v) < kNoLimit ? std::chars_format::fixed : std::chars_format::general;
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, format);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}

std::string describe_range(double lo, double hi) {
  if (hi >= kNoLimit) return "at least " + format_number(lo);
  return "between " + format_number(lo) + " and " + format_number(hi);
}

core::Result<std::int64_t> to_integer(std::string_view field, Value const& v, double lo, double hi) {
  auto const* n = std::get_if<std::int64_t>(&v);
  if (!n) return invalid(std::string(field) + " must be an integer (got " + shown(v) + ")");
  if (static_cast<double>(*n) < lo || static_cast<double>(*n) > hi) return out_of_range(field, lo, hi, v);
  return *n;
}

core::Result<double> to_number(std::string_view field, Value const& v, double lo, double hi) {
  double x = 0;
  if (auto const* n = std::get_if<std::int64_t>(&v)) {
    x = static_cast<double>(*n);
  } else if (auto const* d = std::get_if<double>(&v)) {
    x = *d;
  } else {
    return invalid(std::string(field) + " must be a number (got " + shown(v) + ")");
  }
  if (!std::isfinite(x)) return invalid(std::string(field) + " must be a finite number");
  if (x < lo || x > hi) return out_of_range(field, lo, hi, v);
  return x;
}

core::Result<std::string> to_text(std::string_view field, Value const& v) {
  auto const* s = std::get_if<std::string>(&v);
  if (!s) return invalid(std::string(field) + " must be a string");
  return *s;
}

core::Result<bool> to_boolean(std::string_view field, Value const& v) {
  auto const* b = std::get_if<bool>(&v);
  if (!b) return invalid(std::string(field) + " must be true or false");
  return *b;
}

core::Result<TextList> to_text_list(std::string_view field, Value const& v) {
  auto const* list = std::get_if<TextList>(&v);
  if (!list) return invalid(std::string(field) + " must be a list of strings (got " + shown(v) + ")");
  return *list;
}

core::Result<Value> parse_text(std::string_view field, std::string const& text, ValueKind kind) {
  char const* first = text.data();
  char const* last = first + text.size();
  switch (kind) {
    case ValueKind::text:
      return Value(text);
    case ValueKind::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(first, last, n);
      if (ec != std::errc() || end != last) return invalid(std::string(field) + " must be an integer (got " + shown(Value(text)) + ")");
      return Value(n);
    }
    case ValueKind::number: {
      double x = 0;
      auto [end, ec] = std::from_chars(first, last, x);
      if (ec != std::errc() || end != last) return invalid(std::string(field) + " must be a number (got " + shown(Value(text)) + ")");
      return Value(x);
    }
    case ValueKind::boolean: {
      if (text == "true" || text == "1") return Value(true);
      if (text == "false" || text == "0") return Value(false);
      return invalid(std::string(field) + " must be true or false (got " + shown(Value(text)) + ")");
    }
  }
  return invalid(std::string(field) + " has an unknown kind");
}

}  // namespace corral::config
