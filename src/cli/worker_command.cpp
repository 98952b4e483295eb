// `corral worker --queue Q --exec CMD`: runs CMD once per job (client::run_shell_job) on
// client::Worker's threads, and logs one line per event on stdout (JSON lines with --json).
//
// SIGINT and SIGTERM (stop_signals.hpp) stop the worker gracefully: no more fetches, running
// commands finish and are reported, exit 0.
#include "cli/commands.hpp"
#include "cli/flag_checks.hpp"
#include "cli/output.hpp"
#include "cli/stop_signals.hpp"
#include "client/shell_job.hpp"
#include "client/worker.hpp"
#include "wire/json_text.hpp"
#include "wire/time_format.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

namespace corral::cli {

namespace {

namespace json = boost::json;
using client::WorkerEvent;

struct WorkerArgs {
  ClientOptions client;
  std::vector<std::string> queues;
  std::string command;
  int concurrency = 1;
  std::optional<double> lease_s;
};

std::string_view event_name(WorkerEvent const& e) {
  switch (e.kind) {
    case WorkerEvent::Kind::started: return "started";
    case WorkerEvent::Kind::completed: return "completed";
    case WorkerEvent::Kind::failed: return "failed";
    case WorkerEvent::Kind::cancelled: return "cancelled";
    case WorkerEvent::Kind::lease_lost: return "lease_lost";
    case WorkerEvent::Kind::released: return "released";
    case WorkerEvent::Kind::problem: return "problem";
  }
  return "problem";
}

bool has_duration(WorkerEvent const& e) {
  return e.kind == WorkerEvent::Kind::completed || e.kind == WorkerEvent::Kind::failed ||
         e.kind == WorkerEvent::Kind::cancelled;
}

std::string now_text() {
  return wire::format_rfc3339(std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now()));
}

// One line per event, whole lines only: events come from every worker thread.
class EventLog {
 public:
  explicit EventLog(bool json) : json_(json) {}

  void operator()(WorkerEvent const& e) { print(json_ ? json_line(e) : human_line(e)); }

  // A line about the worker itself ("ready", "stopped"), not about a job.
  void note(std::string_view event, std::string const& message) {
    if (json_) {
      print(wire::serialize_json(json::object{{"time", now_text()}, {"event", event}, {"message", message}}));
    } else {
      print(now_text() + " " + std::string(event) + ": " + message);
    }
  }

 private:
  static std::string json_line(WorkerEvent const& e) {
    json::object o{{"time", now_text()}, {"event", event_name(e)}};
    if (!e.job_id.empty()) {
      o["job_id"] = e.job_id;
      o["type"] = e.job_type;
      o["attempt"] = e.attempt;
      if (!e.trace_id.empty()) o["trace_id"] = e.trace_id;
    }
    if (has_duration(e)) o["duration_s"] = e.duration_s;
    if (!e.message.empty()) o["message"] = e.message;
    return wire::serialize_json(o);
  }

  static std::string human_line(WorkerEvent const& e) {
    std::string line = now_text() + " ";
    if (!e.job_id.empty()) line += "job " + e.job_id + " (" + e.job_type + ", attempt " + std::to_string(e.attempt) + ") ";
    line += event_name(e);
    if (has_duration(e)) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, " in %.2f s", e.duration_s);
      line += seconds;
    }
    if (!e.message.empty()) line += ": " + e.message;
    if (!e.trace_id.empty()) line += " (trace " + e.trace_id + ")";
    return line;
  }

  void print(std::string const& line) {
    std::lock_guard lock(mutex_);
    std::cout << line << std::endl;
  }

  bool json_;
  std::mutex mutex_;
};

void run_worker(WorkerArgs const& args) {
  connect(args.client);   // a malformed --server is a usage error, before anything starts
  // A command that exits without reading all of its stdin must not kill the worker with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  client::WorkerOptions options;
  options.server_url = args.client.server;
  options.queues = args.queues;
  options.concurrency = args.concurrency;
  options.lease_s = args.lease_s;
  options.client.token = args.client.api_key;
  auto log = std::make_shared<EventLog>(args.client.json);
  client::Worker worker(
      options, [command = args.command](client::JobContext& job) { return client::run_shell_job(command, job); },
      [log](WorkerEvent const& e) { (*log)(e); });

  // Before run() starts the worker's threads, so that they inherit the blocked signals.
  std::optional<StopSignals> signals;
  signals.emplace([&worker] { worker.stop(); });
  std::string queues;
  for (auto const& q : args.queues) queues += (queues.empty() ? "" : ", ") + q;
  log->note("ready", "taking jobs from " + queues + " at " + args.client.server + " with " +
                         std::to_string(args.concurrency) + (args.concurrency == 1 ? " thread" : " threads"));
  auto fatal = worker.run();
  signals.reset();
  if (fatal) {
    std::cerr << "error: " << *fatal << "\n";
    throw CLI::RuntimeError(kExitServerError);
  }
  log->note("stopped", "no job left running");
}

}  // namespace

void register_worker_command(CLI::App& app) {
  auto args = std::make_shared<WorkerArgs>();
  auto* command = app.add_subcommand("worker", "Run a shell command once per job (payload on stdin)");
  add_client_options(*command, args->client);
  command->get_option("--json")->description("Log one JSON object per line and event, for scripts");
  command->add_option("--queue", args->queues, "Queue to take jobs from, in order of preference; repeatable")
      ->required()
      ->delimiter(',');
  command->add_option("--exec", args->command,
                      "Command run by /bin/sh -c per job: payload JSON on stdin; CORRAL_JOB_ID, CORRAL_JOB_TYPE, "
                      "CORRAL_ATTEMPT set; exit 0 completes with stdout as result; 'progress PERCENT [STAGE]' "
                      "on stderr reports progress")
      ->required();
  command->add_option("--concurrency", args->concurrency, "Jobs run at once")->check(in_range(1, 1024));
  command->add_option("--lease", args->lease_s, "Lease to ask for, in seconds (default: each job's timeout_s)")
      ->check(in_range(1.0, 86400.0));
  command->callback([args] { run_worker(*args); });
}

}  // namespace corral::cli
