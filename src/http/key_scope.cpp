#include "http/key_scope.hpp"

#include "http/authorize.hpp"

namespace corral::http {

void enqueue_as_owner(Request const& req, core::EnqueueRequest& spec) {
  if (req.principal && req.principal->owner) spec.owner = req.principal->owner;
}

std::optional<core::Error> scope_filter(Request const& req, api::JobFilter& filter) {
  if (!req.principal || !req.principal->owner) return std::nullopt;
  if (filter.owner && filter.owner != req.principal->owner) return owner_forbidden(*req.principal);
  filter.owner = req.principal->owner;
  return std::nullopt;
}

std::optional<core::Error> scope_events(Request const& req, wire::EventQuery& query) {
  if (!req.principal || !req.principal->owner) return std::nullopt;
  auto const& owner = *req.principal->owner;
  for (auto const& o : query.filter.owners) {
    if (o != owner) return owner_forbidden(*req.principal);
  }
  if (query.stats) {
    return core::make_error(core::Errc::forbidden,
                            "stats=1 counts every owner's jobs: a key scoped to owner " + owner + " may not ask for it");
  }
  query.filter.owners = {owner};
  return std::nullopt;
}

std::optional<core::Error> check_queues(Request const& req, std::vector<std::string> const& queues) {
  if (!req.principal) return std::nullopt;
  for (auto const& q : queues) {
    if (!req.principal->may_use_queue(q)) return queue_forbidden(*req.principal, q);
  }
  return std::nullopt;
}

}  // namespace corral::http
