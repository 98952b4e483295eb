// API key records in PostgreSQL (queue/api_keys.hpp): one statement each, on the table of
// migration 011, each committing on its own (autocommit), by the database's clock.
//
// Not thread-safe: each call uses the connection it is given.
#pragma once

#include "queue/api_keys.hpp"
#include "queue/postgres/connection.hpp"

#include <optional>
#include <vector>

namespace corral::postgres {

core::Result<queue::ApiKey> api_key_create(Connection& conn, queue::ApiKey const& key);
core::Result<std::vector<queue::ApiKey>> api_key_list(Connection& conn);
// not_found when no key has `id`; a revoked key stays as it was.
core::Result<queue::ApiKey> api_key_revoke(Connection& conn, std::string const& id);
core::Result<std::optional<queue::ApiKey>> api_key_find(Connection& conn, std::string const& key_hash);
core::Result<std::int64_t> api_key_count(Connection& conn);

}  // namespace corral::postgres
