// The filters a job list (GET /jobs query) and a bulk action (POST /jobs/bulk "filter") share,
// read from text by one function, so both refuse a bad value with the same message.
#pragma once

#include "api/requests.hpp"
#include "core/error.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace corral::wire {

// The names read_filter_field() reads.
std::span<std::string_view const> filter_field_names();

// Sets the field `name` (one of filter_field_names()) of `filter` from `value`, a non-empty text:
//   status          a state, or several separated by commas ("failed,cancelled")
//   queue, type     a name as at enqueue; owner 1..256 printable ASCII
//   error_code      1..128 characters of a-z 0-9 _ . -
//   error_text      1..200 characters (a case-insensitive substring)
//   created_after, created_before   RFC 3339 times
// invalid_argument naming the field if the value is bad.
std::optional<core::Error> read_filter_field(std::string_view name, std::string_view value, api::JobFilter& filter);

}  // namespace corral::wire
