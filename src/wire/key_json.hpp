// The body of POST /api/v1/keys: {"role", "owner"?, "queues"?, "name"?}. The role is checked
// against the known roles by the caller (auth/role.hpp), which wire/ does not know.
#pragma once

#include "core/error.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace corral::wire {

struct KeyRequest {
  std::string role;
  std::optional<std::string> owner;
  std::vector<std::string> queues;   // empty: every queue
  std::string name;
};

core::Result<KeyRequest> parse_key_request(boost::json::value const& v);

// The body of POST /api/v1/session: {"key"}, the API key the dashboard signs in with.
struct SignInRequest {
  std::string key;
};

core::Result<SignInRequest> parse_sign_in(boost::json::value const& v);

}  // namespace corral::wire
