// What becomes of a pushed job after its endpoint's reply: the rule alone, pure (`now` is an
// argument, for a Retry-After given as a date), so that it is tested without a clock or an
// endpoint.
//
//   2xx with a body       complete, the body as result (JSON as it is, anything else as a string)
//   202                   nothing: the endpoint reports later through the API with the lease token
//   other 2xx, empty      complete with a null result
//   4xx but 408 and 429   fail for good (push_rejected), retries skipped: resending cannot help
//   408, 429, 5xx, other  fail, retried by the job's backoff (push_failed); 429 and 503 with a
//                         Retry-After set the next attempt's earliest time instead
//   no reply in time      fail, retried (push_timeout)
//   no connection         fail, retried (push_unreachable)
#pragma once

#include "core/job.hpp"
#include "core/time.hpp"
#include "outbound/client.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace corral::push {

// The most of a reply's body an error message quotes.
inline constexpr std::size_t kExcerptBytes = 200;
// A Retry-After further off than this is taken as this: an endpoint cannot park a job for ever.
inline constexpr core::Micros kMaxRetryAfter = std::chrono::hours(24);

struct Verdict {
  enum class Kind { complete, accepted, fail };
  Kind kind = Kind::complete;
  std::optional<std::string> result;     // complete: JSON text; none for a null result
  core::JobError error;                  // fail
  std::optional<core::Micros> retry_in;  // fail: from Retry-After
  // The outcome class counted in corral_push_requests_total: completed, accepted, rejected
  // (failed for good) or failed (to be retried).
  std::string_view outcome() const;
};

Verdict judge(outbound::Reply const& reply, core::TimePoint now);

// A Retry-After value: delay-seconds or an HTTP date (IMF-fixdate), as a delay from `now`, at
// least 0 and at most kMaxRetryAfter; nullopt if it is neither.
std::optional<core::Micros> parse_retry_after(std::string_view value, core::TimePoint now);

}  // namespace corral::push
