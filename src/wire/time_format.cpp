// RFC 3339 timestamps with the C++20 calendar types: no locale, no time zone database, no
// strptime. Parsing is a hand-written scanner over the one fixed layout RFC 3339 allows, so that
// every malformed input (Feb 30, hour 24, a missing offset) is rejected rather than normalised.
//
// Leap seconds (second 60) are rejected: system_clock does not count them, and silently moving
// the instant would be worse than a clear 400. Years are 0000..9999, as RFC 3339 requires.
#include "wire/time_format.hpp"

#include <array>
#include <chrono>
#include <cstdint>

namespace corral::wire {
namespace {

namespace chrono = std::chrono;

// Writes `value` as exactly `width` decimal digits at `out` (value must fit).
char* put_digits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// A cursor over the input that reads fixed-width digit groups and literal characters.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool digits(int width, int& out) {
    if (s_.size() - pos_ < static_cast<std::size_t>(width)) return false;
    int value = 0;
    for (int i = 0; i < width; ++i) {
      char c = s_[pos_ + static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<std::size_t>(width);
    out = value;
    return true;
  }
  bool literal(char c) { return one_of(std::string_view(&c, 1)) != '\0'; }
  // Consumes the next character if it is one of `chars`; returns it, or '\0'.
  char one_of(std::string_view chars) {
    if (pos_ >= s_.size() || chars.find(s_[pos_]) == std::string_view::npos) return '\0';
    return s_[pos_++];
  }
  bool at_end() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// ".ddd…" after the seconds: 1..9 digits, truncated to microseconds.
bool fraction_micros(Scanner& in, std::int64_t& micros) {
  micros = 0;
  if (!in.literal('.')) return true;
  int count = 0;
  int digit = 0;
  while (in.digits(1, digit)) {
    if (++count > 9) return false;
    if (count <= 6) micros = micros * 10 + digit;
  }
  if (count == 0) return false;
  for (int i = count; i < 6; ++i) micros *= 10;
  return true;
}

// "Z" | "z" | ("+"|"-") HH ":" MM, as an offset east of UTC.
bool utc_offset(Scanner& in, chrono::minutes& offset) {
  if (in.one_of("Zz") != '\0') {
    offset = chrono::minutes(0);
    return true;
  }
  char sign = in.one_of("+-");
  int hours = 0;
  int minutes = 0;
  if (sign == '\0' || !in.digits(2, hours) || !in.literal(':') || !in.digits(2, minutes)) return false;
  if (hours > 23 || minutes > 59) return false;
  offset = chrono::minutes(hours * 60 + minutes) * (sign == '-' ? -1 : 1);
  return true;
}

}  // namespace

// `t` lies in years 0000..9999 (everything parse_rfc3339 returns and every clock reading does).
void append_rfc3339(std::string& out, core::TimePoint t) {
  auto day = chrono::floor<chrono::days>(t);
  chrono::year_month_day date{day};
  chrono::hh_mm_ss<core::Micros> time{t - day};

  std::array<char, 27> buf{};  // "YYYY-MM-DDTHH:MM:SS.uuuuuuZ"
  char* p = buf.data();
  p = put_digits(p, static_cast<int>(date.year()), 4);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(date.month()), 2);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(date.day()), 2);
  *p++ = 'T';
  p = put_digits(p, time.hours().count(), 2);
  *p++ = ':';
  p = put_digits(p, time.minutes().count(), 2);
  *p++ = ':';
  p = put_digits(p, time.seconds().count(), 2);
  *p++ = '.';
  p = put_digits(p, time.subseconds().count(), 6);
  *p++ = 'Z';
  out.append(buf.data(), static_cast<std::size_t>(p - buf.data()));   // not (first, last): a replace()
}

std::string format_rfc3339(core::TimePoint t) {
  std::string out;
  append_rfc3339(out, t);
  return out;
}

std::optional<core::TimePoint> parse_rfc3339(std::string_view s) {
  Scanner in(s);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t micros = 0;
  chrono::minutes offset{0};
  bool ok = in.digits(4, year) && in.literal('-') && in.digits(2, month) && in.literal('-') &&
            in.digits(2, day) && in.one_of("Tt ") != '\0' && in.digits(2, hour) && in.literal(':') &&
            in.digits(2, minute) && in.literal(':') && in.digits(2, second) &&
            fraction_micros(in, micros) && utc_offset(in, offset) && in.at_end();
  if (!ok || hour > 23 || minute > 59 || second > 59) return std::nullopt;

  chrono::year_month_day date{chrono::year(year), chrono::month(static_cast<unsigned>(month)),
                              chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;  // Feb 30, month 13, day 0, Feb 29 in a common year

  core::TimePoint local = chrono::sys_days(date) + chrono::hours(hour) + chrono::minutes(minute) +
                          chrono::seconds(second) + core::Micros(micros);
  core::TimePoint utc = local - offset;
  // An offset can carry 0000-01-01 or 9999-12-31 across the year range RFC 3339 can write.
  int utc_year = static_cast<int>(chrono::year_month_day{chrono::floor<chrono::days>(utc)}.year());
  if (utc_year < 0 || utc_year > 9999) return std::nullopt;
  return utc;
}

}  // namespace corral::wire
