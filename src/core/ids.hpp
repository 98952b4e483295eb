// Job ids and lease tokens from random bits the caller draws: opaque, URL-safe, 128 bits each, so
// no coordination between writers (threads or nodes) is needed. Pure: the time and the randomness
// are arguments.
#pragma once

#include "core/time.hpp"

#include <cstdint>
#include <string>

namespace corral::core {

// "job_" and 26 Crockford base32 digits laid out as a ULID: the enqueue time in milliseconds
// (48 bits), then 80 random bits (the low 16 bits of `random_high` and all of `random_low`), most
// significant first, so ids made later sort later. Random ids put every new job on a random page
// of the unique index on ids: a batch of 100 enqueues wrote about 100 index pages to the log
// instead of one or two. Time-ordered ids append, as the sequence numbers do.
std::string make_job_id(TimePoint now, std::uint64_t random_high, std::uint64_t random_low);
// 32 hex digits.
std::string make_lease_token(std::uint64_t high, std::uint64_t low);

}  // namespace corral::core
