// API key records (docs/security.md): what the store keeps of a key, the key's SHA-256 digest
// and never the key. Rows are never deleted: a revoked key keeps its row, so its id stays in the
// list and in audit lines, and the deployment stays closed once it has had a key.
#pragma once

#include "core/error.hpp"
#include "core/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace corral::queue {

struct ApiKey {
  std::string id;                     // "key_" + hex (auth/key_text.hpp); not secret
  std::string name;
  std::string role;                   // auth::Role's name; the store does not judge it
  std::optional<std::string> owner;
  std::vector<std::string> queues;
  std::string key_hash;               // SHA-256 of the key, hex
  core::TimePoint created_at{};
  std::optional<core::TimePoint> revoked_at;
  bool operator==(ApiKey const&) const = default;
};

// The queues column: a JSON array's text, so that a queue name may hold any character.
std::string queues_to_text(std::vector<std::string> const& queues);
core::Result<std::vector<std::string>> queues_from_text(std::string const& text);

}  // namespace corral::queue
