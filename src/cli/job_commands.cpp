// The client commands: enqueue, get, list, cancel, retry, queues, pause, resume. Each one builds a
// request from its options, sends it through call() (which owns the exit codes for errors) and
// prints the reply through output.hpp.
#include "cli/commands.hpp"
#include "cli/flag_checks.hpp"
#include "cli/output.hpp"
#include "client/target.hpp"
#include "core/job_state.hpp"
#include "core/number_text.hpp"
#include "wire/json_text.hpp"
#include "wire/reply_json.hpp"
#include "wire/traceparent.hpp"

#include <boost/json/parse.hpp>

#include <charconv>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

namespace corral::cli {

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// GET /jobs/{id}?wait=S answers after at most 60 s; longer waits are made of several requests.
constexpr double kMaxServerWaitS = 60;
// A long-poll request may take its wait plus this before the client gives up on it.
constexpr auto kWaitSlack = std::chrono::seconds(30);

// A subcommand with its own option storage: CLI11 binds options to variables that must live as
// long as the app, so each command's arguments live in a shared_ptr its callback holds.
template <class Args>
std::pair<CLI::App*, std::shared_ptr<Args>> add_command(CLI::App& app, std::string name, std::string description) {
  auto args = std::make_shared<Args>();
  auto* command = app.add_subcommand(std::move(name), std::move(description));
  add_client_options(*command, args->client);
  return {command, args};
}

struct EnqueueArgs {
  ClientOptions client;
  std::string type;
  std::optional<std::string> payload, payload_file, queue, priority, run_at, idempotency_key, owner, traceparent;
  std::optional<double> delay_s, timeout_s;
  std::optional<int> max_attempts;
  std::vector<std::string> depends_on;
  std::optional<std::string> on_parent_failure;
};

json::value read_payload(EnqueueArgs const& args) {
  if (!args.payload && !args.payload_file) return json::object();
  std::string text = args.payload.value_or("");
  std::string option = args.payload ? "--payload" : "--payload-file";
  if (args.payload_file) {
    std::ifstream file;
    if (*args.payload_file != "-") file.open(*args.payload_file, std::ios::binary);
    std::istream& in = *args.payload_file == "-" ? std::cin : file;
    if (!in) throw CLI::ValidationError(option, "cannot read " + *args.payload_file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // Read at any depth a server may be configured to accept: the server judges the depth.
  json::parse_options options;
  options.max_depth = wire::kMaxConfigurableDepth;
  boost::system::error_code ec;
  auto payload = json::parse(text, ec, json::storage_ptr(), options);
  if (ec) throw CLI::ValidationError(option, "not valid JSON: " + ec.message());
  return payload;
}

// "10" is sent as the integer 10; names ("high") as they are, for the server to check.
json::value priority_value(std::string const& text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size()) return n;
  return json::string(text);
}

void enqueue(EnqueueArgs const& args) {
  json::object body{{"type", args.type}, {"payload", read_payload(args)}};
  if (args.queue) body["queue"] = *args.queue;
  if (args.priority) body["priority"] = priority_value(*args.priority);
  if (args.delay_s) body["delay_s"] = *args.delay_s;
  if (args.run_at) body["run_at"] = *args.run_at;
  if (args.max_attempts) body["max_attempts"] = *args.max_attempts;
  if (args.timeout_s) body["timeout_s"] = *args.timeout_s;
  if (args.idempotency_key) body["idempotency_key"] = *args.idempotency_key;
  if (args.owner) body["owner"] = *args.owner;
  if (!args.depends_on.empty()) body["depends_on"] = json::array(args.depends_on.begin(), args.depends_on.end());
  if (args.on_parent_failure) body["on_parent_failure"] = *args.on_parent_failure;
  auto client = connect(args.client);
  if (args.traceparent) client.add_header("traceparent", *args.traceparent);
  print_reply(args.client, call(client, "POST", "/api/v1/jobs", wire::serialize_json(body)), format_job);
}

void register_enqueue(CLI::App& app) {
  auto [command, args] = add_command<EnqueueArgs>(app, "enqueue", "Add a job");
  command->add_option("TYPE", args->type, "Job type")->required();
  auto* payload = command->add_option("--payload", args->payload, "Payload as JSON (default {})");
  command->add_option("--payload-file", args->payload_file, "Read the payload JSON from a file; - for stdin")
      ->excludes(payload);
  command->add_option("--queue", args->queue, "Queue (default: the type's, else default)");
  command->add_option("--priority", args->priority, "-1000..1000 or low, normal, high");
  auto* delay = command->add_option("--delay", args->delay_s, "Run no sooner than this many seconds from now")
                    ->check(in_range(0));
  command->add_option("--run-at", args->run_at, "Run no sooner than this RFC 3339 time")->excludes(delay);
  command->add_option("--max-attempts", args->max_attempts, "Attempts before the job fails for good");
  command->add_option("--timeout", args->timeout_s, "Lease length in seconds");
  command->add_option("--idempotency-key", args->idempotency_key, "Enqueue at most once per key");
  command->add_option("--owner", args->owner, "Who the job belongs to");
  command->add_option("--depends-on", args->depends_on, "A job that must end first (repeat for each parent)");
  command->add_option("--on-parent-failure", args->on_parent_failure,
                      "With --depends-on: cancel (default) or run when a parent fails for good")
      ->check(CLI::IsMember({"cancel", "run"}));
  command->add_option("--traceparent", args->traceparent, "W3C trace context whose trace the job joins")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            return wire::trace_id_of_traceparent(v) ? "" : "not a valid W3C traceparent (00-TRACE_ID-PARENT_ID-FLAGS)";
          },
          "TRACEPARENT"));
  command->callback([args = args] { enqueue(*args); });
}

