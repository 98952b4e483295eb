#include "core/ids.hpp"

#include <initializer_list>

namespace corral::core {

std::string make_job_id(TimePoint now, std::uint64_t random_high, std::uint64_t random_low) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  auto const millis = static_cast<std::uint64_t>(to_unix_micros(now) / 1000) & ((std::uint64_t{1} << 48) - 1);
  // The 128 bits as two halves (48 bits of time and 16 random, then 64 random), written from the
  // least significant digit up, 5 bits at a time; the top digit gets the last 3.
  std::uint64_t high = (millis << 16) | (random_high & 0xffff);
  std::uint64_t low = random_low;
  std::string id(4 + 26, '0');
  id.replace(0, 4, "job_");
  for (std::size_t i = id.size(); i-- > 4;) {
    id[i] = kAlphabet[low & 31];
    low = (low >> 5) | (high << 59);
    high >>= 5;
  }
  return id;
}

namespace {

// 16 hex digits per word, least significant digit first (the layout lease tokens always had).
std::string hex_of(std::initializer_list<std::uint64_t> words) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  t.reserve(16 * words.size());
  for (auto v : words) {
    for (int i = 0; i < 16; ++i, v >>= 4) t += kHex[v & 15];
  }
  return t;
}

bool is_lower_hex(std::string_view s) {
  return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string make_lease_token(std::uint64_t high, std::uint64_t low) { return hex_of({high, low}); }

std::string make_trace_id(std::uint64_t high, std::uint64_t low) {
  return hex_of({high, high == 0 && low == 0 ? std::uint64_t{1} : low});
}

std::string make_span_id(std::uint64_t bits) { return hex_of({bits == 0 ? std::uint64_t{1} : bits}); }

bool is_trace_id(std::string_view s) {
  return s.size() == 32 && is_lower_hex(s) && s.find_first_not_of('0') != std::string_view::npos;
}

}  // namespace corral::core
