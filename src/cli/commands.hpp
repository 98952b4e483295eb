// Each `corral` subcommand registers itself on the CLI11 app. A command reports its exit code by
// throwing CLI::RuntimeError(code); main() turns that into the process exit code.
//
// Exit codes (docs/cli.md): 0 success; 1 the server answered with an error (e.g. 404, 409);
// 2 bad usage; 3 the server could not be reached; 4 `get --wait` timed out before the job ended;
// 5 and 6 `health` found the server degraded or unhealthy.
#pragma once

#include <CLI/CLI.hpp>

namespace corral::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitServerError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;
inline constexpr int kExitWaitTimedOut = 4;
inline constexpr int kExitDegraded = 5;     // `corral health`: the server is degraded
inline constexpr int kExitUnhealthy = 6;    // `corral health`: the server is unhealthy

void register_server_command(CLI::App& app);   // server_command.cpp
void register_job_commands(CLI::App& app);     // job_commands.cpp: enqueue get list cancel retry queues
void register_worker_command(CLI::App& app);   // worker_command.cpp
void register_bench_command(CLI::App& app);    // bench_command.cpp: load generator
void register_backup_command(CLI::App& app);   // backup_command.cpp
void register_prune_command(CLI::App& app);    // prune_command.cpp
void register_tail_command(CLI::App& app);     // tail_command.cpp
void register_stats_commands(CLI::App& app);   // stats_commands.cpp: stats health
void register_keys_command(CLI::App& app);     // keys_command.cpp: keys create list revoke
void register_schedule_commands(CLI::App& app); // schedule_commands.cpp: schedules list get create ...

}  // namespace corral::cli
