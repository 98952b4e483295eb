// Who a request acts as: the key it was sent with, and that key's scope. The HTTP layer applies
// the scope (http/authorize.hpp); this says what it means.
#pragma once

#include "auth/role.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace corral::auth {

struct Principal {
  std::string key_id;
  std::string key_name;
  Role role = Role::viewer;
  std::optional<std::string> owner;   // set: acts as this owner and sees only its jobs
  std::vector<std::string> queues;    // not empty: fetches and reports on these queues only

  bool may_use_queue(std::string_view queue) const {
    return queues.empty() || std::find(queues.begin(), queues.end(), queue) != queues.end();
  }
  // Whether a job of `job_owner` is visible to this key.
  bool sees_owner(std::optional<std::string> const& job_owner) const { return !owner || owner == job_owner; }
};

}  // namespace corral::auth
