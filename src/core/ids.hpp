// Job ids, lease tokens and W3C trace context ids from random bits the caller draws: opaque,
// URL-safe, so no coordination between writers (threads or nodes) is needed. Pure: the time and
// the randomness are arguments.
#pragma once

#include "core/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace corral::core {

// "job_" and 26 Crockford base32 digits laid out as a ULID: the enqueue time in milliseconds
// (48 bits), then 80 random bits (the low 16 bits of `random_high` and all of `random_low`), most
// significant first, so ids made later sort later. Random ids put every new job on a random page
// of the unique index on ids: a batch of 100 enqueues wrote about 100 index pages to the log
// instead of one or two. Time-ordered ids append, as the sequence numbers do.
std::string make_job_id(TimePoint now, std::uint64_t random_high, std::uint64_t random_low);
// 32 hex digits.
std::string make_lease_token(std::uint64_t high, std::uint64_t low);

// A W3C trace id (https://www.w3.org/TR/trace-context/#trace-id): 32 lowercase hex digits, not all
// zero (the spec's invalid value; all-zero bits give ...01 instead).
std::string make_trace_id(std::uint64_t high, std::uint64_t low);
// A W3C parent (span) id: 16 lowercase hex digits, not all zero.
std::string make_span_id(std::uint64_t bits);
// True for a valid W3C trace id: 32 lowercase hex digits, not all zero.
bool is_trace_id(std::string_view s);

}  // namespace corral::core
