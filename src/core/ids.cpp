#include "core/ids.hpp"

namespace corral::core {

std::string make_job_id(TimePoint now, std::uint64_t random_high, std::uint64_t random_low) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  auto const millis = static_cast<std::uint64_t>(to_unix_micros(now) / 1000) & ((std::uint64_t{1} << 48) - 1);
  // The 128 bits as two halves: time (48) and 16 random bits, then 64 random bits.
  std::uint64_t const high = (millis << 16) | (random_high & 0xffff);
  std::uint64_t const low = random_low;
  std::string id(4 + 26, '0');
  id.replace(0, 4, "job_");
  // Digit i (0 = most significant) holds bits [125 - 5i, 129 - 5i] of the 130-bit number whose
  // top two bits are zero.
  for (int i = 0; i < 26; ++i) {
    int const shift = 125 - 5 * i;   // of the digit's lowest bit
    std::uint64_t v = 0;
    if (shift >= 64) {
      v = high >> (shift - 64);
    } else if (shift > 59) {
      v = (high << (64 - shift)) | (low >> shift);
    } else {
      v = low >> shift;
    }
    id[4 + static_cast<std::size_t>(i)] = kAlphabet[v & 31];
  }
  return id;
}

std::string make_lease_token(std::uint64_t high, std::uint64_t low) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  for (auto v : {high, low}) {
    for (int i = 0; i < 16; ++i, v >>= 4) t += kHex[v & 15];
  }
  return t;
}

}  // namespace corral::core
