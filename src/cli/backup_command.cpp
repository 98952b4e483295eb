// `corral backup DEST`: a consistent copy of the embedded database, taken while the server runs
// (queue/sqlite/backup.hpp). It finds the database as `corral server` does (--db, CORRAL_DB or
// the --config file's db) and reads it itself, on the same machine: see backup.hpp for why the
// server is not asked to make the copy. A PostgreSQL database is backed up with its own tools.
#include "cli/commands.hpp"
#include "cli/server_settings.hpp"
#include "queue/open/open_queue.hpp"

#include <iostream>
#include <memory>

namespace corral::cli {
namespace {

struct BackupArgs {
  std::string dest;
  std::string config_file;
  std::map<std::string, std::string> flags;   // {"--db": URL} when given
};

int backup(BackupArgs const& args) {
  auto cfg = load_server_config(args.config_file, args.flags);
  if (!cfg) {
    std::cerr << "corral backup: " << cfg.error().message << "\n";
    return kExitUsage;
  }
  auto path = queue::sqlite_path(cfg->db);
  if (!path) {
    std::cerr << "corral backup: copies the embedded (sqlite:) database; back up a PostgreSQL database with "
                 "pg_dump (docs/operations.md)\n";
    return kExitUsage;
  }
  if (!*path) {
    std::cerr << "corral backup: " << path->error().message << "\n";
    return kExitUsage;
  }
  auto copy = queue::backup_sqlite_database(**path, args.dest);
  if (!copy) {
    std::cerr << "corral backup: " << copy.error().message << "\n";
    return kExitServerError;
  }
  std::cout << "backed up " << **path << " to " << args.dest << " (" << copy->bytes << " bytes, schema version "
            << copy->schema_version << ")\n";
  return kExitOk;
}

}  // namespace

void register_backup_command(CLI::App& app) {
  auto args = std::make_shared<BackupArgs>();
  auto* cmd = app.add_subcommand("backup", "Copy the embedded database, consistently, while the server runs");
  cmd->add_option("DEST", args->dest, "File to write the copy to; must not exist")->required();
  cmd->add_option_function<std::string>(
      "--db", [args](std::string const& v) { args->flags["--db"] = v; },
      "The database, as the server's --db: sqlite:PATH (default: CORRAL_DB, the --config file's db, else "
      "sqlite:corral-data/corral.db)");
  cmd->add_option("--config", args->config_file, "The server's TOML configuration file, to find its db")
      ->check(CLI::ExistingFile);
  cmd->callback([args] {
    int const code = backup(*args);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace corral::cli
