#include "queue/sqlite/migrate.hpp"

#include <spdlog/spdlog.h>

namespace corral::sqlite {

core::Result<void> migrate(Database& db, std::vector<queue::Migration> const& migrations) {
  auto st = db.prepare("PRAGMA user_version");
  auto row = st.step();
  if (!row) return row.error();
  int const current = static_cast<int>(st.int64(0));
  st.reset();
  int const newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return core::make_error(core::Errc::storage_unavailable,
                            "the database has schema version " + std::to_string(current) +
                                ", newer than this corral knows (" + std::to_string(newest) + ")");
  }
  for (auto const& m : migrations) {
    if (m.version <= current) continue;
    spdlog::info("applying migration {}", m.name);
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r;
    auto r = db.exec(m.sql);
    if (r) r = db.exec("PRAGMA user_version = " + std::to_string(m.version));
    if (r) r = db.exec("COMMIT");
    if (!r) {
      (void)db.exec("ROLLBACK");
      return r;
    }
  }
  return {};
}

}  // namespace corral::sqlite
