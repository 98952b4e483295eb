#include "queue/postgres/api_key_rows.hpp"

namespace corral::postgres {
namespace {

constexpr std::string_view kColumns = "id, name, role, owner, queues, key_hash, created_at, revoked_at";
constexpr std::string_view kNow = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

core::Result<std::vector<queue::ApiKey>> read_rows(DbResult<Rows> const& rows) {
  if (!rows) return rows.error().error;
  std::vector<queue::ApiKey> out;
  for (int i = 0; i < rows->size(); ++i) {
    auto queues = queue::queues_from_text(std::string(rows->text(i, 4)));
    if (!queues) return queues.error();
    queue::ApiKey key{std::string(rows->text(i, 0)), std::string(rows->text(i, 1)), std::string(rows->text(i, 2)),
                      rows->opt_text(i, 3), std::move(*queues), std::string(rows->text(i, 5)),
                      core::from_unix_micros(rows->int64(i, 6)), std::nullopt};
    if (auto revoked = rows->opt_int64(i, 7)) key.revoked_at = core::from_unix_micros(*revoked);
    out.push_back(std::move(key));
  }
  return out;
}

core::Result<queue::ApiKey> the_row(DbResult<Rows> const& rows, std::string const& id) {
  auto keys = read_rows(rows);
  if (!keys) return keys.error();
  if (keys->empty()) return core::make_error(core::Errc::not_found, "no api key " + id);
  return std::move(keys->front());
}

}  // namespace

core::Result<queue::ApiKey> api_key_create(Connection& conn, queue::ApiKey const& key) {
  static std::string const insert = "INSERT INTO corral_api_keys (" + std::string(kColumns) +
                                    ") VALUES ($1, $2, $3, $4, $5, $6, " + std::string(kNow) +
                                    ", NULL) RETURNING " + std::string(kColumns);
  return the_row(conn.query("corral_api_keys_insert", insert,
                            {key.id, key.name, key.role, key.owner, queue::queues_to_text(key.queues), key.key_hash}),
                 key.id);
}

core::Result<std::vector<queue::ApiKey>> api_key_list(Connection& conn) {
  static std::string const select =
      "SELECT " + std::string(kColumns) + " FROM corral_api_keys ORDER BY created_at, id";
  return read_rows(conn.query("corral_api_keys_list", select, {}));
}

core::Result<queue::ApiKey> api_key_revoke(Connection& conn, std::string const& id) {
  // COALESCE keeps the first revocation's time when a key is revoked again.
  static std::string const update = "UPDATE corral_api_keys SET revoked_at = COALESCE(revoked_at, " +
                                    std::string(kNow) + ") WHERE id = $1 RETURNING " + std::string(kColumns);
  return the_row(conn.query("corral_api_keys_revoke", update, {id}), id);
}

core::Result<std::optional<queue::ApiKey>> api_key_find(Connection& conn, std::string const& key_hash) {
  static std::string const select = "SELECT " + std::string(kColumns) + " FROM corral_api_keys WHERE key_hash = $1";
  auto keys = read_rows(conn.query("corral_api_keys_find", select, {key_hash}));
  if (!keys) return keys.error();
  if (keys->empty()) return std::optional<queue::ApiKey>{};
  return std::optional(std::move(keys->front()));
}

core::Result<std::int64_t> api_key_count(Connection& conn) {
  auto rows = conn.query("corral_api_keys_count", "SELECT count(*) FROM corral_api_keys", {});
  if (!rows) return rows.error().error;
  return rows->int64(0, 0);
}

}  // namespace corral::postgres
