// `corral`: one binary for the server, the client commands and the shell worker.
// Only wiring here; each subcommand lives in its own file.
#include "cli/commands.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  namespace cli = corral::cli;
  CLI::App app{"Corral: a durable, observable job-queue server"};
  app.require_subcommand(1);
  cli::register_server_command(app);
  cli::register_job_commands(app);
  cli::register_worker_command(app);
  cli::register_bench_command(app);
  cli::register_backup_command(app);
  cli::register_prune_command(app);
  cli::register_tail_command(app);
  cli::register_stats_commands(app);
  cli::register_keys_command(app);
  cli::register_schedule_commands(app);
  try {
    app.parse(argc, argv);
  } catch (CLI::RuntimeError const& e) {
    return e.get_exit_code();   // a command's own outcome; it has printed what it had to say
  } catch (CLI::ParseError const& e) {
    // Prints help (--help, exit 0) or the usage error; every usage error exits kExitUsage rather
    // than CLI11's own code per kind of error, so scripts see one documented code.
    int code = app.exit(e);
    return code == cli::kExitOk ? cli::kExitOk : cli::kExitUsage;
  } catch (std::exception const& e) {
    std::cerr << "error: " << e.what() << "\n";
    return cli::kExitServerError;
  }
  return cli::kExitOk;
}
