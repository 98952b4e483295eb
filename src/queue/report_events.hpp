// A worker's report (heartbeat, complete, fail, release) as the core event it applies, so every
// backend turns the same request into the same transition.
#pragma once

#include "core/transition.hpp"
#include "queue/requests.hpp"

namespace corral::queue {

inline core::Event to_event(HeartbeatRequest req) {
  core::Event ev{core::EventKind::heartbeat};
  ev.lease_token = std::move(req.lease_token);
  ev.progress = std::move(req.progress);
  ev.checkpoint = std::move(req.checkpoint);
  ev.lease = req.extend;
  return ev;
}

inline core::Event to_event(CompleteRequest req) {
  core::Event ev{core::EventKind::complete};
  ev.lease_token = std::move(req.lease_token);
  ev.result = std::move(req.result);
  ev.progress = std::move(req.progress);
  return ev;
}

inline core::Event to_event(FailRequest req) {
  core::Event ev{core::EventKind::fail};
  ev.lease_token = std::move(req.lease_token);
  ev.error = std::move(req.error);
  ev.retry_in = req.retry_in;
  return ev;
}

inline core::Event to_event(ReleaseRequest req) {
  core::Event ev{core::EventKind::release};
  ev.lease_token = std::move(req.lease_token);
  ev.release_delay = req.delay;
  return ev;
}

}  // namespace corral::queue