struct GetArgs {
  ClientOptions client;
  std::string id;
  std::optional<double> wait_s;
};

bool is_terminal_reply(client::Response const& reply) {
  auto state = core::parse_job_state(cell(reply_object(reply), "status"));
  return state && core::is_terminal(*state);
}

void get(GetArgs const& args) {
  auto const deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(args.wait_s.value_or(0)));
  auto client = connect(args.client, std::chrono::seconds(static_cast<int>(kMaxServerWaitS)) + kWaitSlack);
  client::Response reply;
  for (;;) {
    double remaining = std::chrono::duration<double>(deadline - Clock::now()).count();
    double chunk = std::min(std::max(remaining, 0.0), kMaxServerWaitS);
    auto target = client::job_target(args.id);
    if (args.wait_s && chunk > 0) target = client::with_query(target, {{"wait", core::format_number(chunk)}});
    reply = call(client, "GET", target);
    if (!args.wait_s || is_terminal_reply(reply) || Clock::now() >= deadline) break;
  }
  print_reply(args.client, reply, format_job);
  if (args.wait_s && !is_terminal_reply(reply)) throw CLI::RuntimeError(kExitWaitTimedOut);
}

void register_get(CLI::App& app) {
  auto [command, args] = add_command<GetArgs>(app, "get", "Show a job");
  command->add_option("ID", args->id, "Job id")->required();
  command->add_option("--wait", args->wait_s, "Wait up to this many seconds for the job to end (exit 4 if it has not)")
      ->check(in_range(0));
  command->callback([args = args] { get(*args); });
}

struct ListArgs {
  ClientOptions client;
  std::string status, queue, type, owner, cursor;
  std::optional<int> limit;
};

void register_list(CLI::App& app) {
  auto [command, args] = add_command<ListArgs>(app, "list", "List jobs, newest first");
  command->add_option("--status", args->status, "Only jobs in this state");
  command->add_option("--queue", args->queue, "Only jobs of this queue");
  command->add_option("--type", args->type, "Only jobs of this type");
  command->add_option("--owner", args->owner, "Only jobs of this owner");
  command->add_option("--limit", args->limit, "At most this many jobs, 1..1000 (default 50)");
  command->add_option("--cursor", args->cursor, "Continue after the page that printed this cursor");
  command->callback([args = args] {
    auto const& a = *args;
    auto target = client::with_query("/api/v1/jobs", {{"status", a.status}, {"queue", a.queue}, {"type", a.type},
                                                      {"owner", a.owner}, {"cursor", a.cursor},
                                                      {"limit", a.limit ? std::to_string(*a.limit) : ""}});
    auto client = connect(a.client);
    print_reply(a.client, call(client, "GET", target), [](json::object const& page) {
      auto const* jobs = page.if_contains("jobs");
      auto text = format_job_table(jobs && jobs->is_array() ? jobs->get_array() : json::array());
      if (auto cursor = cell(page, "next_cursor"); !cursor.empty()) text += "more: --cursor " + cursor + "\n";
      return text;
    });
  });
}

struct NameArgs {
  ClientOptions client;
  std::string name;
};

std::string job_action_target(std::string const& id, std::string const& action) { return client::job_target(id, action); }

std::string queue_action_target(std::string const& queue, std::string const& action) {
  return "/api/v1/queues/" + client::percent_encode(queue) + "/" + action;
}

std::string format_one_queue(json::object const& queue) { return format_queue_table(json::array{queue}); }

// What an action acts on: `corral ACTION NAME` posts to target(NAME, ACTION) with no body and
// prints the job or queue the server answers with.
struct ActionKind {
  char const* positional;
  char const* help;
  std::string (*target)(std::string const& name, std::string const& action);
  std::string (*format)(json::object const& reply);
};

ActionKind const kJobAction{"ID", "Job id", job_action_target, format_job};
ActionKind const kQueueAction{"QUEUE", "Queue name", queue_action_target, format_one_queue};

void register_action(CLI::App& app, std::string const& action, std::string description, ActionKind const& kind) {
  auto [command, args] = add_command<NameArgs>(app, action, std::move(description));
  command->add_option(kind.positional, args->name, kind.help)->required();
  command->callback([args = args, action, &kind] {
    auto client = connect(args->client);
    print_reply(args->client, call(client, "POST", kind.target(args->name, action)), kind.format);
  });
}

void register_queues(CLI::App& app) {
  auto [command, args] = add_command<NameArgs>(app, "queues", "Show every queue: paused or not, jobs by state");
  command->callback([args = args] {
    auto client = connect(args->client);
    print_reply(args->client, call(client, "GET", "/api/v1/queues"), [](json::object const& reply) {
      auto const* queues = reply.if_contains("queues");
      return format_queue_table(queues && queues->is_array() ? queues->get_array() : json::array());
    });
  });
}

}  // namespace

void register_job_commands(CLI::App& app) {
  register_enqueue(app);
  register_get(app);
  register_list(app);
  register_action(app, "cancel", "Cancel a job (a running one is asked to stop)", kJobAction);
  register_action(app, "retry", "Run a failed or cancelled job again, with a fresh attempt budget", kJobAction);
  register_queues(app);
  register_action(app, "pause", "Stop handing out a queue's jobs (enqueue still works)", kQueueAction);
  register_action(app, "resume", "Hand out a paused queue's jobs again", kQueueAction);
}

}  // namespace corral::cli
