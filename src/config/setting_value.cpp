#include "config/setting_value.hpp"

#include "core/enqueue_spec.hpp"

#include <charconv>
#include <cmath>

namespace corral::config {

core::Error invalid(std::string message) { return core::make_error(core::Errc::invalid_argument, std::move(message)); }

core::Result<std::int64_t> to_integer(std::string_view field, Value const& v, double lo, double hi) {
  auto const* n = std::get_if<std::int64_t>(&v);
  if (!n) return invalid(std::string(field) + " must be an integer");
  if (auto err = core::check_range(field, static_cast<double>(*n), lo, hi)) return *err;
  return *n;
}

core::Result<double> to_number(std::string_view field, Value const& v, double lo, double hi) {
  double x = 0;
  if (auto const* n = std::get_if<std::int64_t>(&v)) {
    x = static_cast<double>(*n);
  } else if (auto const* d = std::get_if<double>(&v)) {
    x = *d;
  } else {
    return invalid(std::string(field) + " must be a number");
  }
  if (!std::isfinite(x)) return invalid(std::string(field) + " must be a finite number");
  if (auto err = core::check_range(field, x, lo, hi)) return *err;
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

core::Result<Value> parse_env_text(std::string_view field, std::string const& text, ValueKind kind) {
  char const* first = text.data();
  char const* last = first + text.size();
  switch (kind) {
    case ValueKind::text:
      return Value(text);
    case ValueKind::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(first, last, n);
      if (ec != std::errc() || end != last) return invalid(std::string(field) + " must be an integer");
      return Value(n);
    }
    case ValueKind::number: {
      double x = 0;
      auto [end, ec] = std::from_chars(first, last, x);
      if (ec != std::errc() || end != last) return invalid(std::string(field) + " must be a number");
      return Value(x);
    }
  }
  return invalid(std::string(field) + " has an unknown kind");
}

}  // namespace corral::config
