#include "core/ids.hpp"

namespace corral::core {

std::string make_job_id(std::uint64_t high, std::uint64_t low) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string id = "job_";
  for (auto part : {high, low}) {
    for (int i = 0; i < 13; ++i) {
      id += kAlphabet[part & 31];
      part >>= 5;
    }
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
