// FIFO queues on Corral's model. A FIFO queue is a queue whose max_running_per_key is 1 (set when
// CreateQueue makes it); a message is a job whose concurrency_key is its MessageGroupId, so at
// most one message of a group is in flight, and a group's messages are received in the order
// sent (the ready order is priority, then enqueue sequence, and a message whose visibility ran
// out is made ready in the commit that ends its lease: it keeps its place ahead of its group).
//
// Deduplication is an idempotency key per queue (and per group, with DeduplicationScope
// messageGroup) and deduplication id: the SHA-256 of those, so any id fits the key's length.
// SQS forgets an id 5 minutes after the message that used it; Corral keeps a key as long as its
// job. The send bridges the two (message_actions.cpp): an earlier message that has ended and is
// older than the window is deleted, freeing the key, and the send is a new message.
//
// SequenceNumber is the job's enqueue sequence, which grows over the whole deployment (so
// within each group too), written with 20 digits as SQS writes its own.
#pragma once

#include "core/job.hpp"
#include "sqs/error.hpp"
#include "sqs/queue_config.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace corral::sqs {

inline constexpr core::Micros kDeduplicationWindow{5LL * 60 * 1'000'000};

struct FifoFields {
  std::string group_id;
  std::string deduplication_id;   // as given, or the body's SHA-256 (ContentBasedDeduplication)
};

// MessageGroupId and MessageDeduplicationId of a send (or a batch entry) to `queue`, checked as
// SQS checks them; none for a standard queue, which refuses a MessageDeduplicationId.
Outcome<std::optional<FifoFields>> read_fifo_fields(boost::json::object const& params, QueueConfig const& queue,
                                                    std::string const& body);

// The idempotency key of a message with `fields` sent to `queue`.
std::string deduplication_key(QueueConfig const& queue, FifoFields const& fields);

// Whether a send at `now` whose key `earlier` holds is a duplicate of it: sent within the window,
// or not yet ended (its key cannot be freed while it is in the queue).
bool is_duplicate_of(core::Job const& earlier, core::TimePoint now);

std::string sequence_number(core::Job const& job);

}  // namespace corral::sqs
