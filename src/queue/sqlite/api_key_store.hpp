// API key records in the embedded database (queue/api_keys.hpp): plain statements on the table
// of migration 012. Writes run on the writer thread inside its batch's transaction; reads on a
// reader connection.
#pragma once

#include "queue/api_keys.hpp"
#include "queue/sqlite/database.hpp"

#include <optional>
#include <vector>

namespace corral::sqlite {

core::Result<queue::ApiKey> api_key_create(Database& db, queue::ApiKey key, core::TimePoint now);
core::Result<std::vector<queue::ApiKey>> api_key_list(Database& db);
// not_found when no key has `id`; a revoked key stays as it was.
core::Result<queue::ApiKey> api_key_revoke(Database& db, std::string const& id, core::TimePoint now);
core::Result<std::optional<queue::ApiKey>> api_key_find(Database& db, std::string const& key_hash);
core::Result<std::int64_t> api_key_count(Database& db);

}  // namespace corral::sqlite
