#pragma once
// Idempotency keys are unique per owner: owner acme's "report-42" and owner zen's are two jobs, so
// one tenant's key can neither find nor block another's job. Jobs with no owner share one scope
// (an empty owner is that scope too, as the stores' coalesce(owner, '') has it).

#include "core/enqueue_spec.hpp"
#include "core/job.hpp"

#include <optional>
#include <string>

namespace corral::core {

struct IdempotencyKey {
  std::string owner;   // "" for jobs with no owner
  std::string key;

  // The pair as one string, for maps: owner and key are printable (enqueue_spec.hpp), so the
  // newline between them is part of neither and no two pairs give one slot.
  std::string slot() const { return owner + '\n' + key; }
};

// None when the request or job has no idempotency key.
std::optional<IdempotencyKey> idempotency_key_of(EnqueueRequest const& req);
std::optional<IdempotencyKey> idempotency_key_of(Job const& job);

}  // namespace corral::core
