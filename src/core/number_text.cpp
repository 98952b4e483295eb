#include "core/number_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace corral::core {
namespace {

// 2^53: every whole number below it is exact in a double and fits std::int64_t.
constexpr double kMaxExactInteger = 9007199254740992.0;

// The laid-out forms switch at these decimal exponents, as JavaScript's do: n is the position
// of the decimal point relative to the first significant digit (1.5 has n = 1, 0.015 has n = -1).
constexpr int kMaxPlainExponent = 21;
constexpr int kMinPlainExponent = -6;

}  // namespace

void append_number(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buffer[32];
  // Whole numbers, by far the most common (timeouts, counts), take the integer path.
  if (d == std::trunc(d) && std::fabs(d) < kMaxExactInteger) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(d));
    out.append(buffer, end);
    return;
  }

  // The shortest round-trip digits in exponent form: "-1.308405313e+00", "1e-07".
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  auto const e = text.find('e');
  // The significant digits without the point (at most 17), and the exponent ("+00", "-07").
  char digit_buffer[24];
  digit_buffer[0] = text[0];
  std::string_view const fraction = e > 1 ? text.substr(2, e - 2) : std::string_view();
  fraction.copy(digit_buffer + 1, fraction.size());
  std::string_view const digits(digit_buffer, 1 + fraction.size());
  std::string_view exponent_text = text.substr(e + 1);
  if (exponent_text.front() == '+') exponent_text.remove_prefix(1);  // from_chars takes only '-'
  int exponent = 0;
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  int const k = static_cast<int>(digits.size());
  int const n = exponent + 1;

  if (k <= n && n <= kMaxPlainExponent) {            // 123000000000000000000
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= kMaxPlainExponent) {      // 1.308
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (kMinPlainExponent < n && n <= 0) {      // 0.000015
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {                                           // 1.5e+300, 1e-7
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += exponent >= 0 ? "e+" : "e-";
    char exponent_buffer[8];
    auto [exponent_end, exponent_ec] = std::to_chars(exponent_buffer, exponent_buffer + sizeof exponent_buffer,
                                                     exponent < 0 ? -exponent : exponent);
    out.append(exponent_buffer, exponent_end);
  }
}

std::string format_number(double d) {
  std::string out;
  append_number(out, d);
  return out;
}

}  // namespace corral::core
