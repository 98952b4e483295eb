// What the dispatcher pushes for one queue: its stored push settings (api::QueuePush, set by
// PATCH /api/v1/queues/{name} or the config file at start) made concrete, defaults filled in and
// the push_url parsed and checked against the allow-list once more (the allow-list may have
// changed since the URL was stored).
#pragma once

#include "outbound/destination.hpp"
#include "queue/requests.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace corral::push {

struct PushQueue {
  std::string queue;
  outbound::Destination to;            // the queue's push_url, parsed and allowed
  std::size_t concurrency = 8;         // POSTs in flight at once
  std::chrono::milliseconds timeout{30'000};   // one POST, connect to the reply's last byte
  bool operator==(PushQueue const&) const = default;
};

// The queue's push delivery; none when it sets no push_url. invalid_argument when its push_url
// is not (or no longer) allowed.
core::Result<std::optional<PushQueue>> push_queue_of(queue::QueueInfo const& info, outbound::AllowList const& allow);

}  // namespace corral::push
