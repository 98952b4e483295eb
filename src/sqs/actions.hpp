// One handler per SQS action: read the parameters (params.hpp), call the queue service, build
// the result in the JSON protocol's shape. No protocol here: service.cpp decodes and reply.cpp
// encodes.
#pragma once

#include "queue/queue_service.hpp"
#include "sqs/error.hpp"
#include "sqs/queue_config.hpp"
#include "sqs/service.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::sqs {

struct ActionContext {
  queue::QueueService& queue;
  Settings const& settings;
  std::string host;                     // for queue URLs when no public URL is set
  std::function<bool()> client_gone;    // may be empty
  std::optional<std::string> owner;     // messages are sent as this owner (a key scoped to it)
};

using ActionResult = boost::asio::awaitable<Outcome<boost::json::object>>;
using Action = ActionResult (*)(ActionContext& ctx, boost::json::object const& params);

// nullptr for an action this server does not serve.
Action find_action(std::string_view name);
// True for an SQS action that exists but is not served here (UnsupportedOperation), as opposed
// to a name SQS does not know (InvalidAction).
bool is_unsupported_action(std::string_view name);

Error no_queue();
// The record of the queue QueueUrl names, with its stored object parsed (queue_config.hpp);
// QueueDoesNotExist without one.
boost::asio::awaitable<Outcome<std::pair<queue::QueueAttributes, boost::json::object>>> load_record(
    ActionContext& ctx, boost::json::object const& params);
// The queue QueueUrl names, with its attributes; QueueDoesNotExist without an attribute record.
boost::asio::awaitable<Outcome<QueueConfig>> load_queue(ActionContext& ctx, boost::json::object const& params);

// The tags map `name` holds, checked (at most 50; keys 1..128, values at most 256 characters).
Outcome<boost::json::object> read_tags(boost::json::object const& params, std::string_view name);

// Checks a batch's Entries (1..10, each Id 1..80 of A-Z a-z 0-9 - _, all distinct).
Outcome<std::vector<boost::json::object const*>> read_batch(boost::json::object const& params);
// A batch entry's failure, as the Failed list holds it.
boost::json::object failed_entry(std::string const& id, Error const& error);

namespace actions {
ActionResult create_queue(ActionContext& ctx, boost::json::object const& params);
ActionResult get_queue_url(ActionContext& ctx, boost::json::object const& params);
ActionResult list_queues(ActionContext& ctx, boost::json::object const& params);
ActionResult delete_queue(ActionContext& ctx, boost::json::object const& params);
ActionResult purge_queue(ActionContext& ctx, boost::json::object const& params);
ActionResult get_queue_attributes(ActionContext& ctx, boost::json::object const& params);
ActionResult set_queue_attributes(ActionContext& ctx, boost::json::object const& params);
ActionResult send_message(ActionContext& ctx, boost::json::object const& params);
ActionResult send_message_batch(ActionContext& ctx, boost::json::object const& params);
ActionResult receive_message(ActionContext& ctx, boost::json::object const& params);
ActionResult delete_message(ActionContext& ctx, boost::json::object const& params);
ActionResult delete_message_batch(ActionContext& ctx, boost::json::object const& params);
ActionResult change_message_visibility(ActionContext& ctx, boost::json::object const& params);
ActionResult change_message_visibility_batch(ActionContext& ctx, boost::json::object const& params);
ActionResult tag_queue(ActionContext& ctx, boost::json::object const& params);
ActionResult untag_queue(ActionContext& ctx, boost::json::object const& params);
ActionResult list_queue_tags(ActionContext& ctx, boost::json::object const& params);
ActionResult list_dead_letter_source_queues(ActionContext& ctx, boost::json::object const& params);
}  // namespace actions

}  // namespace corral::sqs
