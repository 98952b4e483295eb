// `corral stats [--window 1h|24h|7d] [--queue Q] [--type T]` and `corral health`: GET /api/v1/stats
// and GET /api/v1/health, as tables for people or the reply as it came with --json. health's exit
// code says the status, so a script or a cron job can act on it: 0 healthy, 5 degraded, 6 unhealthy
// (docs/cli.md), clear of the 1-4 every client command uses.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "client/reply_error.hpp"
#include "client/target.hpp"
#include "core/number_text.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

namespace corral::cli {
namespace {

namespace json = boost::json;

constexpr char const* kStates[] = {"queued", "scheduled", "running", "retrying", "completed", "failed", "cancelled"};

json::object const& object_at(json::object const& o, std::string_view key) {
  static json::object const kEmpty;
  auto const* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}

std::string number(json::value const* v, double scale = 1) {
  if (!v || !v->is_number()) return "";
  return core::format_number(std::round(v->to_number<double>() * scale * 1000) / 1000);
}

// One table of counts by state, under `title` (QUEUE, TYPE or PRIORITY).
std::string counts_table(std::string const& title, json::object const& by_name) {
  std::vector<std::vector<std::string>> rows{{title}};
  for (auto const* s : kStates) rows[0].push_back(s);
  for (auto const& [name, counts] : by_name) {
    std::vector<std::string> row{std::string(name)};
    for (auto const* s : kStates) row.push_back(cell(counts.as_object(), s));
    rows.push_back(std::move(row));
  }
  return rows.size() > 1 ? format_table(rows) : "";
}

std::string durations_table(json::object const& stats) {
  std::vector<std::vector<std::string>> rows{
      {"TYPE", "STARTS", "WAIT_MEAN_S", "WAIT_P95_S", "ENDS", "RUN_MEAN_S", "RUN_P50_S", "RUN_P95_S", "RUN_P99_S"}};
  auto const& waits = object_at(stats, "queue_wait");
  auto const& runs = object_at(stats, "run_time");
  std::set<std::string> types;
  for (auto const& [t, v] : waits) types.emplace(t);
  for (auto const& [t, v] : runs) types.emplace(t);
  for (auto const& t : types) {
    auto const& w = object_at(waits, t);
    auto const& r = object_at(runs, t);
    rows.push_back({t, cell(w, "count"), number(w.if_contains("mean_s")), number(w.if_contains("p95_s")),
                    cell(r, "count"), number(r.if_contains("mean_s")), number(r.if_contains("p50_s")),
                    number(r.if_contains("p95_s")), number(r.if_contains("p99_s"))});
  }
  return rows.size() > 1 ? format_table(rows) : "";
}

std::string joined(json::value const* list) {
  std::string out;
  if (!list || !list->is_array()) return out;
  for (auto const& v : list->get_array()) out += (out.empty() ? "" : ",") + std::string(v.is_string() ? v.get_string() : "");
  return out;
}

std::string format_stats(json::object const& stats) {
  std::string out = "window        " + cell(stats, "window") + " (to " + cell(stats, "generated_at") + ")\n";
  auto const* rate = stats.if_contains("success_rate");
  out += "completed     " + cell(stats, "completed") + "\nfailed        " + cell(stats, "failed") +
         "\nsuccess_rate  " + (rate && rate->is_number() ? number(rate, 100) + "%" : "-") + "\n";
  auto const& counts = object_at(stats, "counts");
  for (auto const& [title, key] : {std::pair{"QUEUE", "queues"}, {"TYPE", "types"}, {"PRIORITY", "priorities"}}) {
    if (auto table = counts_table(title, object_at(counts, key)); !table.empty()) out += "\n" + table;
  }
  std::vector<std::vector<std::string>> ages{{"QUEUE", "OLDEST_READY_AGE_S"}};
  for (auto const& [q, age] : object_at(stats, "oldest_ready_age_s")) ages.push_back({std::string(q), number(&age)});
  if (ages.size() > 1) out += "\n" + format_table(ages);
  if (auto table = durations_table(stats); !table.empty()) out += "\n" + table;

  std::vector<std::vector<std::string>> series{{"FROM", "COMPLETED", "FAILED"}};
  if (auto const* points = object_at(stats, "series").if_contains("points"); points && points->is_array()) {
    for (auto const& p : points->get_array()) {
      auto const& point = p.as_object();
      if (cell(point, "completed") != "0" || cell(point, "failed") != "0") {
        series.push_back({cell(point, "start"), cell(point, "completed"), cell(point, "failed")});
      }
    }
  }
  if (series.size() > 1) out += "\n" + format_table(series);

  std::vector<std::vector<std::string>> errors{{"COUNT", "CODE", "LAST_SEEN", "TYPES", "MESSAGE"}};
  if (auto const* list = stats.if_contains("errors"); list && list->is_array()) {
    for (auto const& e : list->get_array()) {
      auto const& error = e.as_object();
      errors.push_back({cell(error, "count"), cell(error, "code"), cell(error, "last_seen"),
                        joined(error.if_contains("types")), cell(error, "message")});
    }
  }
  if (errors.size() > 1) out += "\n" + format_table(errors);

  std::vector<std::vector<std::string>> workers{{"WORKER", "QUEUES", "LAST_SEEN", "RUNNING"}};
  if (auto const* list = stats.if_contains("workers"); list && list->is_array()) {
    for (auto const& w : list->get_array()) {
      auto const& worker = w.as_object();
      workers.push_back({cell(worker, "worker_id"), joined(worker.if_contains("queues")), cell(worker, "last_seen"),
                         cell(worker, "jobs_running")});
    }
  }
  if (auto const* anonymous = stats.if_contains("anonymous_fetches"); anonymous && anonymous->is_object()) {
    auto const& a = anonymous->get_object();
    workers.push_back({"(no worker id)", joined(a.if_contains("queues")), cell(a, "last_seen"), cell(a, "jobs_running")});
  }
  if (workers.size() > 1) out += "\n" + format_table(workers);
  return out;
}

std::string format_health(json::object const& health) {
  std::vector<std::vector<std::string>> rows{{"CHECK", "STATUS", "VALUE", "THRESHOLD", "MESSAGE"}};
  if (auto const* checks = health.if_contains("checks"); checks && checks->is_array()) {
    for (auto const& c : checks->get_array()) {
      auto const& check = c.as_object();
      rows.push_back({cell(check, "name"), cell(check, "status"), number(check.if_contains("value")),
                      number(check.if_contains("threshold")), cell(check, "message")});
    }
  }
  return "status  " + cell(health, "status") + "\n\n" + format_table(rows);
}

struct StatsArgs {
  ClientOptions client;
  std::string window = "1h";
  std::optional<std::string> queue, type;
};

void stats(StatsArgs const& args) {
  std::string target = "/api/v1/stats?window=" + client::percent_encode(args.window);
  if (args.queue) target += "&queue=" + client::percent_encode(*args.queue);
  if (args.type) target += "&type=" + client::percent_encode(*args.type);
  auto client = connect(args.client);
  print_reply(args.client, call(client, "GET", target), format_stats);
}

// Not call(): a 503 that carries the checks is the answer (unhealthy), not an error.
void health(ClientOptions const& options) {
  auto client = connect(options);
  client::Response reply;
  try {
    reply = client.request("GET", "/api/v1/health", "");
  } catch (std::runtime_error const& e) {
    std::cerr << "error: " << e.what() << "\n";
    throw CLI::RuntimeError(kExitUnreachable);
  }
  json::object body;
  if (reply.status == 200 || reply.status == 503) {
    auto v = reply.json();
    if (v.is_object() && v.get_object().contains("checks")) body = std::move(v.get_object());
  }
  if (body.empty()) {
    std::cerr << "error: " << client::describe_error(reply) << "\n";
    throw CLI::RuntimeError(kExitServerError);
  }
  print_reply(options, reply, format_health);
  auto const status = cell(body, "status");
  if (status == "degraded") throw CLI::RuntimeError(kExitDegraded);
  if (status != "healthy") throw CLI::RuntimeError(kExitUnhealthy);
}

}  // namespace

void register_stats_commands(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  auto* command = app.add_subcommand("stats", "Show counts, success rate, durations, errors and workers over a window");
  add_client_options(*command, args->client);
  command->add_option("--window", args->window, "1h (per minute), 24h or 7d (per hour)")
      ->check(CLI::IsMember({"1h", "24h", "7d"}))
      ->capture_default_str();
  command->add_option("--queue", args->queue, "Only this queue's jobs");
  command->add_option("--type", args->type, "Only jobs of this type");
  command->callback([args] { stats(*args); });

  auto options = std::make_shared<ClientOptions>();
  auto* check = app.add_subcommand("health", "Check the server's health; exit 0 healthy, 5 degraded, 6 unhealthy");
  add_client_options(*check, *options);
  check->callback([options] { health(*options); });
}

}  // namespace corral::cli
