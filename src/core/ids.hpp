// Job ids and lease tokens from random bits the caller draws: opaque, URL-safe, 128 bits each, so
// no coordination between writers (threads or nodes) is needed. Pure: the randomness is an argument.
#pragma once

#include <cstdint>
#include <string>

namespace corral::core {

// "job_" and 26 Crockford-style base32 digits.
std::string make_job_id(std::uint64_t high, std::uint64_t low);
// 32 hex digits.
std::string make_lease_token(std::uint64_t high, std::uint64_t low);

}  // namespace corral::core
