// Sending, deleting and changing the visibility of messages. Delete completes the lease the
// receipt handle names; a handle whose lease is no longer the message's live lease (the message
// was received again since, or already deleted) changes nothing, and the reply is a success, as
// SQS documents for a stale handle ("the request succeeds, but the message might not be
// deleted"). ChangeMessageVisibility extends that lease by the new timeout (a heartbeat); 0 makes
// the message visible again at once by ending the lease at the next millisecond, so the receive
// still counts (ApproximateReceiveCount counts every receive, which a release would not). A stale
// handle there is refused with InvalidParameterValue and changes nothing.
#include "sqs/actions.hpp"
#include "sqs/message_codec.hpp"
#include "sqs/params.hpp"

#include <algorithm>
#include <chrono>
#include <set>

namespace corral::sqs {
namespace {

using boost::asio::awaitable;
using boost::json::array;
using boost::json::object;

constexpr std::size_t kMaxBatch = 10;

bool is_entry_id(std::string_view id) {
  return !id.empty() && id.size() <= 80 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string entry_id(object const& entry) {
  auto const* id = entry.if_contains("Id");
  return id && id->is_string() ? std::string(id->get_string()) : std::string();
}

// A lease of `seconds`; 0 ends at the next millisecond, since a lease must be positive.
core::Micros lease_of(std::int64_t seconds) {
  return seconds > 0 ? core::seconds_to_micros(static_cast<double>(seconds)) : core::Micros(1000);
}

// The handle's lease is not the message's live lease: it was received again, deleted, or its
// visibility timeout ran out.
bool is_stale(core::Error const& e) {
  using core::Errc;
  return e.code == Errc::stale_lease || e.code == Errc::wrong_state || e.code == Errc::not_found ||
         e.code == Errc::run_time_exceeded;
}

// DeleteMessage's work on one message: `params` is the request or one batch entry.
awaitable<std::optional<Error>> delete_in(ActionContext& ctx, object const& params) {
  auto handle = required_text(params, "ReceiptHandle");
  if (!handle) co_return handle.error();
  auto parsed = parse_receipt_handle(*handle);
  if (!parsed) co_return parsed.error();
  // Arguments are named, never temporaries in the co_await: g++ 12 may destroy those twice.
  queue::CompleteRequest req{parsed->second, std::nullopt, std::nullopt};
  auto done = co_await ctx.queue.complete(parsed->first, std::move(req));
  if (done || is_stale(done.error())) co_return std::nullopt;
  co_return from_core(done.error());
}

// ChangeMessageVisibility's work on one message: `params` is the request or one batch entry.
awaitable<std::optional<Error>> change_in(ActionContext& ctx, object const& params) {
  auto handle = required_text(params, "ReceiptHandle");
  if (!handle) co_return handle.error();
  auto timeout = optional_integer(params, "VisibilityTimeout", 0, 43200);
  if (!timeout) co_return timeout.error();
  if (!*timeout) co_return missing("VisibilityTimeout");
  auto parsed = parse_receipt_handle(*handle);
  if (!parsed) co_return parsed.error();
  queue::HeartbeatRequest req;
  req.lease_token = parsed->second;
  req.extend = lease_of(**timeout);
  auto done = co_await ctx.queue.heartbeat(parsed->first, std::move(req));
  if (done) co_return std::nullopt;
  if (is_stale(done.error())) {
    co_return invalid_value("ReceiptHandle", "Message does not exist or is not available for visibility timeout change.");
  }
  co_return from_core(done.error());
}

// The job a send to a FIFO queue ends with when an earlier message holds its deduplication key
// (fifo.hpp): that message if the send is its duplicate; else the earlier one has ended and is
// past the window, so it is deleted to free the key, and the message is sent anew. A standard
// queue's send has no key, and its job is always new.
awaitable<Outcome<core::Job>> settle_duplicate(ActionContext& ctx, queue::EnqueueResult sent,
                                               OutgoingMessage const& message, QueueConfig const& queue) {
  auto const now = std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now());
  if (sent.created || is_duplicate_of(sent.job, now)) co_return std::move(sent.job);
  auto removed = co_await ctx.queue.remove(sent.job.id);
  // Gone already (another send freed it) or back in the queue (retried): the send below finds out.
  if (!removed && removed.error().code != core::Errc::not_found && removed.error().code != core::Errc::wrong_state) {
    co_return from_core(removed.error());
  }
  auto req = enqueue_request(message, queue, ctx.owner);
  auto again = co_await ctx.queue.enqueue(std::move(req));
  if (!again) co_return from_core(again.error());
  co_return std::move(again->job);
}

using MessageWork = awaitable<std::optional<Error>> (*)(ActionContext& ctx, object const& params);

// The action on the one message the request names.
ActionResult on_one(ActionContext& ctx, object const& params, MessageWork work) {
  auto queue = co_await load_queue(ctx, params);
  if (!queue) co_return queue.error();
  if (auto bad = co_await work(ctx, params)) co_return *bad;
  co_return object();
}

// The action on each entry of a batch, in order: {"Successful": [{"Id"}...], "Failed": [...]}.
ActionResult on_each(ActionContext& ctx, object const& params, MessageWork work) {
  auto queue = co_await load_queue(ctx, params);
  if (!queue) co_return queue.error();
  auto entries = read_batch(params);
  if (!entries) co_return entries.error();
  array successful, failed;
  for (auto const* e : *entries) {
    auto const id = entry_id(*e);
    if (auto bad = co_await work(ctx, *e)) {
      failed.push_back(failed_entry(id, *bad));
    } else {
      object ok;
      ok["Id"] = id;
      successful.push_back(std::move(ok));
    }
  }
  object out;
  out["Successful"] = std::move(successful);
  out["Failed"] = std::move(failed);
  co_return out;
}

}  // namespace

Outcome<std::vector<object const*>> read_batch(object const& params) {
  auto entries = object_list(params, "Entries");
  if (!entries) return entries.error();
  if (entries->empty()) return make_error(errors::kEmptyBatchRequest, "There should be at least one entry in the request.");
  if (entries->size() > kMaxBatch) {
    return make_error(errors::kTooManyEntriesInBatchRequest,
                      "Maximum number of entries per request are 10. You have sent " + std::to_string(entries->size()) + ".");
  }
  std::set<std::string> ids;
  for (auto const* e : *entries) {
    auto id = entry_id(*e);
    if (!is_entry_id(id)) {
      return make_error(errors::kInvalidBatchEntryId,
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
    }
    if (!ids.insert(id).second) return make_error(errors::kBatchEntryIdsNotDistinct, "Id " + id + " repeated.");
  }
  return entries;
}

object failed_entry(std::string const& id, Error const& error) {
  object out;
  out["Id"] = id;
  out["SenderFault"] = error.kind.sender_fault;
  out["Code"] = error.kind.query_code;
  out["Message"] = error.message;
  return out;
}

namespace actions {

ActionResult send_message(ActionContext& ctx, object const& params) {
  auto queue = co_await load_queue(ctx, params);
  if (!queue) co_return queue.error();
  auto message = read_outgoing(params, *queue);
  if (!message) co_return message.error();
  auto req = enqueue_request(*message, *queue, ctx.owner);
  auto sent = co_await ctx.queue.enqueue(std::move(req));
  if (!sent) co_return from_core(sent.error());
  auto job = co_await settle_duplicate(ctx, std::move(*sent), *message, *queue);
  if (!job) co_return job.error();
  co_return sent_result(*job, *message);
}

ActionResult send_message_batch(ActionContext& ctx, object const& params) {
  auto queue = co_await load_queue(ctx, params);
  if (!queue) co_return queue.error();
  auto entries = read_batch(params);
  if (!entries) co_return entries.error();
  array failed;
  std::vector<std::pair<std::string, OutgoingMessage>> valid;
  for (auto const* e : *entries) {
    auto message = read_outgoing(*e, *queue);
    if (!message) {
      failed.push_back(failed_entry(entry_id(*e), message.error()));
    } else {
      valid.emplace_back(entry_id(*e), std::move(*message));
    }
  }
  array successful;
  if (!valid.empty()) {
    std::vector<core::EnqueueRequest> reqs;
    for (auto const& [id, m] : valid) reqs.push_back(enqueue_request(m, *queue, ctx.owner));
    // One commit for the valid entries: all of them are sent, or the call fails as a whole.
    auto sent = co_await ctx.queue.enqueue_batch(std::move(reqs));
    if (!sent) co_return from_core(sent.error());
    for (std::size_t i = 0; i < valid.size(); ++i) {
      auto job = co_await settle_duplicate(ctx, std::move((*sent)[i]), valid[i].second, *queue);
      if (!job) co_return job.error();
      auto entry = sent_result(*job, valid[i].second);
      entry["Id"] = valid[i].first;
      successful.push_back(std::move(entry));
    }
  }
  object out;
  out["Successful"] = std::move(successful);
  out["Failed"] = std::move(failed);
  co_return out;
}

ActionResult delete_message(ActionContext& ctx, object const& params) { return on_one(ctx, params, delete_in); }

ActionResult delete_message_batch(ActionContext& ctx, object const& params) { return on_each(ctx, params, delete_in); }

ActionResult change_message_visibility(ActionContext& ctx, object const& params) {
  return on_one(ctx, params, change_in);
}

ActionResult change_message_visibility_batch(ActionContext& ctx, object const& params) {
  return on_each(ctx, params, change_in);
}

}  // namespace actions
}  // namespace corral::sqs
