// `corral prune --older-than 7d [--status completed,failed] [--queue NAME]`: deletes ended jobs
// now, through POST /api/v1/jobs/prune, and says how many went.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "wire/json_text.hpp"

#include <charconv>
#include <memory>
#include <optional>
#include <sstream>

namespace corral::cli {
namespace {

namespace json = boost::json;

// A prune of a big table runs batch after batch on the server; give it time.
constexpr auto kPruneTimeout = std::chrono::minutes(30);

// "7d", "12h", "30m", "90s" or a bare number of seconds, as seconds; none if it is not one.
std::optional<double> parse_duration_s(std::string const& text) {
  double n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end == text.data() || n < 0) return std::nullopt;
  std::string_view const unit(end, text.data() + text.size() - end);
  if (unit.empty() || unit == "s") return n;
  if (unit == "m") return n * 60;
  if (unit == "h") return n * 3600;
  if (unit == "d") return n * 86400;
  return std::nullopt;
}

struct PruneArgs {
  ClientOptions client;
  std::string older_than;
  std::optional<std::string> status, queue;
};

void prune(PruneArgs const& args) {
  auto older_than_s = parse_duration_s(args.older_than);
  if (!older_than_s) {
    throw CLI::ValidationError("--older-than", "must be a duration such as 7d, 12h, 30m or 90s (got " +
                                                    args.older_than + ")");
  }
  json::object body{{"older_than_s", *older_than_s}};
  if (args.status) {
    // Names are sent as they are, for the server to check.
    json::array statuses;
    std::istringstream in(*args.status);
    for (std::string name; std::getline(in, name, ',');) statuses.emplace_back(name);
    body["status"] = std::move(statuses);
  }
  if (args.queue) body["queue"] = *args.queue;
  auto client = connect(args.client, kPruneTimeout);
  print_reply(args.client, call(client, "POST", "/api/v1/jobs/prune", wire::serialize_json(body)),
              [](json::object const& reply) { return "pruned " + cell(reply, "pruned") + " jobs\n"; });
}

}  // namespace

void register_prune_command(CLI::App& app) {
  auto args = std::make_shared<PruneArgs>();
  auto* command = app.add_subcommand("prune", "Delete completed, failed or cancelled jobs that ended long ago");
  add_client_options(*command, args->client);
  command->add_option("--older-than", args->older_than, "Jobs that ended longer ago than this: 7d, 12h, 30m, 90s")
      ->required();
  command->add_option("--status", args->status, "Only these ended states, comma-separated (default all three)");
  command->add_option("--queue", args->queue, "Only jobs of this queue");
  command->callback([args] { prune(*args); });
}

}  // namespace corral::cli
