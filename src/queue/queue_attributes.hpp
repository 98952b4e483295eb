// A queue's stored attributes: the settings a protocol keeps per queue (the SQS layer's
// VisibilityTimeout, RedrivePolicy, ...), as one JSON object the store keeps as text and never
// looks inside, so that a new attribute needs no migration. A queue has a record only once
// someone created one (SQS's CreateQueue); Corral's own queues need none and exist by their jobs.
#pragma once

#include "core/time.hpp"

#include <string>

namespace corral::queue {

struct QueueAttributes {
  std::string queue;
  std::string attributes = "{}";   // JSON object text
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
  bool operator==(QueueAttributes const&) const = default;
};

// What create_queue_attributes found: the new record, or the one already there, unchanged.
struct QueueAttributesCreated {
  QueueAttributes record;
  bool created = true;
};

// A page of records by name: those starting with `prefix`, after `after`, at most `limit`.
struct QueueAttributesQuery {
  std::string prefix;
  std::string after;   // exclusive; empty: from the first
  int limit = 1000;    // 1..1000
};

}  // namespace corral::queue
