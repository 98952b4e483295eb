// ReceiveMessage: a fetch from the queue of that name with a lease of the visibility timeout,
// waiting up to WaitTimeSeconds through the queue service's long-poll (woken by the commit that
// makes a message ready, not by polling).
//
// Redrive happens here, as in SQS, at receive time: a message whose receive count (the job's
// attempt) now exceeds its queue's maxReceiveCount is not returned; a copy goes to the
// dead-letter queue (a new job, with the same body and attributes, under the idempotency key
// "sqs-redrive:JOB_ID" so that a retried move makes one copy), then the original is failed, not
// retryable, with the error code sqs_redrive: it stays in Corral's dead letter of its own queue
// as the record of the move. Rejected: the job's attempt budget (max_attempts =
// maxReceiveCount), which ends a message in its own queue's failed state when its last lease
// ends, with nothing to move it, and changes no job already sent when the policy changes.
#include "sqs/actions.hpp"
#include "sqs/message_codec.hpp"
#include "sqs/params.hpp"

#include <chrono>

namespace corral::sqs {
namespace {

using boost::asio::awaitable;
using boost::json::array;
using boost::json::object;

// A fetch comes back with every message it took redriven at most this often before the receive
// answers with what it has: a bound on one request's work.
constexpr int kMaxFetches = 10;

// Moves `job` (just received, over its queue's maxReceiveCount) to the dead-letter queue.
awaitable<std::optional<Error>> redrive(ActionContext& ctx, core::Job const& job, RedrivePolicy const& policy) {
  core::EnqueueRequest copy;
  copy.type = job.type;
  copy.queue = policy.dead_letter_queue;
  copy.payload = job.payload;
  copy.metadata = job.metadata;
  copy.max_attempts = job.max_attempts;
  copy.timeout_s = job.timeout_s;
  copy.backoff = core::BackoffOverride{job.backoff.initial_s, job.backoff.multiplier, job.backoff.max_s,
                                       job.backoff.jitter};
  copy.concurrency_key = job.concurrency_key;   // a FIFO message keeps its group
  copy.idempotency_key = "sqs-redrive:" + job.id;
  auto moved = co_await ctx.queue.enqueue(std::move(copy));
  if (!moved) co_return from_core(moved.error());
  core::JobError why{"sqs_redrive",
                     "received " + std::to_string(job.attempt) + " times, more than maxReceiveCount " +
                         std::to_string(policy.max_receive_count) + ": moved to queue " + policy.dead_letter_queue +
                         " as " + moved->job.id,
                     false};
  queue::FailRequest fail{*job.lease_token, std::move(why), std::nullopt};
  auto failed = co_await ctx.queue.fail(job.id, std::move(fail));
  // A lease lost meanwhile leaves the message to its next receive, which moves it again under
  // the same key: still one copy.
  if (!failed && failed.error().code != core::Errc::stale_lease) co_return from_core(failed.error());
  co_return std::nullopt;
}

}  // namespace

namespace actions {

ActionResult receive_message(ActionContext& ctx, object const& params) {
  auto queue = co_await load_queue(ctx, params);
  if (!queue) co_return queue.error();
  auto max = optional_integer(params, "MaxNumberOfMessages", 1, 10);
  if (!max) co_return max.error();
  auto wait = optional_integer(params, "WaitTimeSeconds", 0, 20);
  if (!wait) co_return wait.error();
  auto visibility = optional_integer(params, "VisibilityTimeout", 0, 43200);
  if (!visibility) co_return visibility.error();
  AttributeSelection selection;
  for (auto const* name : {"AttributeNames", "MessageSystemAttributeNames"}) {
    auto names = text_list(params, name);
    if (!names) co_return names.error();
    selection.system.insert(selection.system.end(), names->begin(), names->end());
  }
  auto message_names = text_list(params, "MessageAttributeNames");
  if (!message_names) co_return message_names.error();
  selection.message = std::move(*message_names);

  int const wanted = static_cast<int>(max->value_or(1));
  std::int64_t const visibility_s = visibility->value_or(queue->visibility_timeout_s);
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait->value_or(queue->receive_wait_s));
  array messages;
  for (int round = 0; round < kMaxFetches && messages.empty(); ++round) {
    queue::FetchRequest req;
    req.queues = {queue->name};
    req.worker_id = "sqs";
    req.count = wanted;
    req.wait = std::max(core::Micros(0), std::chrono::duration_cast<core::Micros>(deadline - std::chrono::steady_clock::now()));
    // A lease must be positive: a visibility timeout of 0 is a lease of a millisecond.
    req.lease = visibility_s > 0 ? core::seconds_to_micros(static_cast<double>(visibility_s)) : core::Micros(1000);
    req.abandoned = ctx.client_gone;
    auto jobs = co_await ctx.queue.fetch(std::move(req));
    if (!jobs) co_return from_core(jobs.error());
    if (jobs->empty()) break;
    for (auto const& job : *jobs) {
      if (queue->redrive && job.attempt > queue->redrive->max_receive_count) {
        if (auto bad = co_await redrive(ctx, job, *queue->redrive)) co_return *bad;
        continue;
      }
      messages.push_back(received_message(job, selection, ctx.settings.account_id));
    }
  }
  object out;
  if (!messages.empty()) out["Messages"] = std::move(messages);
  co_return out;
}

}  // namespace actions
}  // namespace corral::sqs
