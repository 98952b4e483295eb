// `corral schedules list|get|create|pause|resume|delete`: the recurring schedules of
// /api/v1/schedules, through call() (which owns the exit codes for errors) and output.hpp.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "client/target.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <iostream>
#include <memory>
#include <optional>

namespace corral::cli {

namespace {

namespace json = boost::json;

struct ScheduleArgs {
  ClientOptions client;
  std::string name;
  std::string cron;
  std::string job;
  std::optional<std::string> timezone, overlap, catch_up;
  bool paused = false;
};

std::string schedule_target(std::string const& name, std::string const& action = "") {
  return "/api/v1/schedules/" + client::percent_encode(name) + (action.empty() ? "" : "/" + action);
}

// "field  value" lines of one schedule.
std::string format_schedule(json::object const& s) {
  std::vector<std::vector<std::string>> rows;
  for (auto key : {"name", "cron", "timezone", "overlap", "catch_up", "paused", "next_run_at", "last_tick_at",
                   "last_job_id"}) {
    rows.push_back({key, cell(s, key)});
  }
  auto const* job = s.if_contains("job");
  rows.push_back({"job", job ? json::serialize(*job) : ""});
  return format_table(rows);
}

std::string format_schedule_table(json::object const& reply) {
  std::vector<std::vector<std::string>> rows{{"NAME", "CRON", "TIMEZONE", "PAUSED", "NEXT RUN", "LAST TICK", "LAST JOB"}};
  auto const* all = reply.if_contains("schedules");
  if (all && all->is_array()) {
    for (auto const& v : all->get_array()) {
      if (!v.is_object()) continue;
      auto const& s = v.get_object();
      rows.push_back({cell(s, "name"), cell(s, "cron"), cell(s, "timezone"), cell(s, "paused"), cell(s, "next_run_at"),
                      cell(s, "last_tick_at"), cell(s, "last_job_id")});
    }
  }
  return format_table(rows);
}

CLI::App* add(CLI::App& parent, std::shared_ptr<ScheduleArgs> const& args, std::string name, std::string description) {
  auto* command = parent.add_subcommand(std::move(name), std::move(description));
  add_client_options(*command, args->client);
  return command;
}

void add_name(CLI::App* command, ScheduleArgs& args) {
  command->add_option("NAME", args.name, "Schedule name")->required();
}

void register_create(CLI::App& parent) {
  auto args = std::make_shared<ScheduleArgs>();
  auto* command = add(parent, args, "create", "Create a schedule: a job enqueued at each tick of a cron expression");
  add_name(command, *args);
  command->add_option("--cron", args->cron, "Five fields, or six with seconds first, or @daily etc.")->required();
  command->add_option("--job", args->job, "The enqueue body of each tick's job, as JSON")->required();
  command->add_option("--timezone", args->timezone, "IANA time zone (default UTC)");
  command->add_option("--overlap", args->overlap, "allow (default), or skip while the previous job has not ended");
  command->add_option("--catch-up", args->catch_up, "none (default), or one: run the latest missed tick after downtime");
  command->add_flag("--paused", args->paused, "Create it paused");
  command->callback([args] {
    json::error_code ec;
    auto job = json::parse(args->job, ec);
    if (ec) throw CLI::ValidationError("--job", "is not JSON: " + ec.message());
    json::object body{{"name", args->name}, {"cron", args->cron}, {"job", std::move(job)}};
    if (args->timezone) body["timezone"] = *args->timezone;
    if (args->overlap) body["overlap"] = *args->overlap;
    if (args->catch_up) body["catch_up"] = *args->catch_up;
    if (args->paused) body["paused"] = true;
    auto client = connect(args->client);
    print_reply(args->client, call(client, "POST", "/api/v1/schedules", json::serialize(body)), format_schedule);
  });
}

// get, pause, resume: one schedule in the reply.
void register_one(CLI::App& parent, std::string const& name, std::string description, std::string method,
                  std::string action) {
  auto args = std::make_shared<ScheduleArgs>();
  auto* command = add(parent, args, name, std::move(description));
  add_name(command, *args);
  command->callback([args, method, action] {
    auto client = connect(args->client);
    print_reply(args->client, call(client, method, schedule_target(args->name, action)), format_schedule);
  });
}

}  // namespace

void register_schedule_commands(CLI::App& app) {
  auto* schedules = app.add_subcommand("schedules", "Recurring schedules: list, get, create, pause, resume, delete");
  schedules->require_subcommand(1);

  auto list_args = std::make_shared<ScheduleArgs>();
  add(*schedules, list_args, "list", "Every schedule with its next run and last job")->callback([list_args] {
    auto client = connect(list_args->client);
    print_reply(list_args->client, call(client, "GET", "/api/v1/schedules"), format_schedule_table);
  });
  register_one(*schedules, "get", "One schedule: its fields, next run, last tick and job", "GET", "");
  register_create(*schedules);
  register_one(*schedules, "pause", "Stop a schedule's ticks", "POST", "pause");
  register_one(*schedules, "resume", "Run a paused schedule again from its next tick", "POST", "resume");

  auto delete_args = std::make_shared<ScheduleArgs>();
  auto* remove = add(*schedules, delete_args, "delete", "Delete a schedule (the jobs it enqueued stay)");
  add_name(remove, *delete_args);
  remove->callback([delete_args] {
    auto client = connect(delete_args->client);
    call(client, "DELETE", schedule_target(delete_args->name));
    if (!delete_args->client.json) std::cout << "deleted " << delete_args->name << "\n";
  });
}

}  // namespace corral::cli
