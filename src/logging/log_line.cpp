#include "logging/log_line.hpp"

#include "core/number_text.hpp"
#include "logging/log_setup.hpp"
#include "wire/json_text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <cmath>

namespace corral::logging {

namespace {

// Bytes a text value may hold and still read back as itself without quotes: printable ASCII but
// space, '"' and '='; and bytes a JSON string holds as they are: printable ASCII but '"' and '\\'.
constexpr auto kBareInText = [] {
  std::array<bool, 256> bare{};
  for (int c = '!'; c <= '~'; ++c) bare[static_cast<std::size_t>(c)] = c != '"' && c != '=';
  return bare;
}();
constexpr auto kPlainInJson = [] {
  std::array<bool, 256> plain{};
  for (int c = ' '; c <= '~'; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

bool all_in(std::array<bool, 256> const& table, std::string_view value) {
  for (char c : value) {
    if (!table[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

}  // namespace

Lines::Lines() : format_(format()) {}

void Lines::put(std::string_view bytes) {
  if (staged_size_ + bytes.size() > sizeof staged_) {
    unstaged().append(bytes);
    return;
  }
  std::memcpy(staged_ + staged_size_, bytes.data(), bytes.size());
  staged_size_ += bytes.size();
}

void Lines::put(char c) {
  if (staged_size_ == sizeof staged_) unstaged();
  staged_[staged_size_++] = c;
}

std::string& Lines::unstaged() {
  payload_.append(staged_, staged_size_);
  staged_size_ = 0;
  return payload_;
}

Lines& Lines::line(spdlog::level::level_enum level, std::string_view message) {
  in_line_ = enabled(level);
  if (!in_line_) return *this;
  if (level_ == spdlog::level::off || level > level_) level_ = level;
  if (!payload_.empty() || staged_size_ > 0) put('\n');
  put(static_cast<char>('0' + level));
  if (format_ == Format::json) put(R"("message":)");
  value(message, format_ == Format::text);
  return *this;
}

// Most values (ids, names, kinds) need neither quotes as text nor escapes as JSON; the others are
// written as JSON strings, in both formats.
void Lines::value(std::string_view v, bool bare_text) {
  if (format_ == Format::json ? all_in(kPlainInJson, v) : bare_text || (!v.empty() && all_in(kBareInText, v))) {
    if (format_ == Format::json) put('"');
    put(v);
    if (format_ == Format::json) put('"');
  } else {
    wire::append_json_string(unstaged(), v);
  }
}

// Keys are Corral's own identifiers: nothing to escape.
void Lines::key(std::string_view name) {
  if (format_ == Format::json) {
    put(",\"");
    put(name);
    put("\":");
  } else {
    put(' ');
    put(name);
    put('=');
  }
}

Lines& Lines::field(std::string_view name, std::string_view v) {
  if (!in_line_) return *this;
  key(name);
  value(v);
  return *this;
}

Lines& Lines::field(std::string_view name, std::optional<std::string> const& value) {
  if (value) field(name, std::string_view(*value));
  return *this;
}

Lines& Lines::field(std::string_view name, std::int64_t value) {
  if (!in_line_) return *this;
  key(name);
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  put(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  return *this;
}

Lines& Lines::field(std::string_view name, double value) {
  if (!in_line_) return *this;
  key(name);
  // JSON has no NaN or infinity; no field Corral logs should hold one, but a line stays JSON.
  if (std::isfinite(value)) core::append_number(unstaged(), value);
  else put("null");
  return *this;
}

// Whole seconds, then the microseconds without their trailing zeros: what append_number writes
// for the same value, at a fraction of its cost.
Lines& Lines::seconds(std::string_view name, core::Micros value) {
  if (!in_line_) return *this;
  key(name);
  auto us = value.count();
  if (us < 0) {
    put('-');
    us = -us;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + 24, us / 1'000'000);
  if (auto fraction = us % 1'000'000) {
    *end++ = '.';
    for (int i = 5; i >= 0; --i, fraction /= 10) end[i] = static_cast<char>('0' + fraction % 10);
    end += 6;
    while (end[-1] == '0') --end;
  }
  put(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  return *this;
}

void Lines::write(Via via) {
  unstaged();
  auto& logger = via == Via::this_thread ? fields_logger_here() : fields_logger();
  if (!payload_.empty()) logger.log(level_, spdlog::string_view_t(payload_.data(), payload_.size()));
  payload_.clear();
  in_line_ = false;
  level_ = spdlog::level::off;
}

bool enabled(spdlog::level::level_enum level) { return fields_logger().should_log(level); }

spdlog::level::level_enum level_of_record(std::string_view record) {
  auto const digit = record.empty() ? spdlog::level::info : record[0] - '0';
  return digit >= spdlog::level::trace && digit < spdlog::level::off ? static_cast<spdlog::level::level_enum>(digit)
                                                                      : spdlog::level::info;
}

}  // namespace corral::logging
