#include "queue/sqlite/api_key_store.hpp"

namespace corral::sqlite {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, name, role, owner, queues, key_hash, created_at, revoked_at FROM api_keys ";

core::Result<queue::ApiKey> read_row(Statement const& st) {
  auto queues = queue::queues_from_text(st.text(4));
  if (!queues) return queues.error();
  queue::ApiKey key{st.text(0), st.text(1), st.text(2), st.opt_text(3), std::move(*queues), st.text(5),
                    core::from_unix_micros(st.int64(6)), std::nullopt};
  if (auto revoked = st.opt_int64(7)) key.revoked_at = core::from_unix_micros(*revoked);
  return key;
}

// Every row `st` gives.
core::Result<std::vector<queue::ApiKey>> read_rows(Statement& st) {
  std::vector<queue::ApiKey> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    auto key = read_row(st);
    if (!key) return key.error();
    out.push_back(std::move(*key));
  }
}

core::Result<std::optional<queue::ApiKey>> first_of(Statement& st) {
  auto rows = read_rows(st);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<queue::ApiKey>{};
  return std::optional(std::move(rows->front()));
}

}  // namespace

core::Result<queue::ApiKey> api_key_create(Database& db, queue::ApiKey key, core::TimePoint now) {
  auto st = db.prepare(
      "INSERT INTO api_keys (id, name, role, owner, queues, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  key.created_at = now;
  key.revoked_at.reset();
  st.bind(1, key.id).bind(2, key.name).bind(3, key.role).bind(4, key.owner).bind(5, queue::queues_to_text(key.queues));
  st.bind(6, key.key_hash).bind(7, core::to_unix_micros(now));
  if (auto r = st.run(); !r) return r.error();
  return key;
}

core::Result<std::vector<queue::ApiKey>> api_key_list(Database& db) {
  auto st = db.prepare(std::string(kSelect) + "ORDER BY created_at, id");
  return read_rows(st);
}

core::Result<queue::ApiKey> api_key_revoke(Database& db, std::string const& id, core::TimePoint now) {
  auto st = db.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  st.bind(1, id).bind(2, core::to_unix_micros(now));
  if (auto r = st.run(); !r) return r.error();
  auto get = db.prepare(std::string(kSelect) + "WHERE id = ?1");
  get.bind(1, id);
  auto found = first_of(get);
  if (!found) return found.error();
  if (!*found) return core::make_error(core::Errc::not_found, "no api key " + id);
  return std::move(**found);
}

core::Result<std::optional<queue::ApiKey>> api_key_find(Database& db, std::string const& key_hash) {
  auto st = db.prepare(std::string(kSelect) + "WHERE key_hash = ?1");
  st.bind(1, key_hash);
  return first_of(st);
}

core::Result<std::int64_t> api_key_count(Database& db) {
  auto st = db.prepare("SELECT count(*) FROM api_keys");
  auto row = st.step();
  if (!row) return row.error();
  return st.int64(0);
}

}  // namespace corral::sqlite
