#include "queue/postgres/migrate.hpp"

#include <spdlog/spdlog.h>

namespace corral::postgres {
namespace {

// Any constant every Corral node agrees on; "corral" in ASCII.
constexpr char kLockKey[] = "636f7272616c";

}  // namespace

core::Result<void> migrate(Connection& conn, std::vector<queue::Migration> const& migrations) {
  auto run = [&]() -> DbResult<void> {
    if (auto r = conn.exec("BEGIN"); !r) return r.error();
    if (auto r = conn.exec(std::string("SELECT pg_advisory_xact_lock(x'") + kLockKey + "'::bigint)"); !r) {
      return r.error();
    }
    if (auto r = conn.exec(
            "CREATE TABLE IF NOT EXISTS corral_schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        !r) {
      return r.error();
    }
    auto current_rows = conn.exec("SELECT coalesce(max(version), 0) FROM corral_schema_migrations");
    if (!current_rows) return current_rows.error();
    int const current = static_cast<int>(current_rows->int64(0, 0));
    int const newest = migrations.empty() ? 0 : migrations.back().version;
    if (current > newest) {
      return DbFailure{core::make_error(core::Errc::storage_unavailable,
                                        "the database has schema version " + std::to_string(current) +
                                            ", newer than this corral knows (" + std::to_string(newest) + ")"),
                       false, false};
    }
    for (auto const& m : migrations) {
      if (m.version <= current) continue;
      spdlog::info("applying migration {}", m.name);
      if (auto r = conn.exec(std::string(m.sql)); !r) return r.error();
      if (auto r = conn.query("INSERT INTO corral_schema_migrations (version, name) VALUES ($1, $2)",
                              {std::to_string(m.version), std::string(m.name)});
          !r) {
        return r.error();
      }
    }
    if (auto r = conn.exec("COMMIT"); !r) return r.error();
    return {};
  };
  auto r = run();
  if (!r) {
    (void)conn.exec("ROLLBACK");
    return r.error().error;
  }
  return {};
}

}  // namespace corral::postgres
