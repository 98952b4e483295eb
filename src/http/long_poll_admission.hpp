// max_long_polls for the two requests that park: a fetch with wait_s and GET /jobs/{id}?wait.
// A request that gets no place does not park: it runs with no wait, and if that answers what it
// waited for (jobs were ready, the job had ended) it gets its normal reply; otherwise 503
// too_many_long_polls with Retry-After. So a full server still hands out the work it has.
#pragma once

#include "core/error.hpp"
#include "core/time.hpp"
#include "http/router.hpp"

namespace corral::http {

class LongPollAdmission {
 public:
  // Takes a place if `wait` is positive; when none is left, sets `wait` to zero.
  LongPollAdmission(Context const& ctx, core::Micros& wait);
  // True when the request wanted to wait and may not.
  bool refused() const { return refused_; }
  core::Error error() const;

 private:
  Gate::Pass pass_;
  bool refused_ = false;
  std::size_t max_ = 0;
};

}  // namespace corral::http
