#include "core/idempotency.hpp"

namespace corral::core {
namespace {

std::optional<IdempotencyKey> make(std::optional<std::string> const& owner, std::optional<std::string> const& key) {
  if (!key) return std::nullopt;
  return IdempotencyKey{owner.value_or(""), *key};
}

}  // namespace

std::optional<IdempotencyKey> idempotency_key_of(EnqueueRequest const& req) { return make(req.owner, req.idempotency_key); }

std::optional<IdempotencyKey> idempotency_key_of(Job const& job) { return make(job.owner, job.idempotency_key); }

}  // namespace corral::core
