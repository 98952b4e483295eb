#include "sqs/service.hpp"

#include "sqs/actions.hpp"
#include "sqs/form.hpp"
#include "sqs/queue_config.hpp"
#include "sqs/reply.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace corral::sqs {
namespace {

using boost::json::object;

constexpr std::string_view kTargetPrefix = "AmazonSQS.";

struct ActionEntry {
  std::string_view name;
  Action action;
};

constexpr ActionEntry kActions[] = {
    {"CreateQueue", actions::create_queue},
    {"GetQueueUrl", actions::get_queue_url},
    {"ListQueues", actions::list_queues},
    {"DeleteQueue", actions::delete_queue},
    {"PurgeQueue", actions::purge_queue},
    {"GetQueueAttributes", actions::get_queue_attributes},
    {"SetQueueAttributes", actions::set_queue_attributes},
    {"SendMessage", actions::send_message},
    {"SendMessageBatch", actions::send_message_batch},
    {"ReceiveMessage", actions::receive_message},
    {"DeleteMessage", actions::delete_message},
    {"DeleteMessageBatch", actions::delete_message_batch},
    {"ChangeMessageVisibility", actions::change_message_visibility},
    {"ChangeMessageVisibilityBatch", actions::change_message_visibility_batch},
    {"TagQueue", actions::tag_queue},
    {"UntagQueue", actions::untag_queue},
    {"ListQueueTags", actions::list_queue_tags},
    {"ListDeadLetterSourceQueues", actions::list_dead_letter_source_queues},
};

// SQS's other actions: answered with UnsupportedOperation (docs/sqs.md lists them).
constexpr std::string_view kUnsupported[] = {
    "AddPermission", "RemovePermission", "StartMessageMoveTask", "CancelMessageMoveTask", "ListMessageMoveTasks",
};

bool is_form(std::string_view content_type) {
  return content_type.substr(0, content_type.find(';')) == "application/x-www-form-urlencoded";
}

struct Call {
  Protocol protocol = Protocol::json;
  std::string action;
  object params;
};

// The action and its parameters, in the JSON protocol's shape whatever the protocol.
Outcome<Call> decode(HttpRequest const& req) {
  Call call;
  if (req.amz_target.starts_with(kTargetPrefix)) {
    call.action = std::string(req.amz_target.substr(kTargetPrefix.size()));
    boost::system::error_code ec;
    auto body = boost::json::parse(req.body.empty() ? std::string_view("{}") : req.body, ec);
    if (ec || !body.is_object()) return make_error(errors::kMalformedInput, "The request body is not a JSON object.");
    call.params = std::move(body.get_object());
    return call;
  }
  call.protocol = Protocol::query;
  auto form = parse_form(req.body);
  if (!form) return make_error(errors::kMalformedInput, "The request body is not a valid form.");
  auto const* action = form->if_contains("Action");
  call.action = action && action->is_string() ? std::string(action->get_string()) : std::string();
  call.params = query_params_as_json(*form);
  // Older SDKs post to the queue's URL instead of naming it in the form.
  if (!call.params.contains("QueueUrl") && std::count(req.path.begin(), req.path.end(), '/') == 2) {
    call.params["QueueUrl"] = std::string(req.path);
  }
  return call;
}

// The queue a request names, for the gate's scope check; empty when it names none.
std::string queue_named(boost::json::object const& params) {
  if (auto const* url = params.if_contains("QueueUrl"); url && url->is_string()) {
    return queue_name_of_url(url->get_string());
  }
  if (auto const* name = params.if_contains("QueueName"); name && name->is_string()) {
    return std::string(name->get_string());
  }
  return {};
}

}  // namespace

Action find_action(std::string_view name) {
  auto it = std::find_if(std::begin(kActions), std::end(kActions), [&](auto const& a) { return a.name == name; });
  return it == std::end(kActions) ? nullptr : it->action;
}

bool is_unsupported_action(std::string_view name) {
  return std::find(std::begin(kUnsupported), std::end(kUnsupported), name) != std::end(kUnsupported);
}

bool is_sqs_request(std::string_view content_type, std::string_view amz_target, std::string_view body) {
  if (amz_target.starts_with(kTargetPrefix)) return true;
  return is_form(content_type) && (body.starts_with("Action=") || body.find("&Action=") != std::string_view::npos);
}

boost::asio::awaitable<HttpReply> Service::handle(HttpRequest const& req) {
  auto call = decode(req);
  auto const protocol = call ? call->protocol : (req.amz_target.empty() ? Protocol::query : Protocol::json);
  if (!call) co_return error_reply(protocol, call.error(), req.request_id);
  auto const action = find_action(call->action);
  if (!action) {
    auto const& kind = is_unsupported_action(call->action) ? errors::kUnsupportedOperation : errors::kInvalidAction;
    co_return error_reply(protocol, make_error(kind, "The action " + call->action + " is not valid for this endpoint."),
                          req.request_id);
  }
  Caller caller;
  if (gate_) {
    auto let = co_await gate_(call->action, queue_named(call->params), req);
    if (!let) co_return error_reply(protocol, let.error(), req.request_id);
    caller = std::move(*let);
  }
  ActionContext ctx{queue_, settings_, std::string(req.host), req.client_gone, std::move(caller.owner)};
  auto result = co_await action(ctx, call->params);
  if (!result) co_return error_reply(protocol, result.error(), req.request_id);
  co_return result_reply(protocol, call->action, *result, req.request_id);
}

}  // namespace corral::sqs
