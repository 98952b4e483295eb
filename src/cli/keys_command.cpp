// `corral keys create|list|revoke|sqs-credentials`: API keys over /api/v1/keys, with an admin key.
// A new key is printed once; the server keeps only its digest, so it cannot be shown again.
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "client/target.hpp"
#include "wire/json_text.hpp"

#include <optional>
#include <sstream>

namespace corral::cli {
namespace {

namespace json = boost::json;

struct CreateArgs {
  ClientOptions client;
  std::string role;
  std::optional<std::string> owner, queues, name;
};

std::string format_created(json::object const& key) {
  return "id     " + cell(key, "id") + "\nrole   " + cell(key, "role") + "\nkey    " + cell(key, "key") +
         "\n\nThe key is shown this once: the server keeps only its SHA-256 digest.\n";
}

void create(CreateArgs const& args) {
  json::object body{{"role", args.role}};
  if (args.owner) body["owner"] = *args.owner;
  if (args.name) body["name"] = *args.name;
  if (args.queues) {
    json::array queues;
    std::istringstream in(*args.queues);
    for (std::string q; std::getline(in, q, ',');) queues.emplace_back(q);
    body["queues"] = std::move(queues);
  }
  auto client = connect(args.client);
  print_reply(args.client, call(client, "POST", "/api/v1/keys", wire::serialize_json(body)), format_created);
}

std::string queues_cell(json::object const& key) {
  std::string out;
  if (auto const* qs = key.if_contains("queues"); qs && qs->is_array()) {
    for (auto const& q : qs->get_array()) out += (out.empty() ? "" : ",") + std::string(q.as_string());
  }
  return out;
}

std::string format_keys(json::object const& reply) {
  std::vector<std::vector<std::string>> rows{{"ID", "NAME", "ROLE", "OWNER", "QUEUES", "CREATED", "REVOKED"}};
  if (auto const* keys = reply.if_contains("keys"); keys && keys->is_array()) {
    for (auto const& v : keys->get_array()) {
      auto const& k = v.as_object();
      rows.push_back({cell(k, "id"), cell(k, "name"), cell(k, "role"), cell(k, "owner"), queues_cell(k),
                      short_time(cell(k, "created_at")), short_time(cell(k, "revoked_at"))});
    }
  }
  return format_table(rows);
}

}  // namespace

void register_keys_command(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Create, list and revoke API keys, and show their SQS credentials (needs an admin key)");
  keys->require_subcommand(1);

  auto create_args = std::make_shared<CreateArgs>();
  auto* create_cmd = keys->add_subcommand("create", "Create a key; it is printed once");
  add_client_options(*create_cmd, create_args->client);
  create_cmd->add_option("--role", create_args->role, "admin, producer, worker or viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "producer", "worker", "viewer"}));
  create_cmd->add_option("--owner", create_args->owner, "Act as this owner: see and enqueue its jobs only");
  create_cmd->add_option("--queues", create_args->queues, "Fetch and report on these queues only, comma-separated");
  create_cmd->add_option("--name", create_args->name, "A name to know the key by in lists and logs");
  create_cmd->callback([create_args] { create(*create_args); });

  auto list_args = std::make_shared<ClientOptions>();
  auto* list_cmd = keys->add_subcommand("list", "List the keys (never the keys themselves), revoked ones too");
  add_client_options(*list_cmd, *list_args);
  list_cmd->callback([list_args] {
    auto client = connect(*list_args);
    print_reply(*list_args, call(client, "GET", "/api/v1/keys"), format_keys);
  });

  auto revoke_args = std::make_shared<ClientOptions>();
  auto id = std::make_shared<std::string>();
  auto* revoke_cmd = keys->add_subcommand("revoke", "Revoke a key: it stops working");
  add_client_options(*revoke_cmd, *revoke_args);
  revoke_cmd->add_option("id", *id, "The key's id (key_...)")->required();
  revoke_cmd->callback([revoke_args, id] {
    auto client = connect(*revoke_args);
    print_reply(*revoke_args, call(client, "DELETE", "/api/v1/keys/" + client::percent_encode(*id)),
                [](json::object const& key) { return "revoked " + cell(key, "id") + "\n"; });
  });

  auto sqs_args = std::make_shared<ClientOptions>();
  auto sqs_id = std::make_shared<std::string>();
  auto* sqs_cmd = keys->add_subcommand("sqs-credentials", "Print a key's SQS access key id and secret access key");
  add_client_options(*sqs_cmd, *sqs_args);
  sqs_cmd->add_option("id", *sqs_id, "The key's id (key_..., or admin_key)")->required();
  sqs_cmd->callback([sqs_args, sqs_id] {
    auto client = connect(*sqs_args);
    print_reply(*sqs_args, call(client, "GET", "/api/v1/keys/" + client::percent_encode(*sqs_id) + "/sqs-credentials"),
                [](json::object const& c) {
                  // In the form the AWS CLI and SDKs read from the environment.
                  return "AWS_ACCESS_KEY_ID=" + cell(c, "access_key_id") + "\nAWS_SECRET_ACCESS_KEY=" +
                         cell(c, "secret_access_key") + "\n";
                });
  });
}

}  // namespace corral::cli
