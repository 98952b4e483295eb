// An SQS message as a Corral job, and back:
//   - a job of type "sqs.message" in the queue of the SQS queue's name; its payload is the body as
//     a JSON string; its metadata holds the message attributes as
//     {"sqs": {"message_attributes": {NAME: {"DataType", "StringValue" | "BinaryValue"}}}}, and on a
//     FIFO queue "message_group_id" and "message_deduplication_id" beside them (fifo.hpp);
//   - MessageId is the job id; the receipt handle is "JOB_ID:LEASE_TOKEN", the lease the receive
//     took, so a handle from an earlier receive never acts on a later lease;
//   - ApproximateReceiveCount is the job's attempt (fetches since enqueue), SentTimestamp its
//     created_at, ApproximateFirstReceiveTimestamp its first attempt's start.
// A job enqueued over Corral's API is a message too: a payload that is not a JSON string is sent
// as its JSON text.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/job.hpp"
#include "sqs/digest.hpp"
#include "sqs/error.hpp"
#include "sqs/fifo.hpp"
#include "sqs/queue_config.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace corral::sqs {

inline constexpr std::string_view kMessageType = "sqs.message";

struct OutgoingMessage {
  std::string body;
  MessageAttributes attributes;
  std::int64_t delay_s = 0;
  std::optional<FifoFields> fifo;   // a FIFO queue's message
};

// MessageBody, MessageAttributes and DelaySeconds of a SendMessage (or of one batch entry),
// checked as SQS checks them, DelaySeconds defaulting to the queue's (a FIFO queue's messages
// take no DelaySeconds of their own), and a FIFO queue's group and deduplication ids.
Outcome<OutgoingMessage> read_outgoing(boost::json::object const& params, QueueConfig const& queue);

// The job of a message; `owner`: the owner of the key that sent it, if scoped to one.
core::EnqueueRequest enqueue_request(OutgoingMessage const& message, QueueConfig const& queue,
                                     std::optional<std::string> owner);

// MessageId, MD5OfMessageBody and MD5OfMessageAttributes of a sent message, and SequenceNumber
// on a FIFO queue; `job` is the message's job (an earlier one, for a duplicate).
boost::json::object sent_result(core::Job const& job, OutgoingMessage const& message);

// Which attributes a receive asked for: system attribute names (or "All") and message attribute
// names ("All", ".*", a prefix ending ".*", or a name).
struct AttributeSelection {
  std::vector<std::string> system;
  std::vector<std::string> message;
};

// The message a received (leased) job is, with the attributes selected.
boost::json::object received_message(core::Job const& job, AttributeSelection const& selection,
                                     std::string const& account_id);

std::string receipt_handle(core::Job const& job);
// The job id and lease token of a handle; ReceiptHandleIsInvalid when it is not one.
Outcome<std::pair<std::string, std::string>> parse_receipt_handle(std::string const& handle);

}  // namespace corral::sqs
